"""Line and paragraph separators: refused in one-line fields, never a line of their own in an export.

str.splitlines() — and many a line-based reader of a calendar or a spreadsheet — splits on more than
CR and LF: vertical tab, form feed, U+001C–U+001E, NEL (U+0085), U+2028, U+2029. A name holding NEL
once reached the ICS file raw, and such a reader saw an event (with an alarm) the name had slipped in.

- every one-line field (names, titles, places, contact, the group's name, a source's name) refuses
  each of them, and every C0/C1 control, with the field's French message; descriptions keep LF, CR
  and tab, and refuse the rest (the same message);
- the ICS, CSV and GeoJSON writers keep any text on its line, whatever reaches them (laws below,
  with the model bypassed too);
- the CLI says the same, in one French line, and leaves the state file as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.cli import main
from app.core import actions, document, merge
from app.core.errors import CellulesError
from app.core.formats import csv_export, geojson, ics
from app.core.model import (
    ATELIER_FIELDS,
    CELLULE_FIELDS,
    INSTANCE_NAME_RULE,
    LINE_BREAKS,
    Atelier,
    Cellule,
    Source,
    State,
    check_field,
    fast_check,
)

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8"))["nodes"][42][0]
T0 = 1_769_594_400_000  # 2026-01-28T10:00:00Z
NOW = T0 + 10**8

# What str.splitlines() splits on, one by one.
SEPARATORS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
C0 = tuple(chr(c) for c in range(0x20))
C1 = tuple(chr(c) for c in range(0x80, 0xA0))
ONE_LINE_REFUSED = (*C0, "\x7f", *C1, "\u2028", "\u2029")
MULTI_LINE_REFUSED = tuple(c for c in ONE_LINE_REFUSED if c not in "\t\n\r")
ONE_LINE_RULES = tuple(r for r in (*CELLULE_FIELDS, *ATELIER_FIELDS, INSTANCE_NAME_RULE)
                       if r.kind == "text" and not r.multiline)
MULTI_LINE_RULES = tuple(r for r in (*CELLULE_FIELDS, *ATELIER_FIELDS) if r.multiline)
MESSAGE = "Le champ « {} » contient un caractère de contrôle interdit."


def plain(text: str) -> str:
    """A message as written, French typography's no-break spaces as spaces."""
    return text.replace("\u00a0", " ")


def refused(rule, value) -> CellulesError:
    with pytest.raises(CellulesError) as err:
        check_field(rule, value)
    return err.value


# --- what counts as a line break ------------------------------------------------------------------

def test_line_breaks_are_exactly_what_splitlines_splits_on():
    splitting = {chr(c) for c in range(0x110000)
                 if not 0xD800 <= c < 0xE000 and len(f"a{chr(c)}b".splitlines()) == 2}
    assert splitting == set(SEPARATORS)
    assert {c for c in map(chr, range(0x110000)) if LINE_BREAKS.fullmatch(c)} == splitting


def test_the_rules_cover_every_one_line_field_of_the_forms():
    assert {r.key for r in ONE_LINE_RULES} == {"name", "contact", "title", "place", "instanceName"}
    assert {r.key for r in MULTI_LINE_RULES} == {"description"}


# --- the model ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", ONE_LINE_RULES, ids=lambda r: r.key)
def test_every_one_line_field_refuses_every_separator_and_control_with_the_fields_french_message(rule):
    for char in ONE_LINE_REFUSED:
        for value in (f"Asso{char}Nord", f"{char}Asso", f"Asso{char}"):
            error = refused(rule, value)
            assert error.code == "field.control_chars"
            assert plain(error.message("fr")) == MESSAGE.format(rule.label_words.text("fr"))
            english = rule.label_words.text("en")
            assert error.message("en") == f"The field “{english}” contains a forbidden control character."
            assert error.params["char"] == f"U+{ord(char):04X}"
            assert fast_check(rule)(value) is False  # the fast path never lets one through


@pytest.mark.parametrize("rule", MULTI_LINE_RULES, ids=lambda r: f"{r.attr}-{r.max_len}")
def test_a_description_keeps_lf_cr_and_tab_and_refuses_every_other_separator_and_control(rule):
    for kept in ("Ligne 1\nLigne 2", "Ligne 1\r\nLigne 2", "Ligne 1\rLigne 2", "Col 1\tCol 2"):
        assert check_field(rule, kept) == kept and fast_check(rule)(kept)
    for char in MULTI_LINE_REFUSED:
        error = refused(rule, f"Ligne 1{char}Ligne 2")
        assert (error.code, plain(error.message("fr"))) == ("field.control_chars", MESSAGE.format("description"))
        assert fast_check(rule)(f"Ligne 1{char}Ligne 2") is False


