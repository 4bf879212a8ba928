"""The words' catalogues (locale/): complete, well formed, the ones the app reads, and open to a third language.

- `msgfmt --check` (GNU gettext, Debian package `gettext`, installed by `make setup`) passes on every catalogue,
  and no entry is fuzzy or missing (Babel's reader): a French change makes `update` mark the English fuzzy,
  and this test fails until someone translates it;
- every key the code of app/ names (`t("…")`, `words("…")`, `error_text("…")`, found by walking the code: see
  named_keys for why not `pybabel extract`) is an entry of the French source;
- app/words/*.json, what app.core.i18n reads, is what `python -m tools.catalogues compile` makes of the catalogues;
- a small Dutch catalogue (tests/lint/nl.po, not shipped) is one file and nothing else: its words show, and
  what it lacks shows in French.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.core import errors, i18n
from tools import catalogues

ROOT = Path(__file__).resolve().parents[2]
NL = Path(__file__).with_name("nl.po")


def _copy_locale(tmp_path: Path) -> Path:
    locale = tmp_path / "locale"
    shutil.copytree(catalogues.LOCALE, locale)
    return locale


def test_msgfmt_check_passes_on_every_catalogue():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: `make setup` installs Debian's gettext"
    paths = [catalogues.TEMPLATE, *(catalogues.po_path(lang) for lang in catalogues.languages())]
    assert catalogues.po_path("en") in paths
    for path in paths:
        run = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, (path, run.stderr)


def test_no_entry_is_fuzzy_or_missing():
    assert catalogues.problems() == []


def test_every_translation_takes_the_french_entrys_parameters():
    """msgfmt checks the parameters of every entry flagged python-brace-format: a translation names the same
    ones as the French (a label is one value, rendered per language; a count `{n:n}` in every language)."""
    with catalogues.po_path("en").open("rb") as f:
        english = read_po(f, locale="en")
    unchecked = {m.context for m in english if m.id and "no-python-brace-format" in m.flags}
    assert unchecked == set()
    checked = {m.context for m in english if m.id and "python-brace-format" in m.flags}
    assert {"error:field.required", "error:doc.value", "error:record.unknown", "x.preview_summary#new",
            "m.report.merge"} <= checked


def test_a_french_change_marks_the_english_fuzzy_and_fails(tmp_path):
    locale = _copy_locale(tmp_path)
    pot = locale / "cellules.pot"
    text = pot.read_text("utf-8")
    assert text.count('msgctxt "tab.map"\nmsgid "Carte"\n') == 1
    pot.write_text(text.replace('msgctxt "tab.map"\nmsgid "Carte"\n', 'msgctxt "tab.map"\nmsgid "Plan"\n')
                   + '\nmsgctxt "tab.probe"\nmsgid "Sonde"\nmsgstr ""\n', "utf-8")
    catalogues.update(locale)
    assert catalogues.problems(locale) == ["en: fuzzy tab.map", "en: missing tab.probe"]
    english = catalogues.compiled(locale)["en"]["messages"]
    assert "tab.map" not in english and "tab.probe" not in english  # the French shows until translated


def _literal_keys(node: ast.AST) -> list[str]:
    """The keys a first argument can be: a string, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def named_keys() -> set[tuple[str, str]]:
    """(key, where) for every literal key given to t(), words() or error_text() in app/ (an AST walk:
    Babel's extractor, with these keywords, joins the two branches of `t("a" if c else "b")` into one)."""
    found = set()
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                if isinstance(func, ast.Name):
                    name = func.id
                elif isinstance(func, ast.Attribute):  # ctx.t(...), i18n.words(...); not self.error_text(...)
                    name = func.attr if func.attr == "t" or getattr(func.value, "id", "") == "i18n" else None
                else:
                    name = None
                if name in ("t", "words", "error_text"):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.update((key, where) for key in _literal_keys(node.args[0]))
    return found


def test_every_key_named_in_app_is_in_the_catalogue():
    found = named_keys()
    assert len(found) > 300  # the walk sees the code's keys
    entries = {ctxt.partition("#")[0] for ctxt in catalogues.compiled()["fr"]["messages"]}
    missing = sorted((where, key) for key, where in found
                     if key not in entries and catalogues.ERROR_PREFIX + key not in entries)
    assert not missing, missing


