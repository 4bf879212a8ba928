"""An import's report counts what actually changed: the same counts as its preview, for « Fusionner »
and « Remplacer », whatever the peer's file holds (older copies of our own records included)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import T0, rand, states

from app.core import actions, document, merge

NOW = T0 + 10**8
NODE = "871fa4c5bffffff"
REPORT_KEY = {"new": "added", "changed": "updated", "unchanged": "unchanged", "conflict": "conflicts",
              "deleted": "deleted", "removed": "removed", "refused": "refused",
              "offered": "skipped"}  # created on another device of the group, not ticked: left aside


def incoming_of(state, held, kind="full", now=NOW):
    text = document.dumps(document.to_document(state, kind=kind, now_ms=now))
    return document.read_document(document.parse_text(text), held=held)


def counts_agree(state, incoming) -> None:
    for mode, operation in (("merge", merge.merge), ("replace", merge.replace)):
        plans = merge.preview(state, incoming, mode=mode, now_ms=NOW)
        _new, report = operation(state, incoming, now_ms=NOW)
        expected = {REPORT_KEY[status]: n for status, n in merge.preview_counts(plans).items()}
        assert report.counts() == expected, mode


@st.composite
def edits(draw, state, now: int, seed: str):
    """A few later edits and deletions of live cellules (whoever wrote them)."""
    for i in range(draw(st.integers(0, 3))):
        live = [c.id for c in state.live_cellules()]
        if not live:
            break
        target = draw(st.sampled_from(live))
        now += draw(st.integers(1, 5000))
        if draw(st.booleans()):
            state = actions.edit(state, "cellule", target, {"name": f"{seed} {i}"}, now_ms=now)[0]
        else:
            state = actions.delete(state, "cellule", target, now_ms=now)
    return state


@settings(max_examples=40, deadline=None)
@given(states(name="Alice", max_ops=8), states(name="Bob", max_ops=6), st.data())
def test_the_report_counts_what_the_preview_counts_for_merge_and_replace(alice, bob, data):
    bob = merge.merge(bob, incoming_of(alice, bob, now=T0 + 10**6), now_ms=T0 + 10**6)[0]
    alice = data.draw(edits(alice, T0 + 2 * 10**6, "alice"))  # Alice edits after Bob took her file
    bob = data.draw(edits(bob, T0 + 3 * 10**6, "bob"))
    kind = data.draw(st.sampled_from(["full", "cellules"]))
    counts_agree(alice, incoming_of(bob, alice, kind=kind))


def test_replacing_with_an_older_copy_of_my_own_record_changes_nothing_and_says_so():
    alice = actions.new_state(name="Alice", random_bytes=rand("alice"))
    alice, cellule = actions.create_cellule(alice, {"nodeId": NODE, "name": "Vélo"}, now_ms=T0,
                                            random_bytes=rand("c"))
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    bob = merge.merge(bob, incoming_of(alice, bob), now_ms=T0 + 1000)[0]
    alice = actions.edit(alice, "cellule", cellule.id, {"name": "Vélo solidaire"}, now_ms=T0 + 2000)[0]
    incoming = incoming_of(bob, alice)
    plans = merge.preview(alice, incoming, mode="replace", now_ms=NOW)
    assert [(p.id, p.status) for p in plans] == [(cellule.id, "unchanged")]
    new, report = merge.replace(alice, incoming, now_ms=NOW)
    assert new.cellules[cellule.id].name == "Vélo solidaire"
    assert (report.updated, report.unchanged, report.added, report.removed) == ((), (cellule.id,), (), ())
    assert report.summary("en") == merge.Report(action="replace", source_id=bob.instance_id, source_name="Bob",
                                                at=report.at, unchanged=(cellule.id,)).summary("en")
    counts_agree(alice, incoming)
