"""The order of names where the platform's collation is out of reach (core, CLI): model.reading_key."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.core.model import reading_key

WORDS = st.text(alphabet="abcdeéèêàâçoôuùz ", min_size=1, max_size=12)


def test_accents_go_with_their_letter_and_numbers_read_as_numbers():
    names = ["Zèbre", "École du soir", "Voisins 10", "Voisins 2", "abeille", "Éa", "À la ferme", "eb", "Dinant"]
    assert sorted(names, key=reading_key) == [
        "À la ferme", "abeille", "Dinant", "Éa", "eb", "École du soir", "Voisins 2", "Voisins 10", "Zèbre"]


def test_other_digits_read_as_their_number():
    """« ① » and « ² » are 1 and 2 once decomposed; « ٣ » is a three of another script (ties: the name)."""
    assert sorted(["x", "a²b", "٣", "3", "²", "①"], key=reading_key) == ["①", "²", "3", "٣", "a²b", "x"]


@given(st.lists(st.text()))
def test_law_any_names_sort_without_error_and_the_order_is_total(names):
    keys = [reading_key(n) for n in names]
    assert sorted(keys) == sorted(sorted(keys))


@given(WORDS, st.integers(0, 10**6), st.integers(0, 10**6))
def test_law_two_names_that_differ_by_a_number_sort_by_that_number(stem, n, m):
    if n != m:
        assert (reading_key(f"{stem}{n}") < reading_key(f"{stem}{m}")) == (n < m)


@given(WORDS, WORDS)
def test_law_accents_and_case_only_break_ties(a, b):
    def plain(s):
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()

    if plain(a) != plain(b):
        assert (reading_key(a) < reading_key(b)) == (reading_key(plain(a)) < reading_key(plain(b)))
