"""app.core.i18n reads the compiled catalogues (app/words): the (French, English) pairs it offers render as the
entries themselves do, and a count picks its form by the catalogue's plural rule (here and in Pyodide)."""

from __future__ import annotations

import string

import pytest

from app.core import i18n

COUNTS = (0, 1, 2, 1234)


def _counted(table: dict[str, tuple[str, str]]) -> list[str]:
    return sorted(key for key, (fr, en) in table.items() if ":~" in fr + en)


def _params(template: str, n: int) -> dict[str, object]:
    return {name: (n if spec.startswith("~") else f"‹{name}›")
            for _, name, spec, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pairs_render_as_the_entries_do(lang):
    checked = 0
    for table, render_entry in ((i18n.TEXTS, lambda k, p: i18n.t(k, lang, **p)),
                                (i18n.ERRORS, lambda k, p: i18n.error_text(k, lang, **p)),
                                (i18n.DETAILS, lambda k, p: i18n.words(k, **p).text(lang))):
        for key in _counted(table):
            fr, en = table[key]
            for n in COUNTS:
                params = {**_params(fr, n), **_params(en, n)}
                template = en if lang == "en" else fr
                if key.startswith("fmt."):
                    continue  # files' words: plain spaces, not render()'s French typography
                expected = i18n.render(template, lang, {"code": key, **params}) if table is i18n.ERRORS \
                    else i18n.render(template, lang, params)
                assert render_entry(key, params) == expected, (key, n)
                checked += 1
    assert checked > 200


def test_the_source_and_english_catalogues_are_loaded_with_their_plural_rules():
    assert sorted(i18n.CATALOGUES) == ["en", "fr"]
    assert [i18n.CATALOGUES["fr"].plural(n) for n in (0, 1, 2)] == [0, 0, 1]
    assert [i18n.CATALOGUES["en"].plural(n) for n in (0, 1, 2)] == [1, 0, 1]
    assert i18n.t("no.such.key", "en") == "no.such.key"
    assert i18n.t("tab.map", "de") == i18n.t("tab.map", "fr") == "Carte"  # a language without words: French


@pytest.mark.parametrize("words", ["missing", "empty"])
def test_words_not_compiled_yet_name_the_build_step(tmp_path, monkeypatch, words):
    """Tests run before `make build`: no app/words folder (or one without fr.json) is a RuntimeError that says
    which command writes it, not a bare FileNotFoundError."""
    app = tmp_path / "app"
    app.mkdir()
    if words == "empty":
        (app / "words").mkdir()
    monkeypatch.setattr(i18n.resources, "files", lambda package: app)
    with pytest.raises(RuntimeError, match=r"^app/words/fr\.json is missing: .*\(make build\) writes it$"):
        i18n._packaged()