def test_the_key_walk_reads_both_branches_of_a_conditional_key():
    call = ast.parse('t("tab.map" if wide else "tab.probe", lang)').body[0].value
    assert _literal_keys(call.args[0]) == ["tab.map", "tab.probe"]


def test_the_app_reads_the_compiled_catalogues():
    data = catalogues.compiled()
    on_disk = {p.stem: json.loads(p.read_text("utf-8")) for p in catalogues.OUT.glob("*.json")}
    assert on_disk == data, "app/words is stale: run `python -m tools.catalogues compile` (make build does it)"
    assert sorted(i18n.CATALOGUES) == sorted(data) == ["en", "fr"]


def test_a_third_language_is_one_file_and_falls_back_to_french(tmp_path, monkeypatch):
    locale = _copy_locale(tmp_path)
    (locale / "nl" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(NL, catalogues.po_path("nl", locale))
    out = tmp_path / "words"
    catalogues.compile_words(locale, out)
    assert sorted(p.name for p in out.iterdir()) == ["en.json", "fr.json", "nl.json"]
    monkeypatch.setitem(i18n.CATALOGUES, "nl", i18n.catalogue("nl", json.loads((out / "nl.json").read_text("utf-8"))))

    assert i18n.t("tab.map", "nl") == "Kaart"
    assert i18n.t("tab.settings", "nl") == i18n.t("tab.settings", "fr") == "Réglages"  # not translated: French
    assert [i18n.t("x.last_backup", "nl", days=n) for n in (0, 1, 2)] == [
        "Laatste volledige back-up 0 dagen geleden.", "Laatste volledige back-up 1 dag geleden.",
        "Laatste volledige back-up 2 dagen geleden."]  # Dutch plural rule: singular for 1 only
    counts = i18n.t("s.counts", "nl", at="gisteren", cellules=1, ateliers=3)
    assert counts == "Laatste import gisteren · 1 cel, 3 ateliers"  # « ateliers »: its phrase is not translated
    refused = errors.ValidationError("field.required", label=i18n.words("label.name"))
    assert refused.message("nl") == "Het veld ‘naam’ is verplicht."
    assert refused.message("fr") == "Le champ «\u00a0nom\u00a0» est obligatoire."
    assert refused.message("en") == "The field “name” is required."
    # French typography stays with the French: the fallback keeps its no-break spaces, Dutch has none to add.
    assert i18n.t("x.copy_failed", "nl") == i18n.t("x.copy_failed", "fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_count_agrees_in_each_language(lang):
    one, two, many = (i18n.t("x.last_backup", lang, days=n) for n in (1, 2, 3801))
    if lang == "fr":
        assert (one, two, many) == ("Dernière sauvegarde complète il y a 1 jour.",
                                    "Dernière sauvegarde complète il y a 2 jours.",
                                    "Dernière sauvegarde complète il y a 3\u202f801 jours.")
        assert i18n.t("x.last_backup", lang, days=0) == "Dernière sauvegarde complète il y a 0 jour."
    else:
        assert (one, two, many) == ("Last full backup 1 day ago.", "Last full backup 2 days ago.",
                                    "Last full backup 3,801 days ago.")
        assert i18n.t("x.last_backup", lang, days=0) == "Last full backup 0 days ago."


def test_an_inline_count_becomes_gettext_plural_forms():
    """tools/catalogues.convert: how the counts written inline (`{n:~jour|jours}`) became plural entries."""
    assert catalogues.entries("k", "il y a {n:~jour|jours}", "{n:~day|days} ago") == [
        ("k#n", ("il y a {n:n} jour", "il y a {n:n} jours"), ("{n:n} day ago", "{n:n} days ago"))]
    assert catalogues.entries("k", "{a:~fichier|fichiers} {b:~~est|sont} là", "{a} files, {b:~~is|are}") == [
        ("k", "{a:plural} {b:plural} là", "{a} files, {b:plural}"),
        ("k#a", ("{a:n} fichier", "{a:n} fichiers"), ("{a}", "{a}")),
        ("k#b", ("est", "sont"), ("is", "are"))]
    assert catalogues.entries("k", "Carte", "Map") == [("k", "Carte", "Map")]