def test_records_sources_and_the_group_name_refuse_nel_wherever_they_are_built():
    state = actions.new_state(name="Asso Nord", random_bytes=bytes(16))
    for build_it in (lambda: actions.new_state(name="Asso\x85Nord", random_bytes=bytes(16)),
                     lambda: actions.rename_instance(state, "Asso\u2028Nord"),
                     lambda: Source(id="Cvoisine", name="Voisine\x85BEGIN:VALARM", imported_at="2026-01-28T10:00:00Z")):
        with pytest.raises(CellulesError) as err:
            build_it()
        assert plain(str(err.value)) == MESSAGE.format("nom du groupe")
    for values, label in (({"name": "Vélo\x85Nord"}, "nom"), ({"contact": "a@b.be\u2029x"}, "contact"),
                          ({"description": "Réparations\x85le samedi"}, "description")):
        with pytest.raises(CellulesError) as err:
            actions.create_cellule(state, {"nodeId": NODE, "name": "Vélo", **values}, now_ms=T0,
                                   random_bytes=bytes(16))
        assert plain(str(err.value)) == MESSAGE.format(label)
    state, cellule = actions.create_cellule(state, {"nodeId": NODE, "name": "Vélo"}, now_ms=T0, random_bytes=bytes(16))
    for values, label in (({"title": "Atelier\x85END:VEVENT"}, "titre"), ({"place": "Salle\x0bB"}, "lieu")):
        with pytest.raises(CellulesError) as err:
            actions.create_atelier(state, {"celluleId": cellule.id, "title": "Atelier",
                                           "startsAt": "2026-03-01T10:00:00Z", **values}, now_ms=T0 + 1,
                                   random_bytes=bytes(range(16)))
        assert plain(str(err.value)) == MESSAGE.format(label)
    with pytest.raises(CellulesError) as err:
        actions.edit(state, "cellule", cellule.id, {"name": "Vélo\u2028Sud"}, now_ms=T0 + 2)
    assert plain(str(err.value)) == MESSAGE.format("nom")


# --- the writers: any text accepted in a one-line field stays on its line -------------------------

def accepted_text(rule, max_size: int = 30):
    """Any text `rule` accepts: arbitrary text (separators and controls often drawn), the characters
    the rule refuses taken out one by one, by the rule itself."""
    chars = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(ONE_LINE_REFUSED)
    ok = fast_check(rule)
    return st.text(chars, max_size=max_size).map(lambda s: "".join(c for c in s if ok(f"x{c}"))).filter(
        lambda s: not rule.min_len or s.strip())


def build(name: str, contact: str, title: str, place: str, group: str, description: str = ""):
    state = actions.new_state(name=group, random_bytes=bytes(16))
    state, cellule = actions.create_cellule(state, {"nodeId": NODE, "name": name, "contact": contact,
                                                    "description": description},
                                            now_ms=T0, random_bytes=bytes(range(16)))
    state, atelier = actions.create_atelier(state, {"celluleId": cellule.id, "title": title, "place": place,
                                                    "description": description,
                                                    "startsAt": "2026-03-01T10:00:00Z",
                                                    "endsAt": "2026-03-01T12:00:00Z"},
                                            now_ms=T0 + 1, random_bytes=bytes(range(1, 17)))
    return state, cellule, atelier


EVENT = ["BEGIN", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "CREATED", "LAST-MODIFIED",
         "STATUS", "LOCATION", "DESCRIPTION", "CATEGORIES", "END"]
