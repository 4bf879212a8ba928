"""State's live lists (computed once per state) say exactly what its tables say, after any sequence of
actions and merges, and a state derived from another never shows the other's lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from strategies import NOW, export, states

from app.core import merge
from app.core.model import reading_key


def cellules_by_definition(state):
    return sorted((c for c in state.cellules.values() if c.live), key=lambda c: (reading_key(c.name), c.id))


def ateliers_by_definition(state, cellule_id=None):
    items = [a for a in state.ateliers.values()
             if a.live and (cellule_id is None or a.cellule_id == cellule_id)
             and (c := state.cellules.get(a.cellule_id)) is not None and c.live]
    return sorted(items, key=lambda a: (a.starts_at, reading_key(a.title), a.id))


def assert_lists_match_tables(state) -> None:
    assert state.live_cellules() == cellules_by_definition(state)
    assert state.live_ateliers() == ateliers_by_definition(state)
    for cellule_id in [*state.cellules, "no-such-cellule"]:
        assert state.live_ateliers(cellule_id) == ateliers_by_definition(state, cellule_id)


@given(states(max_ops=20), states(name="Bob", max_ops=20))
def test_live_lists_are_what_the_tables_say_after_actions_and_a_merge(alice, bob):
    assert_lists_match_tables(alice)
    merged, _ = merge.merge(alice, export(bob), now_ms=NOW)
    assert_lists_match_tables(merged)


@given(states(max_ops=20), st.data())
def test_a_derived_state_never_shows_the_lists_of_the_state_it_came_from(state, data):
    state.live_cellules(), state.live_ateliers()  # the lists of `state` are computed first
    for c in state.live_cellules():
        state.live_ateliers(c.id)
    keep = data.draw(st.sets(st.sampled_from(sorted(state.cellules) or ["-"])))
    derived = state.evolve(cellules={k: v for k, v in state.cellules.items() if k in keep})
    assert_lists_match_tables(derived)
    assert_lists_match_tables(state)  # and the first state is unchanged
    assert {c.id for c in derived.live_cellules()} <= keep


def test_a_returned_list_is_the_callers_own():
    """Changing a returned list (a view sorts or filters it in place) leaves the state's own list whole."""
    from strategies import T0, rand

    from app.core import actions

    state = actions.new_state(name="Alice", random_bytes=rand(1))
    state, _ = actions.create_cellule(state, {"nodeId": "871fa4c5bffffff", "name": "Vélo"}, now_ms=T0,
                                      random_bytes=rand(2))
    state.live_cellules().clear()
    state.live_ateliers().append("x")
    assert [c.name for c in state.live_cellules()] == ["Vélo"] and state.live_ateliers() == []
