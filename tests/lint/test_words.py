"""Every user-facing word lives in app/core/i18n.py, in French and in English, without jargon.

Rules checked here:
- every entry of TEXTS, ERRORS and DETAILS has a French and an English value, and both render with the same
  parameters (a plural `{n:~singulier|pluriel}` is well formed);
- no « (s) », « (x) », « (e) » shortcut in any value: counts go through the plural mechanism;
- no jargon in a French value (instance, nœud, identifiant, payload, version QR, JSON, hash, merge…),
  with a short allow-list, each entry justified; English values keep no French and no jargon either;
- every error code raised anywhere in app/ (CellulesError and its subclasses, found by parsing the
  code) has its message in both languages in the one error table (i18n.ERRORS, entries `error:<code>`), no
  error class words itself (one message path: error_text), and every literal key given to t() exists;
- no French is written outside i18n.py in app/core and in the command line (app/cli.py): no string literal
  (docstrings aside) with French accents or guillemets, and no sentence given to an error as a parameter (what
  is wrong, where, which field): those are `Words` (i18n.DETAILS), rendered in the reader's language; the
  command line writes no sentence at all (two words in a row) outside the catalogues, its --help included.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

import pytest

from app.core import i18n

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
ALL = {**{("TEXTS", k): v for k, v in i18n.TEXTS.items()}, **{("ERRORS", k): v for k, v in i18n.ERRORS.items()},
       **{("DETAILS", k): v for k, v in i18n.DETAILS.items()}}

SHORTCUT = re.compile(r"(?<!http)\((?:s|x|e|es|nes)\)", re.IGNORECASE)  # « http(s) » is no plural
JARGON_FR = re.compile(r"\binstances?\b|\bnœuds?\b|\bidentifiants?\b|\bpayload|\bversion QR|\bQR version|"
                       r"\b(?-i:JSON)\b|\bhash|\bmerge|\bempreinte|\bbase ?45|\bUUID|\bRFC ?3339|\bhorodatage|"
                       r"\btimestamp|\bH3\b", re.IGNORECASE)
JARGON_EN = re.compile(r"\binstances?\b|\bnodes?\b|\bpayload|\bQR version|\b(?-i:JSON)\b|\bhash|\bchecksum|"
                       r"\bRFC ?3339|\btimestamp|\bUUID", re.IGNORECASE)
# key -> why its French value may keep one of these words
ALLOWED_JARGON = {
    ("TEXTS", "fmt.col.id"): "CSV column header: spreadsheet users join the two tables on it",
    ("TEXTS", "fmt.col.cellule_id"): "CSV column header: the key that links an atelier row to its cellule row",
    ("TEXTS", "footer.attribution"): "licence attribution (footer): names the grid library, H3, as its licence asks",
    # The command line is for who runs scripts: its words name what the files and their format call things.
    ("TEXTS", "cli.line.qr_written"): "command line: the QR code's version and error level, for who prints it",
    ("TEXTS", "cli.help.init"): "command line --help: the state file is an instance, its id what `init` prints",
    ("TEXTS", "cli.help.init_name"): "command line --help: --name is the file's instanceName",
    ("TEXTS", "cli.help.import_json"): "command line --help: --json prints JSON, for scripts",
    ("TEXTS", "cli.help.sources"): "command line --help: a source is the instance data came from",
    ("TEXTS", "cli.help.sources_json"): "command line --help: --json prints JSON, for scripts",
    ("TEXTS", "cli.help.sources_refresh"): "command line --help: SOURCE_ID, the identifier `sources` lists",
    ("DETAILS", "label.cli.cellule_id"): "command line: the CELLULE_ID argument, the identifier `list` prints",
}
FRENCH_IN_EN = re.compile(r"[«»àâçèéêëîïôœùûü]")
FRENCH_OK_IN_EN = {"FÉDÉRÉ", "Français", "Chloé"}  # the badge's name, the language switch, a sample name


def words(template: str) -> str:
    """The text a user reads: without the {placeholders} (parameter names are code)."""
    return re.sub(r"\{[^{}:]*(?::([^{}]*))?\}", lambda m: " ".join((m.group(1) or "").lstrip("~").split("|")),
                  template)


def fields(template: str) -> list[tuple[str, str]]:
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None]


@pytest.mark.parametrize(("table", "key"), sorted(ALL))
def test_every_entry_has_both_languages_and_renders(table, key):
    value = ALL[(table, key)]
    assert isinstance(value, tuple) and len(value) == 2, value
    fr, en = value
    assert isinstance(fr, str) and isinstance(en, str) and fr.strip() and en.strip(), value
    params = {name: 2 for text in value for name, _ in fields(text)}
    for lang, text in (("fr", fr), ("en", en)):
        for _name, spec in fields(text):
            assert spec == "" or (spec.startswith("~") and "|" in spec), (key, lang, spec)
        i18n.render(text, lang, params)  # no KeyError, no bad format spec


def test_no_value_uses_a_plural_shortcut():
    found = [(k, text) for k, pair in ALL.items() for text in pair if SHORTCUT.search(text)]
    assert not found, found


def test_no_jargon_in_french_values():
    found = [(k, m.group()) for k, (fr, _) in ALL.items() if k not in ALLOWED_JARGON
             for m in [JARGON_FR.search(words(fr))] if m]
    assert not found, found
    assert all(JARGON_FR.search(ALL[k][0]) for k in ALLOWED_JARGON)  # the allow-list stays needed


def test_english_values_are_english():
    found = []
    for k, (_, en) in ALL.items():
        plain = words(en)
        for word in FRENCH_OK_IN_EN:
            plain = plain.replace(word, "")
        if FRENCH_IN_EN.search(plain) or (JARGON_EN.search(words(en)) and k not in ALLOWED_JARGON):
            found.append((k, en))
    assert not found, found


def test_the_rules_catch_what_they_are_for():
    assert SHORTCUT.search("{n} cellule(s)") and JARGON_FR.search("Nom de cette instance")
    assert JARGON_FR.search("Lieu (nœud de la grille)") and JARGON_FR.search("Coller le texte (JSON)")
    assert not JARGON_FR.search("un fichier .json") and FRENCH_IN_EN.search("Dernière sauvegarde")


# --- error codes raised in app/ and keys given to t() ----------------------------------------------------

def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text("utf-8"))) for p in sorted(APP.rglob("*.py"))]


def _error_classes(modules) -> set[str]:
    """The names of CellulesError and every class that derives from it, however far down."""
    bases = {"CellulesError": []}
    for _, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                                             for b in node.bases])
    found, changed = {"CellulesError"}, True
    while changed:
        grown = {name for name, parents in bases.items() if found & set(parents)} - found
        found, changed = found | grown, bool(grown)
    return found


def _raised_codes() -> set[tuple[str, str]]:
    modules = _modules()
    classes = _error_classes(modules)
    codes = set()
    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in classes:
                    arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"),
                                                              None)
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        codes.add((arg.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return codes


def test_every_error_code_raised_in_app_has_words_in_both_languages():
    codes = _raised_codes()
    assert len(codes) > 60 and {"MergeError", "StoreError", "WebError", "CliError"} <= _error_classes(_modules())
    missing = [(where, code) for code, where in sorted(codes) if not all(i18n.ERRORS.get(code) or ())]
    assert not missing, missing


def test_errors_have_one_table_and_one_message_path():
    """Every error's words are its catalogue entry `error:<code>` (i18n.ERRORS), rendered by error_text through
    CellulesError.message: no error class words itself, and no error message lives among the other words."""
    classes = _error_classes(modules := _modules())
    own = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in modules for node in ast.walk(tree)
           if isinstance(node, ast.ClassDef) and node.name in classes - {"CellulesError"}
           and any(isinstance(item, ast.FunctionDef) and item.name == "message" for item in node.body)]
    assert not own, own
    assert not [key for key in i18n.TEXTS if key.startswith(("err.", "error:"))]


def test_every_literal_key_given_to_t_exists():
    missing = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name == "t" and node.args[0].value not in i18n.TEXTS:
                    missing.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value))
    assert not missing, missing


# --- no French outside i18n in app/core and app/cli.py -----------------------------------------------------

FRENCH = re.compile(r"[àâçèéêëîïôœùûü]|« | »|’")
SENTENCE = re.compile(r"[^\W\d_]{2,} [^\W\d_]{2,}")  # two words in a row, in any language


def _checked_modules() -> list[Path]:
    """The modules whose words all come from the catalogues: app/core (but i18n.py) and the command line."""
    core = [path for path in sorted((APP / "core").rglob("*.py")) if path.name != "i18n.py"]
    return core + [path for path in (APP / "cli.py",) if path.exists()]


def _literals(path: Path) -> list[str]:
    """The string literals of a module, docstrings aside (f-strings give their literal parts)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _french_literals() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in _checked_modules():
        for text in _literals(path):
            if FRENCH.search(text):
                found.setdefault(str(path.relative_to(ROOT)), set()).add(text)
    return found