CALENDAR = ["BEGIN", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", *EVENT, "END"]


def ics_lines(text: str) -> list[str]:
    """The content lines as RFC 5545 reads them; the physical lines must be what splitlines() sees."""
    physical = text.split("\r\n")
    assert physical[-1] == "" and text.splitlines() == physical[:-1]
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def ics_unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def csv_cell(cell: str) -> str:
    """The user's text back from a neutralised cell (csv_export.neutralise)."""
    formula = cell.startswith("'") and cell.lstrip("'").startswith(csv_export.DANGEROUS_START)
    return cell[1:] if formula else cell


def breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


@given(accepted_text(CELLULE_FIELDS[0]), accepted_text(CELLULE_FIELDS[2]), accepted_text(ATELIER_FIELDS[1]),
       accepted_text(ATELIER_FIELDS[4]), accepted_text(INSTANCE_NAME_RULE))
@example("Vélo", "a@b.be", "Atelier", "Salle", "Asso")
def test_ics_and_csv_of_one_line_text_split_into_exactly_the_lines_written(name, contact, title, place, group):
    state, cellule, atelier = build(name, contact, title, place, group)
    lines = ics_lines(ics.calendar(state, None, now_ms=NOW))
    assert [line.split(":", 1)[0] for line in lines] == CALENDAR
    values = {line.split(":", 1)[0]: ics_unescape(line.split(":", 1)[1]) for line in lines[6:-1]}
    assert (values["SUMMARY"], values["LOCATION"], values["CATEGORIES"]) == (title, place or NODE, name)

    for text, first in ((csv_export.cellules_csv(state, None), name), (csv_export.ateliers_csv(state, None), title)):
        assert len(text.splitlines()) == 2  # the header and the record's row, nothing else
        _header, row = csv_rows(text)
        assert csv_cell(row[0]) == first
    out = geojson.geojson_text(state, None, now_ms=NOW)
    assert out.splitlines() == out.split("\n")[:-1]


@given(accepted_text(CELLULE_FIELDS[1], max_size=60))
@example("Ligne 1\nLigne 2\r\nLigne 3\rLigne 4\t=1+1")
def test_a_descriptions_own_line_breaks_are_the_only_extra_lines_of_the_csv(description):
    state, _, _ = build("Vélo", "", "Atelier", "", "Asso", description)
    for text in (csv_export.cellules_csv(state, None), csv_export.ateliers_csv(state, None)):
        assert len(text.splitlines()) == 2 + breaks(description)
        assert len(csv_rows(text)) == 2
    lines = ics_lines(ics.calendar(state, None, now_ms=NOW))
    assert [line.split(":", 1)[0] for line in lines] == CALENDAR


# --- the writers, the model bypassed (defence in depth) --------------------------------------------

ANY = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(SEPARATORS + C1), max_size=30)


@given(ANY, ANY)
@example("Vélo\x85BEGIN:VALARM\x85TRIGGER:-PT5M", "Ligne\u2028END:VEVENT\u2029\x0b\x0c\x1c\x1d\x1e")
def test_whatever_reaches_the_writers_stays_on_its_line(text, other):
    """Records holding any text (set without the model's checks, as a bug or an old build could):
    the calendar's lines are the ones written, a spreadsheet row is one row but for the LF/CR kept
    in quoted fields, and the map layer's JSON reads back the same text."""
    state, cellule, atelier = build("Vélo", "", "Atelier", "", "Asso")
    cellule = cellule.evolve(name=text, contact=other, description=other)
    atelier = atelier.evolve(title=text, place=other, description=text)
    state = replace(state, cellules={cellule.id: cellule}, ateliers={atelier.id: atelier})

    lines = ics_lines(ics.calendar(state, None, now_ms=NOW))
    assert [line.split(":", 1)[0] for line in lines] == CALENDAR
    assert not any(LINE_BREAKS.search(line) for line in lines)

    for out, values in ((csv_export.cellules_csv(state, None), (text, other, other)),
                        (csv_export.ateliers_csv(state, None), (text, other, text, text))):  # title, place,
        # the cellule's name, description
        assert len(csv_rows(out)) == 2
        assert len(out.splitlines()) == 2 + sum(breaks(v) for v in values)
        assert not re.search(r"[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", out)

    out = geojson.geojson_text(state, None, now_ms=NOW)
    assert len(out.splitlines()) == out.count("\n")
    properties = json.loads(out)["features"][0]["properties"]
    assert (properties["name"], properties["contact"], properties["description"]) == (text, other, other)


# --- documents and the CLI ------------------------------------------------------------------------

