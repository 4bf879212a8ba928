"""A state as one idempotent SQL transaction for Supabase (PostgreSQL): `to_sql(state, now_ms=...)`.

Theory of operation
-------------------
The tables are created by supabase/migrations/*_init.sql. Every editable field has a value column
and a clock column; the upsert keeps, per field, the larger (clock, tie_key(value)) — exactly
merge.merge_record's rule — and the larger clock. `created_at`/`origin` keep the smaller pair,
`extra` (unknown fields) is unioned with the newer side winning, and with equal last stamps each
key keeps the larger value by its JSON text (document.merge_extra). All of these are joins, so
loading the exports of several instances in any order, any number of times, gives the same rows
as merging their files in the app. Nothing is computed at load time: the file carries every value.

Text goes into escape-string literals E'…' with every backslash doubled and every quote doubled:
their meaning does not depend on the server's `standard_conforming_strings` (on or off, the same
text loads). PostgreSQL text cannot hold NUL (U+0000), nor jsonb "\u0000": a state holding one
(only an old state can; imports refuse it) is refused at export with a French message naming the
record, as is an integer beyond PostgreSQL's `integer` (source counts) or a lone surrogate.

Rules as data: RECORD_TABLES maps each record type to its table and columns, derived from the
model's FieldRule tables (a column is the field's Python attribute name, its clock `<attr>_clock`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any

from app.core.clock import INSTANCE_ID_RE, format_ms
from app.core.errors import CellulesError, ValidationError
from app.core.i18n import Words, fmt_date, fmt_time, t, words
from app.core.model import DELETED, INSTANCE_NAME_RULE, Atelier, Cellule, Record, State, check_field

BATCH_ROWS = 500  # rows per INSERT statement: bounded statement size, few round trips
PG_INTEGER_MAX = 2**31 - 1  # source counts are `integer` columns
PG_BIGINT_MAX = 2**63 - 1
HEADER_WIDTH = 100  # the opening comments' lines, « -- » aside


@dataclass(frozen=True)
class RecordTable:
    table: str
    cls: type[Record]
    holders: str  # provenance table
    holder_key: str  # its record column
    nullable: frozenset[str] = frozenset()  # value columns that may be NULL

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(JSON key, column) of every clocked field, `deleted` last."""
        return tuple((r.key, r.attr) for r in self.cls.FIELDS) + ((DELETED, DELETED),)


RECORD_TABLES: tuple[RecordTable, ...] = (
    RecordTable("public.cellules", Cellule, "public.cellule_holders", "cellule_id"),
    RecordTable("public.ateliers", Atelier, "public.atelier_holders", "atelier_id", frozenset({"ends_at"})),
)