def test_no_french_text_outside_i18n_in_app_core_and_the_cli():
    assert not _french_literals()


def test_the_cli_writes_no_sentence_outside_the_catalogues():
    """Its lines, its errors' details and its --help are catalogue entries (`cli.line.*`, `d.cli.*`, `cli.help.*`)."""
    assert [text for text in _literals(APP / "cli.py") if SENTENCE.search(text)] == []


# Keyword parameters of an error that name what is wrong, where, which field: words the user reads.
WORD_PARAMS = {"detail", "what", "where", "label", "expected", "kind"}
# A literal is allowed there only when it reads the same in both languages: one token, no space
# (a JSON key, "JSON", "format", "records[3]"), or a repr of the value itself.


def _sentence_params() -> list[tuple[str, str]]:
    modules = [(p, t) for p, t in _modules() if p.parent.name == "core" or p.name == "cli.py"]
    classes = _error_classes(_modules())
    found = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in classes:
                continue
            for kw in node.keywords:
                if kw.arg not in WORD_PARAMS:
                    continue
                literal = [v.value for v in ast.walk(kw.value) if isinstance(v, ast.Constant)
                           and isinstance(v.value, str)]
                if any(" " in text.strip() or FRENCH.search(text) for text in literal):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", kw.arg))
    return found