def a_document(**changes) -> str:
    state, cellule, atelier = build("Vélo", "a@b.be", "Atelier", "Salle", "Asso voisine")
    doc = document.to_document(state, now_ms=T0 + 5)
    for path, value in changes.items():
        target = doc
        *parts, last = path.split("__")
        for part in parts:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize(("path", "where", "label"), [
    ("instanceName", "document", "nom du groupe"),
    ("cellules__0__name", "cellules[0]", "nom"),
    ("cellules__0__contact", "cellules[0]", "contact"),
    ("ateliers__0__title", "ateliers[0]", "titre"),
    ("ateliers__0__place", "ateliers[0]", "lieu"),
])
@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\x0b", "\x1e"], ids=ascii)
def test_a_document_with_a_separator_in_a_one_line_field_is_refused_naming_it(path, where, label, char):
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    text = a_document(**{path: f"Vélo{char}BEGIN:VALARM"})
    with pytest.raises(CellulesError) as err:
        merge.import_text(state, text, now_ms=NOW)
    assert err.value.code == "doc.schema"
    assert plain(str(err.value)) == f"Document invalide à {where} : le champ « {label} » contient un " \
                                    "caractère de contrôle interdit."


def test_a_source_or_peer_name_with_nel_is_refused():
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    source = {"id": "Cvoisine", "name": "Voisine\x85Nord", "importedAt": "2026-01-28T10:00:00Z"}
    with pytest.raises(CellulesError) as err:
        merge.import_text(state, a_document(federatedSources=[source]), now_ms=NOW)
    assert plain(str(err.value)).endswith("le champ « nom du groupe » contient un caractère de contrôle interdit.")
    with pytest.raises(CellulesError) as err:
        merge.import_text(state, a_document(peerNames={"Cvoisine": "Voisine\u2028Nord"}), now_ms=NOW)
    assert err.value.code == "doc.value" and "peerNames" in str(err.value)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, plain(capsys.readouterr().err.strip())


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r", "\n",
                                  "\x00", "\x1b", "\x7f", "\x9b"], ids=ascii)
def test_the_cli_refuses_each_separator_in_each_one_line_field_in_one_french_line(char, tmp_path, capsys):
    state = tmp_path / "state.json"
    assert run(capsys, "init", str(state), "--name", "Asso Nord")[0] == 0
    assert run(capsys, "init", str(tmp_path / "other.json"), "--name", f"Asso{char}Nord") == \
        (1, "erreur : " + MESSAGE.format("nom du groupe"))
    assert not (tmp_path / "other.json").exists()
    code = main(["cellule", "add", str(state), "--name", "Vélo", "--node", NODE])
    cid = capsys.readouterr().out.strip()
    assert code == 0
    code = main(["atelier", "add", str(state), "--cellule", cid, "--title", "Atelier",
                 "--starts", "2026-03-01T10:00:00Z"])
    aid = capsys.readouterr().out.strip()
    assert code == 0
    before = state.read_bytes()
    for argv, label in (
        (["cellule", "add", str(state), "--node", NODE, "--name", f"Vélo{char}Sud"], "nom"),
        (["cellule", "add", str(state), "--node", NODE, "--name", "Vélo", "--contact", f"a{char}b"], "contact"),
        (["cellule", "edit", str(state), cid, "--name", f"Vélo{char}Sud"], "nom"),
        (["atelier", "add", str(state), "--cellule", cid, "--starts", "2026-03-02T10:00:00Z",
          "--title", f"Atelier{char}BEGIN:VALARM"], "titre"),
        (["atelier", "edit", str(state), aid, "--place", f"Salle{char}B"], "lieu"),
    ):
        code, err = run(capsys, *argv)
        assert (code, err) == (1, "erreur : " + MESSAGE.format(label)), argv
        assert len(err.splitlines()) == 1
        assert state.read_bytes() == before
    if char not in "\t\n\r":
        code, err = run(capsys, "cellule", "edit", str(state), cid, "--description", f"Ligne{char}2")
        assert (code, err) == (1, "erreur : " + MESSAGE.format("description"))
        assert state.read_bytes() == before


def test_a_state_holding_a_one_line_value_with_nel_does_not_load():
    good = actions.new_state(name="Asso", random_bytes=bytes(16))
    with pytest.raises(CellulesError):
        State(instance_id=good.instance_id, instance_name="Asso\x85")
    cellule = Cellule(id="c1", created_at="2026-01-28T10:00:00Z", origin=good.instance_id, node_id=NODE,
                      name="Vélo")
    with pytest.raises(CellulesError):
        replace(cellule, name="Vélo\x85")
    atelier = Atelier(id="a1", created_at="2026-01-28T10:00:00Z", origin=good.instance_id, cellule_id="c1",
                      title="Atelier", starts_at="2026-03-01T10:00:00Z")
    with pytest.raises(CellulesError):
        replace(atelier, place="Salle\u2029")
