"""The hostile corpus through the core and the CLI; fuzzing the decoders."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from corpus import CASES, INVALID_UTF8, ISSUE12_CASES, STATEFUL_CASES, imported_as_documented
from hypothesis import given
from hypothesis import strategies as st

from app.cli import main
from app.core import actions, document, merge, transfer
from app.core.errors import CellulesError
from app.core.grid import Grid

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_769_594_400_000 + 10**9


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8")))


def core_import(text):
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    return state, merge.import_text(state, transfer.read_any(text), now_ms=NOW, known_nodes=grid())


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len(ISSUE12_CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)


def test_every_case_says_ok_ok_refused_or_an_error_code():
    from app.core.i18n import ERRORS

    codes = {c[2] for c in CASES}
    assert {c for c in codes if c.startswith("ok")} == {"ok", "ok-refused:clock.future"}
    assert {c for c in codes if not c.startswith("ok")} <= set(ERRORS)


@pytest.mark.parametrize(("name", "text", "code"), CASES, ids=[c[0] for c in CASES])
def test_core_refuses_clearly_or_accepts_as_documented(name, text, code):
    if code.startswith("ok-refused:"):
        reason = code.split(":", 1)[1]
        _, (new, report) = core_import(text)
        assert [(r.kind, r.id, r.code) for r in report.refusals] == [("cellule", "c1", reason),
                                                                    ("atelier", "a1", "parent.refused")]
        assert "c1" not in new.cellules
        imported_as_documented(new, text, code)  # c1 and its atelier left out, nothing else
        document.loads_state(document.check_state_limits(new, now_ms=NOW + 1))
        return
    if code == "ok":
        _, (new, report) = core_import(text)
        assert report.action == "merge"
        imported_as_documented(new, text, code)  # what was imported: every record, as written
        # accepted => the state reopens from its own backup, which a fresh instance imports again
        backup = document.check_state_limits(new, now_ms=NOW + 1)
        assert document.loads_state(backup) == new
        assert "x0" not in backup and "f0" not in backup and "x" * 500 not in backup  # junk history left out
        return
    with pytest.raises(CellulesError) as err:
        core_import(text)
    assert err.value.code == code, str(err.value)
    assert str(err.value) and "Traceback" not in str(err.value)


def test_invalid_utf8_is_refused():
    with pytest.raises(CellulesError) as err:
        core_import(INVALID_UTF8)
    assert err.value.code == "doc.encoding"


REFUSED = [c for c in CASES if not c[2].startswith("ok")]


@pytest.mark.parametrize(("name", "text", "code"), REFUSED, ids=[c[0] for c in REFUSED])
def test_cli_exits_1_with_that_cases_french_line_and_leaves_state_byte_identical(name, text, code, tmp_path, capsys):
    state = tmp_path / "state.json"
    assert main(["init", str(state), "--name", "Moi"]) == 0
    before = state.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(text, "utf-8", errors="surrogatepass")
    capsys.readouterr()
    assert main(["import", str(state), str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    with pytest.raises(CellulesError) as core:
        core_import(text)
    assert err == "erreur : " + " ".join(str(core.value).split())  # the core's refusal, on one line
    assert state.read_bytes() == before
    assert not (tmp_path / "state.json.undo").exists()


ACCEPTED = [c for c in CASES if c[2].startswith("ok")]


@pytest.mark.parametrize(("name", "text", "code"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_every_accepted_case_through_the_cli_writes_a_state_that_reopens(name, text, code, tmp_path, capsys):
    """Accepted whole, or with the implausible record refused and the rest imported: STATE reopens."""
    state = tmp_path / "state.json"
    assert main(["init", str(state), "--name", "Moi"]) == 0
    bad = tmp_path / "in.json"
    bad.write_text(text, "utf-8", errors="surrogatepass")
    capsys.readouterr()
    status = main(["import", str(state), str(bad)])
    err = capsys.readouterr().err.strip()
    assert status == 0, err
    reopened = document.loads_state(state.read_bytes())
    if code.startswith("ok-refused:"):
        assert "c1" not in reopened.cellules  # refused, the rest imported
    imported_as_documented(reopened, text, code)  # the reopened state holds what the file carries, no more


def _stateful_setup():
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    state, held = actions.create_cellule(state, {"nodeId": corpus_node(), "name": "Ma cellule"}, now_ms=NOW - 10**6,
                                         random_bytes=bytes(range(2, 18)))
    return state, held


def corpus_node() -> str:
    from corpus import GOOD_NODE

    return GOOD_NODE


@pytest.mark.parametrize(("name", "text", "code"), STATEFUL_CASES, ids=[c[0] for c in STATEFUL_CASES])
def test_identity_and_own_instance_cases_against_a_state_holding_records(name, text, code):
    state, held = _stateful_setup()
    text = text.replace("{SELF}", state.instance_id).replace("{HELD}", held.id)
    if not code.startswith(("ok", "refused:")):
        with pytest.raises(CellulesError) as err:
            merge.import_text(state, text, now_ms=NOW, known_nodes=grid())
        assert err.value.code == code
        return
    new, report = merge.import_text(state, text, now_ms=NOW, known_nodes=grid())
    if code.startswith("refused:"):
        assert [(r.kind, r.id, r.code) for r in report.refusals] == [("cellule", held.id, code.split(":", 1)[1])]
    else:  # accepted: the file's records are added beside mine, mine unchanged
        assert sorted(new.cellules) == sorted({held.id, "c1"}) and sorted(new.ateliers) == ["a1"]
        assert (new.cellules["c1"].name, new.ateliers["a1"].title) == ("Cellule", "Atelier")
        assert new.cellules[held.id] == held
        assert (new.sources["Chostile"].cellule_count, new.sources["Chostile"].atelier_count) == (1, 1)
    assert new.cellules[held.id].origin == state.instance_id  # identity never rewritten
    assert new.cellules[held.id].created_at == held.created_at
    assert document.loads_state(document.check_state_limits(new, now_ms=NOW + 1)) == new


# --- fuzzing: random input is refused with our own error class — never any other exception ------
# (no generator below can draw a valid document: each misses a field every document has)

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=4), max_leaves=20)


def must_be_ours(text) -> None:
    with pytest.raises(CellulesError) as err:
        incoming = document.read_document(document.parse_text(transfer.read_any(text)), now_ms=NOW)
        merge.merge(actions.new_state(name="Moi", random_bytes=bytes(range(16))), incoming, now_ms=NOW)
    assert err.value.message("en") != f"Error: {err.value.code}"  # a code with its own words


@given(st.binary(max_size=400))
def test_fuzz_bytes(data):
    must_be_ours(data)


@given(st.text(max_size=300))
def test_fuzz_text_and_payload_prefixes(text):
    must_be_ours(text)
    must_be_ours("FWB1:" + text)
    must_be_ours("FWBP:1/2/0A0B0C0D:" + text)


@given(json_values)
def test_fuzz_json_shapes(value):
    must_be_ours(json.dumps(value))
    must_be_ours(json.dumps({"version": "1.0", "instanceId": "Cabcdefg", "exportedAt": "2026-01-01T00:00:00Z",
                             "cellules": value if isinstance(value, list) and value else [value]}))


@given(st.dictionaries(st.sampled_from(["id", "nodeId", "name", "description", "contact", "createdAt", "updatedAt",
                                        "origin", "deleted", "sync"]), json_values, max_size=10))
def test_fuzz_cellule_records(record):
    must_be_ours(json.dumps({"version": "1.0", "instanceId": "Cabcdefg", "exportedAt": "2026-01-01T00:00:00Z",
                             "cellules": [record]}))


# --- every refusal in both languages (the English as complete as the French, every error) ----------
# What the user's file itself carries is quoted (« … » / “ … ”) or is a place in the file: taken out
# before looking for the other language.
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|'[^']*'|\"[^\"]*\"")
FRENCH_WORDS = re.compile(r"[«»àâçèéêëîïôœùûü’]|\b(?:le|la|les|des|du|une?|est|sont|champ|attendue?s?|valeur|"
                          r"texte|fichier|caractères?|entrées?|groupes?|liste|nombre|refusé|manquant|invalide)\b")
ENGLISH_WORDS = re.compile(r"\b(?:the|is|are|of|expected|Expecting|Invalid|must|not|field|value|missing|"
                           r"character|characters|list|delimiter|Unterminated)\b")


def _refusals():
    for name, text, code in CASES:
        if code.startswith("ok"):
            continue
        with pytest.raises(CellulesError) as err:
            core_import(text)
        yield name, err.value


def test_every_refusal_of_the_corpus_reads_wholly_in_french_and_wholly_in_english():
    seen, mixed = 0, []
    for name, error in _refusals():
        fr, en = error.message("fr"), error.message("en")
        assert fr != en and fr == str(error)
        if FRENCH_WORDS.search(QUOTED.sub("", en)):
            mixed.append((name, "en", en))
        if ENGLISH_WORDS.search(QUOTED.sub("", fr)):
            mixed.append((name, "fr", fr))
        seen += 1
    assert seen >= 40 and not mixed, mixed


def test_the_language_check_sees_a_french_detail_in_an_english_message():
    from app.core.i18n import error_text

    assert FRENCH_WORDS.search(error_text("doc.schema", "en", where="x", detail="champ obligatoire manquant"))
    assert ENGLISH_WORDS.search(error_text("doc.json", "fr", line=1, col=2, detail="Expecting value"))
