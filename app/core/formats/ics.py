"""Calendar export: ateliers as iCalendar VEVENTs (RFC 5545), for Google Agenda, Outlook, Thunderbird…

Theory of operation
-------------------
* UID = `<atelier id>@cellules-fwb`: the atelier id is chosen once, by the instance that created
  it, and travels with every copy. Importing the file again — or another association's file with
  the same atelier — updates the event instead of duplicating it.
* DTSTART/DTEND in UTC (`20260301T100000Z`), no VTIMEZONE needed. An atelier without an end has
  no DTEND: RFC 5545 §3.6.1 then makes it end when it starts; we do not invent a duration.
* SEQUENCE and LAST-MODIFIED come from the record's clock (its latest field write): SEQUENCE is
  the whole seconds from 2024-01-01 UTC to that write, so it grows with every edit and with the
  deletion, the same in every instance's export of the same record, and fits the signed 32-bit
  integers calendar servers use until 2092. DTSTAMP is the export time (passed in).
* A deleted atelier we still hold (a tombstone), or one whose cellule was deleted, is exported
  with STATUS:CANCELLED, so a calendar that has it removes or strikes it.
* LOCATION is the atelier's place or, when empty, the cellule's place (« Jambes — Namur »).
* TEXT values are escaped (§3.3.11: backslash, `;`, `,`, newline as `\\n`); content lines are
  folded at 75 octets (§3.1) without splitting a UTF-8 sequence; lines end with CRLF.
* A content line never holds a line break of its own, whatever the model let through: every
  character str.splitlines() splits on (model.LINE_BREAKS: NEL, U+2028, U+2029, vertical tab,
  form feed, the separators U+001C–U+001E, a lone CR or LF) is written as the escaped line break
  `\\n` (`content_line`), so a reader that splits lines sees exactly the lines written here, never an
  event or an alarm slipped into a text.
"""

from __future__ import annotations

import re

from app.core.clock import format_ms, parse_rfc3339
from app.core.formats.places import place_of
from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import LINE_BREAKS, Atelier, State

PRODID = "-//Cellules FWB//Ateliers//FR"
UID_DOMAIN = "cellules-fwb"
SEQUENCE_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
MAX_OCTETS = 75
_LINE_BREAK = re.compile(r"\r\n|" + LINE_BREAKS.pattern)  # CRLF is one line break


def escape_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma escaped; every line break becomes `\\n`."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def content_line(line: str) -> str:
    """One content line as one line for every reader: a line break left in it (model.LINE_BREAKS)
    becomes the escaped `\\n`. Values were escaped already (escape_text); this is the last guard."""
    return _LINE_BREAK.sub(r"\\n", line)


def fold(line: str) -> str:
    """One content line as physical lines of at most 75 octets, joined by CRLF + space.
    Cuts fall on character boundaries: never before a UTF-8 continuation byte (0b10xxxxxx)."""
    data = line.encode("utf-8", "replace")
    if len(data) <= MAX_OCTETS:
        return line
    parts: list[bytes] = []
    start, limit = 0, MAX_OCTETS
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character: cut before it
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, MAX_OCTETS - 1  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def utc(iso: str) -> str:
    """`2026-03-01T10:00:00.000Z` -> `20260301T100000Z`."""
    text = format_ms(parse_rfc3339(iso))
    return text[0:4] + text[5:7] + text[8:10] + "T" + text[11:13] + text[14:16] + text[17:19] + "Z"


def sequence(atelier: Atelier) -> int:
    stamp = atelier.last_stamp
    if not stamp:
        return 0
    return max(0, (parse_rfc3339(stamp[:24]) - SEQUENCE_EPOCH_MS) // 1000)


def uid(atelier_id: str) -> str:
    return f"{atelier_id}@{UID_DOMAIN}"


def _event(state: State, grid: Grid | None, a: Atelier, dtstamp: str, lang: str) -> list[str]:
    cellule = state.cellules.get(a.cellule_id)
    cancelled = not a.live or cellule is None or not cellule.live
    location = a.place or (place_of(grid, cellule.node_id).label if cellule is not None else "")
    description = a.description
    if cellule is not None:
        about = t("fmt.ics.cellule", lang, name=cellule.name)
        if cellule.contact:
            about += "\n" + t("fmt.ics.contact", lang, contact=cellule.contact)
        description = f"{description}\n\n{about}" if description else about
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(a.id)}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART:{utc(a.starts_at)}",
    ]
    if a.ends_at:
        lines.append(f"DTEND:{utc(a.ends_at)}")
    lines += [
        f"SUMMARY:{escape_text(a.title)}",
        f"SEQUENCE:{sequence(a)}",
        f"CREATED:{utc(a.created_at)}",
        f"LAST-MODIFIED:{utc(a.updated_at)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if cellule is not None:
        lines.append(f"CATEGORIES:{escape_text(cellule.name)}")
    lines.append("END:VEVENT")
    return lines


def calendar(state: State, grid: Grid | None, *, now_ms: int, cellule_id: str | None = None,
             lang: str = "fr") -> str:
    """The ateliers (of one cellule if given) as one VCALENDAR; deleted ones as CANCELLED."""
    dtstamp = utc(format_ms(now_ms))
    ateliers = sorted((a for a in state.ateliers.values()
                       if a.cellule_id in state.cellules and (cellule_id is None or a.cellule_id == cellule_id)),
                      key=lambda a: (a.starts_at, a.id))
    if cellule_id is not None and cellule_id in state.cellules:
        name = t("fmt.ics.calname_one", lang, name=state.cellules[cellule_id].name)
    else:
        name = t("fmt.ics.calname", lang, name=state.instance_name)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for a in ateliers:
        lines += _event(state, grid, a, dtstamp, lang)
    lines.append("END:VCALENDAR")
    return "".join(fold(content_line(line)) + "\r\n" for line in lines)
