"""Session.act's `undo` is one kind of value, an UndoMaker (app/web/session.py): what the change does to
the stored undo record, decided under the cross-tab lock, with the operation its undo is offered for."""

from __future__ import annotations

import asyncio

import pytest

from app.core import actions
from app.core.report import Report

T0 = 1_769_594_400_000


@pytest.fixture
def session(browserless):
    return browserless("app.web.session")


def test_each_maker_says_what_becomes_of_the_stored_undo_and_names_its_operation(session):
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    assert session.KEEP_UNDO(alice, alice, None) is False and session.CLEAR_UNDO(alice, alice, None) is None
    assert (session.KEEP_UNDO.action, session.KEEP_UNDO.label) == ("", "")
    drop = session.import_undo(T0, "drop-source", "Dan")
    assert isinstance(drop, session.UndoMaker) and (drop.action, drop.label) == ("drop-source", "Dan")
    restore = session.restore_undo(T0, "Asso Nord")
    assert (restore.action, restore.label) == ("restore", "Asso Nord")
    assert restore(alice, alice, Report(action="restore", source_id="", source_name="Asso Nord",
                                        at="")) is None  # not `undoable`: a restore onto an empty device


def test_act_refuses_an_undo_that_is_no_maker_before_touching_anything(session):
    bare = object.__new__(session.Session)  # no database: the refusal comes first
    with pytest.raises(TypeError, match="Session.act: undo is an UndoMaker, not dict"):
        asyncio.run(bare.act(lambda s: (s, None), undo={"last": "…"}))
