"""The context's hooks (what views reach through the shell) are given when it is built: each one is
required and callable, so a view never calls a hook that silently does nothing."""

from __future__ import annotations

import types

import pytest


def _hooks(**given):
    calls = []
    hooks = {name: (lambda *args, name=name, **kwargs: calls.append((name, args, kwargs)))
             for name in ("go", "open_form", "changed", "open_cellule", "after_status")}
    return hooks | given, calls


def test_a_context_without_a_hook_or_with_one_that_is_not_callable_is_refused(browserless):
    context = browserless("app.web.context")
    hooks, _ = _hooks()
    del hooks["open_cellule"]
    with pytest.raises(TypeError, match="open_cellule"):
        context.Hooks(**hooks)
    with pytest.raises(TypeError, match="Hooks: not callable: changed"):
        context.Hooks(**_hooks(changed=None)[0])
    with pytest.raises(TypeError, match="Context needs the shell's Hooks"):
        context.Context(object(), object(), None)


def test_each_hook_is_what_the_views_call(browserless, monkeypatch):
    context = browserless("app.web.context")
    monkeypatch.setattr(context.js, "localStorage", types.SimpleNamespace(getItem=lambda _key: None), raising=False)
    monkeypatch.setattr(browserless("app.web.view_status"), "el", lambda *_args: object())  # no page here
    monkeypatch.setattr(context.ViewStatus, "say", lambda self, *_args: self.after())
    hooks, calls = _hooks()
    ctx = context.Context(object(), object(), context.Hooks(**hooks))
    ctx.go("map")
    ctx.open_form("atelier", None, cellule="C1")
    ctx.changed()
    ctx.open_cellule("C1")
    ctx.status("")  # a view's message changed: after_status
    assert calls == [("go", ("map",), {}), ("open_form", ("atelier", None), {"cellule": "C1"}),
                     ("changed", (), {}), ("open_cellule", ("C1",), {}), ("after_status", (), {})]
    assert ctx.view == "cellules" and list(ctx.regions) == list(context.TAB_NAMES)
    ctx.view = "map"
    assert ctx.messages.view == "map"