def test_errors_in_app_core_get_their_words_as_words():
    assert not _sentence_params()


def test_the_french_rules_catch_what_they_are_for(tmp_path, monkeypatch):
    assert FRENCH.search("champ « nom »") and FRENCH.search("créé le") and not FRENCH.search("records[3]")
    core = tmp_path / "app" / "core"
    core.mkdir(parents=True)
    (core / "bad.py").write_text('class ValidationError(CellulesError):\n    pass\n\n\n'
                                 'def f(x):\n    """Doc « ok »."""\n'
                                 '    raise ValidationError("field.format", detail=f"champ inconnu {x}")\n'
                                 '    raise ValidationError("field.format", label="début")\n', "utf-8")
    monkeypatch.setattr(sys.modules[__name__], "APP", tmp_path / "app")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "app" / "cli.py").write_text('def g(p):\n    """Doc."""\n'
                                             '    p.add_argument("--x", help="shows the list")\n'
                                             '    print(f"exported: {p}")\n', "utf-8")
    assert _french_literals() == {"app/core/bad.py": {"début"}}
    assert [what for _, what in _sentence_params()] == ["detail", "label"]
    assert [text for text in _literals(tmp_path / "app" / "cli.py") if SENTENCE.search(text)] == ["shows the list"]
    assert not SENTENCE.search("python -m app") and SENTENCE.search("pas avec --format ")
