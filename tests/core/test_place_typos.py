"""Place search's fallback for a typo (app.core.grid.Grid.suggest, edit_distance, typo_budget): « Namru »,
« Charleroy », « Louvain-la-Nueve » find nothing and suggest the place meant; a name one edit away from a
place's name (a letter changed, added, removed or two neighbours swapped) always suggests that place."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core import i18n
from app.core.grid import Grid, edit_distance, fold, typo_budget

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads((DATA / "fwb_grid.json").read_text("utf-8")))


@pytest.mark.parametrize(("typo", "meant"), [
    ("Namru", ["Namur"]),
    ("Charleroy", ["Charleroi"]),
    ("Louvain-la-Nueve", ["Louvain-la-Neuve — Ottignies-Louvain-la-Neuve"]),
    ("Bruxels", ["Bruxelles"]),
    ("Liegee", ["Liège", "Ligne — Ath"]),
])
def test_a_typo_finds_nothing_and_suggests_the_closest_names_first(typo, meant):
    assert grid().search(typo) == []
    assert [h.label for h in grid().suggest(typo)] == meant


def test_nothing_is_guessed_for_a_place_found_a_short_query_a_postal_code_or_a_far_name():
    assert grid().suggest("Namur") == [] and grid().suggest("Charl") == []  # search finds them
    assert grid().suggest("Nmr") == []  # under four letters: too many names are that close
    assert grid().suggest("5001") == [] and grid().suggest("9999") == []  # postal codes are never guessed
    assert grid().suggest("Zzyzx-sur-Mer") == []


def test_the_suggestion_is_said_in_both_languages():
    assert i18n.did_you_mean("fr", "Namru", ["Namur"]) == \
        "Aucun lieu ne s’appelle «\u00a0Namru\u00a0». Vouliez-vous dire «\u00a0Namur\u00a0»\u00a0?"
    assert i18n.did_you_mean("fr", "Liegee", ["Liège", "Ligne — Ath", "Lige"]) == (
        "Aucun lieu ne s’appelle «\u00a0Liegee\u00a0». Vouliez-vous dire «\u00a0Liège\u00a0», «\u00a0Ligne — "
        "Ath\u00a0» ou «\u00a0Lige\u00a0»\u00a0?")
    assert i18n.did_you_mean("en", "Namru", ["Namur", "Namêche"]) == \
        "No place is called “Namru”. Did you mean “Namur” or “Namêche”?"


def test_edit_distance_counts_each_kind_of_edit_once_and_stops_past_its_bound():
    assert edit_distance("namru", "namur", 2) == 1  # two neighbours swapped
    assert edit_distance("charleroy", "charleroi", 2) == 1
    assert edit_distance("mons", "mns", 2) == 1 and edit_distance("mns", "mons", 2) == 1
    assert edit_distance("ath", "ath", 0) == 0
    assert edit_distance("namur", "liege", 2) == 3  # bound + 1: more than the bound
    assert [typo_budget(n) for n in (3, 4, 5, 6, 9, 10)] == [0, 1, 1, 2, 2, 3]


def _names() -> list[str]:
    """The communes' and localities' French names the search knows (letters and spaces only)."""
    out = set()
    for node in grid().nodes.values():
        out.update((node.commune.name_fr, node.locality))
    return sorted(n for n in out if len(fold(n)) >= 5)


def _edited(name: str, data) -> str:
    q = fold(name)
    i = data.draw(st.integers(0, len(q) - 1), label="where")
    kind = data.draw(st.sampled_from(["change", "add", "remove", "swap"]), label="edit")
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), label="letter")
    if kind == "change":
        return q[:i] + letter + q[i + 1:]
    if kind == "add":
        return q[:i] + letter + q[i:]
    if kind == "remove":
        return q[:i] + q[i + 1:]
    i = min(i, len(q) - 2)
    return q[:i] + q[i + 1] + q[i] + q[i + 2:]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_one_edit_away_from_a_place_that_search_misses_always_suggests_that_place(data):
    name = data.draw(st.sampled_from(_names()), label="place")
    typo = _edited(name, data)
    # one edit of the folded name, as the search reads it: removing a one-letter word (« l » of
    # « Mont-de-l'Enclus ») also folds away a space, two edits
    assume(edit_distance(fold(typo), fold(name), 3) == 1)
    assume(len(typo.replace(" ", "")) >= 4 and not grid().search(typo))
    labels = {h.label for h in grid().suggest(typo, limit=100)}
    meant = {h.label for h in grid().search(name, limit=100) if h.kind != "postcode" and h.key == fold(name)}
    assert meant and meant <= labels
    distances = [edit_distance(fold(typo), h.key, 3) for h in grid().suggest(typo)]
    assert distances[0] <= 1 and distances == sorted(distances)  # the closest first
