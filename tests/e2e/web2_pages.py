"""Pages for the test_web2_*.py modules (not a test module itself): a booted app in a fresh profile."""

from __future__ import annotations

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def boot(make_context, server, url: str | None = None, **kw):
    """(page, watch): `url` (default: the app) opened in a new profile, confirmations accepted, booted."""
    context, watch = make_context(**kw)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(url or server.url)
    page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
    return page, watch
