"""Undoing the deletion of a cellule: the law is « delete then undelete ≡ the live records
before », and the undo undoes only what it names."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import NODES, T0, states

from app.core import actions, merge
from app.core.model import DELETED


def deleted_stamp(state, kind, record_id):
    table = state.cellules if kind == "cellule" else state.ateliers
    return table[record_id].clock[DELETED]


@settings(max_examples=60, deadline=None)
@given(state=states(), pick=st.integers(0, 1000), gap=st.integers(0, 10_000))
def test_delete_then_undelete_gives_back_the_same_live_records(state, pick, gap):
    live = state.live_cellules()
    assume(live)
    cellule = live[pick % len(live)]
    now = T0 + 10**8
    gone = actions.delete(state, "cellule", cellule.id, now_ms=now)
    assert cellule.id not in {c.id for c in gone.live_cellules()}
    back, count = actions.undelete(gone, "cellule", cellule.id, deleted_stamp(gone, "cellule", cellule.id),
                                   now_ms=now + gap)
    assert merge.visible(back) == merge.visible(state)
    assert count == 1 + len(state.live_ateliers(cellule.id))
    assert back.clock > gone.clock  # a new edit: it travels and wins over the tombstone elsewhere


@settings(max_examples=40, deadline=None)
@given(state=states(), pick=st.integers(0, 1000))
def test_undelete_keeps_later_edits_of_other_records_and_is_done_once(state, pick):
    live = state.live_cellules()
    assume(len(live) >= 2)
    cellule, other = live[pick % len(live)], live[(pick + 1) % len(live)]
    now = T0 + 10**8
    gone = actions.delete(state, "cellule", cellule.id, now_ms=now)
    stamp = deleted_stamp(gone, "cellule", cellule.id)
    edited, _ = actions.edit(gone, "cellule", other.id, {"name": "Renommée après"}, now_ms=now + 1)
    back, _ = actions.undelete(edited, "cellule", cellule.id, stamp, now_ms=now + 2)
    assert back.cellules[other.id].name == "Renommée après"
    assert back.cellules[cellule.id].live
    again, count = actions.undelete(back, "cellule", cellule.id, stamp, now_ms=now + 3)
    assert (again, count) == (back, 0)


def test_an_atelier_deleted_before_the_cellule_stays_deleted():
    state = actions.new_state(name="A", random_bytes=b"\x01" * 16)
    state, c = actions.create_cellule(state, {"name": "Vélo", "nodeId": NODES[0]}, now_ms=T0, random_bytes=b"\x02" * 16)
    values = {"celluleId": c.id, "startsAt": "2026-03-01T18:00:00Z"}
    state, a1 = actions.create_atelier(state, values | {"title": "Un"}, now_ms=T0 + 1, random_bytes=b"\x03" * 16)
    state, a2 = actions.create_atelier(state, values | {"title": "Deux"}, now_ms=T0 + 2, random_bytes=b"\x04" * 16)
    state = actions.delete(state, "atelier", a1.id, now_ms=T0 + 3)
    gone = actions.delete(state, "cellule", c.id, now_ms=T0 + 4)
    back, count = actions.undelete(gone, "cellule", c.id, deleted_stamp(gone, "cellule", c.id), now_ms=T0 + 5)
    assert count == 2
    assert [a.id for a in back.live_ateliers(c.id)] == [a2.id]
    assert merge.visible(back) == merge.visible(state)