def literal(value: Any) -> str:
    """One SQL literal, the same whatever `standard_conforming_strings` is: E'…' strings with
    backslashes and quotes doubled. Raises ValueError for what PostgreSQL cannot hold (NUL,
    integers beyond bigint, lone surrogates); to_sql names the record first (check_exportable)."""
    if value is None:
        return "NULL"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if not -PG_BIGINT_MAX - 1 <= value <= PG_BIGINT_MAX:
            raise ValueError("integer beyond bigint")
        return str(value)
    if isinstance(value, Mapping):
        value = json.dumps(dict(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
        if "\\u0000" in value.replace("\\\\", ""):  # jsonb refuses the escaped NUL too
            raise ValueError("NUL in JSON")
        return _quote(value) + "::jsonb"
    if not isinstance(value, str):
        raise TypeError(f"no SQL literal for {type(value).__name__}")
    return _quote(value)


def _quote(text: str) -> str:
    if "\x00" in text:
        raise ValueError("NUL in text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("lone surrogate in text") from None
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _text_problem(value: Any) -> str | None:
    """What PostgreSQL would refuse in a value (any JSON): "nul", "surrogate" or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "nul"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "surrogate"
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None


def check_exportable(state: State) -> None:
    """Refuse, naming the record and field, what PostgreSQL would refuse (pure, before any text)."""
    kinds = (("cellule", state.cellules), ("atelier", state.ateliers))
    for kind, table in kinds:
        for record in table.values():
            for key in record.keys():
                _check_value(record.value(key), words("d.sql_field", kind=words(f"label.kind.{kind}"), id=record.id,
                                                      key=key))
            for key, value in record.extra.items():
                _check_value({key: value}, words("d.sql_unknown_field", kind=words(f"label.kind.{kind}"),
                                                 id=record.id, key=key))
    _check_value(state.instance_name, words("label.group_name"))
    for source in state.sources.values():
        _check_value(source.name, words("d.source", id=source.id))
        for count in (source.cellule_count, source.atelier_count):
            if not 0 <= count <= PG_INTEGER_MAX:
                raise CellulesError("sql.number", value=count, where=words("d.source", id=source.id),
                                     limit=PG_INTEGER_MAX)
    _check_value(dict(state.extra.get("peerNames") or {}) if isinstance(state.extra.get("peerNames"), Mapping)
                 else {}, "peerNames")


def _check_value(value: Any, where: Words | str) -> None:
    problem = _text_problem(value)
    if problem == "nul":
        raise CellulesError("sql.nul", where=where)
    if problem == "surrogate":
        raise CellulesError("doc.surrogate", value="d800")


def _upsert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], conflict: str) -> Iterable[str]:
    for start in range(0, len(rows), BATCH_ROWS):
        values = ",\n".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows[start:start + BATCH_ROWS])
        yield f"INSERT INTO {table} AS t ({', '.join(columns)}) VALUES\n{values}\n{conflict};\n"


def _record_conflict(spec: RecordTable) -> str:
    sets = []
    for _key, col in spec.fields:
        clock = f"{col}_clock"
        if col in spec.nullable:
            new, old = f"(EXCLUDED.{clock}, EXCLUDED.{col} IS NOT NULL, EXCLUDED.{col})", \
                f"(t.{clock}, t.{col} IS NOT NULL, t.{col})"
        else:
            new, old = f"(EXCLUDED.{clock}, EXCLUDED.{col})", f"(t.{clock}, t.{col})"
        sets.append(f"  {col} = CASE WHEN {new} > {old} THEN EXCLUDED.{col} ELSE t.{col} END")
        sets.append(f"  {clock} = GREATEST(t.{clock}, EXCLUDED.{clock})")
    older = "(EXCLUDED.created_at, EXCLUDED.origin) < (t.created_at, t.origin)"
    sets.append(f"  created_at = CASE WHEN {older} THEN EXCLUDED.created_at ELSE t.created_at END")
    sets.append(f"  origin = CASE WHEN {older} THEN EXCLUDED.origin ELSE t.origin END")
    last_new = "GREATEST(" + ", ".join(f"EXCLUDED.{col}_clock" for _k, col in spec.fields) + ")"
    last_old = "GREATEST(" + ", ".join(f"t.{col}_clock" for _k, col in spec.fields) + ")"
    # Unknown fields: the newer side wins key by key; equal last stamps: each key keeps the larger
    # value by its JSON text, byte-wise (document.merge_extra) — the same whatever the load order.
    tie = ("(SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM (SELECT DISTINCT ON (k) k, v FROM "
           "(SELECT key AS k, value AS v FROM jsonb_each(t.extra) UNION ALL "
           "SELECT key, value FROM jsonb_each(EXCLUDED.extra)) AS u ORDER BY k, v::text COLLATE \"C\" DESC) AS w)")
    sets.append(f"  extra = CASE WHEN {last_new} > {last_old} THEN t.extra || EXCLUDED.extra "
                f"WHEN {last_new} < {last_old} THEN EXCLUDED.extra || t.extra ELSE {tie} END")
    return "ON CONFLICT (id) DO UPDATE SET\n" + ",\n".join(sets)


def record_row(record: Record, spec: RecordTable) -> list[Any]:
    row: list[Any] = [record.id]
    for key, _col in spec.fields:
        row.append(record.value(key))
    row += [record.created_at, record.origin, dict(record.extra)]
    row += [record.stamp(key) for key, _col in spec.fields]
    return row


def record_columns(spec: RecordTable) -> list[str]:
    cols = [col for _k, col in spec.fields]
    return ["id", *cols, "created_at", "origin", "extra", *(f"{c}_clock" for c in cols)]


_INSTANCE_CONFLICT = """ON CONFLICT (id) DO UPDATE SET
  name = CASE WHEN (COALESCE(EXCLUDED.named_at, '-infinity'), COALESCE(EXCLUDED.name, ''))
                 > (COALESCE(t.named_at, '-infinity'), COALESCE(t.name, ''))
              THEN EXCLUDED.name ELSE t.name END,
  named_at = GREATEST(t.named_at, EXCLUDED.named_at),
  exported_at = GREATEST(t.exported_at, EXCLUDED.exported_at)"""

_SOURCE_CONFLICT = """ON CONFLICT (instance_id, source_id) DO UPDATE SET
  name = EXCLUDED.name, imported_at = EXCLUDED.imported_at,
  cellule_count = EXCLUDED.cellule_count, atelier_count = EXCLUDED.atelier_count
WHERE (EXCLUDED.imported_at, EXCLUDED.name, EXCLUDED.cellule_count, EXCLUDED.atelier_count)
    > (t.imported_at, t.name, t.cellule_count, t.atelier_count)"""


def _instance_rows(state: State, exported_at: str) -> list[list[Any]]:
    """Every instance the state names: itself (loaded), its sources, peers it knows by name, and
    every author and carrier of its records. Per id, the latest (time, name) wins, as in SQL."""
    best: dict[str, tuple[str, str]] = {}  # id -> (named_at or "", name or "")

    def see(instance: str, name: str | None = None, at: str | None = None) -> None:
        candidate = (at or "", name or "")
        if instance not in best or candidate > best[instance]:
            best[instance] = candidate

    see(state.instance_id, state.instance_name, exported_at)
    for source in state.sources.values():
        see(source.id, source.name, source.imported_at)
    for instance, name in (state.extra.get("peerNames") or {}).items():
        if _valid_instance(instance):
            see(instance, name if _valid_name(name) else None)
    for table in (state.cellules, state.ateliers):
        for record in table.values():
            see(record.origin)
            for peer in record.via:
                see(peer)
    return [[i, name or None, at or None, exported_at if i == state.instance_id else None]
            for i, (at, name) in sorted(best.items())]


def _valid_instance(value: Any) -> bool:
    return isinstance(value, str) and INSTANCE_ID_RE.match(value) is not None


def _valid_name(value: Any) -> bool:
    """peerNames come from a state's free-form extra: only names the tables accept are written."""
    try:
        check_field(INSTANCE_NAME_RULE, value)
    except ValidationError:
        return False
    return True


def orphans(state: State) -> list[str]:
    """Ateliers whose cellule this state does not hold (a replace can leave some; the app never
    shows them). They are left out: the database's foreign key would refuse the whole file."""
    return sorted(a.id for a in state.ateliers.values() if a.cellule_id not in state.cellules)


def header(state: State, *, now_ms: int, lang: str, left_out: Sequence[str]) -> str:
    """The file's opening comments, in the user's language: what it holds, how a volunteer loads it
    into Supabase, that loading again is harmless. Only counts, a date and ids go in (never a name a
    user typed: a line break in it would end the comment)."""
    sentences = [
        t("supabase_file.made", lang, date=fmt_date(lang, now_ms, year=True), time=fmt_time(lang, now_ms),
          id=state.instance_id),
        t("supabase_file.contents", lang, cellules=len(state.cellules), ateliers=len(state.ateliers)),
        t("supabase_file.how", lang), t("supabase_file.again", lang)]
    if left_out:
        sentences.append(t("supabase_file.left_out", lang, n=len(left_out),
                           ids=", ".join(left_out[:20]) + (" …" if len(left_out) > 20 else "")))
    return "".join(f"-- {line}\n" for text in sentences
                   for line in textwrap.wrap(text, HEADER_WIDTH, break_long_words=False, break_on_hyphens=False))


def to_sql(state: State, *, now_ms: int, lang: str = "fr") -> str:
    """The whole state (tombstones included) as one transaction of idempotent upserts, its opening
    comments in `lang` (the SQL itself is the same in every language)."""
    exported_at = format_ms(now_ms)
    check_exportable(state)
    left_out = orphans(state)
    if left_out:
        state = dc_replace(state, ateliers={k: v for k, v in state.ateliers.items() if k not in set(left_out)})
    parts = [
        header(state, now_ms=now_ms, lang=lang, left_out=left_out),
        "BEGIN;\n",
    ]
    parts += _upsert("public.instances", ("id", "name", "named_at", "exported_at"),
                     _instance_rows(state, exported_at), _INSTANCE_CONFLICT)
    holder_rows: dict[str, list[list[str]]] = {}
    for spec in RECORD_TABLES:
        table = state.cellules if spec.cls is Cellule else state.ateliers
        records = [table[k] for k in sorted(table)]
        parts += _upsert(spec.table, record_columns(spec), [record_row(r, spec) for r in records],
                         _record_conflict(spec))
        holder_rows[spec.holders] = [[r.id, peer] for r in records
                                     for peer in sorted({state.instance_id, *r.via})]
    sources = [[state.instance_id, s.id, s.name, s.imported_at, s.cellule_count, s.atelier_count]
               for s in sorted(state.sources.values(), key=lambda s: s.id)]
    parts += _upsert("public.federated_sources",
                     ("instance_id", "source_id", "name", "imported_at", "cellule_count", "atelier_count"),
                     sources, _SOURCE_CONFLICT)
    for spec in RECORD_TABLES:
        parts += _upsert(spec.holders, (spec.holder_key, "instance_id"), holder_rows[spec.holders],
                         "ON CONFLICT DO NOTHING")
    parts.append("COMMIT;\n")
    return "".join(parts)
