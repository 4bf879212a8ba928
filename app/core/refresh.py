"""« Actualiser »: a source first loaded from an address is loaded again from it, through a preview.

Theory of operation
-------------------
A source (`federatedSources[]`) loaded from an http(s) address remembers it (`Source.url`,
`with_address`): the browser's « Charger » and the CLI's `import STATE URL` give it. « Actualiser »
fetches that address again (the adapter fetches: the core does no I/O) and hands each body to
`plan`, which reads it like any import (document checks, merge.check_incoming) and refuses a file
that is now another group's (`refresh.other_group`: the address no longer gives this source).

Several sources at once (« Tout actualiser », `sources STATE --refresh`) make one preview: for each
source its plans (merge.preview), or the error its address gave (offline, not found, CORS…) — one
failing source never hides the others'. Each source's plans are computed on the state the previous
sources' merges leave, the order `apply` merges them in, so a record two sources carry is counted once
where it changes. `apply` merges every source that was read, in that order, with the items the user
unticked left out (per source), and gives one report: one journal entry, one undo for the whole.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from typing import Any

from app.core import document, merge, names, payload
from app.core.clock import format_ms
from app.core.errors import CellulesError, NotFoundError
from app.core.model import Source, State

CHANGES = ("new", "changed", "conflict", "deleted")  # preview statuses that change something here


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """What an adapter got at one source's address: the body, or the error of fetching it."""

    source_id: str
    url: str
    body: str | bytes | None = None
    error: CellulesError | None = None


@dataclass(frozen=True, kw_only=True)
class SourceRefresh:
    """One source in the refresh preview: its plans, or why it could not be read."""

    source_id: str
    label: str  # names.label: « Alice (2) » when another group is called « Alice »
    url: str
    incoming: document.Incoming | None = None
    plans: tuple[merge.ItemPlan, ...] = ()
    error: CellulesError | None = None
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        """How many items this refresh would change here (new, changed, in conflict, deleted)."""
        return sum(self.counts.get(k, 0) for k in CHANGES)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sourceId": self.source_id, "label": self.label, "url": self.url}
        if self.error is not None:
            out["error"] = {"code": self.error.code, "message": self.error.message("fr")}
        else:
            out["counts"] = dict(self.counts)
            out["items"] = [p.to_json() for p in self.plans if p.status != "unchanged"]
        return out


def with_address(state: State, source_id: str, url: str) -> State:
    """`state` with the source `source_id` remembering `url` (unchanged when it does already, or when
    there is no such source: a file of one's own, a restore)."""
    source = state.sources.get(source_id)
    if source is None or source.url == url:
        return state
    return dc_replace(state, sources={**state.sources, source_id: source.with_url(url)})


def refreshable(state: State, source_id: str | None = None) -> list[Source]:
    """The sources « Actualiser » can load again: the one asked for (it must exist and have an
    address), or every source with an address, in the order the Sources list shows them."""
    if source_id is not None:
        source = state.sources.get(source_id)
        if source is None:
            raise NotFoundError("source.unknown", id=source_id)
        if not source.url:
            raise CellulesError("refresh.no_url", name=names.label(state, source_id))
        return [source]
    labels = names.labels(state)
    return sorted((s for s in state.sources.values() if s.url), key=lambda s: (names.fold(labels[s.id]), s.id))


def read(state: State, source: Source, body: str | bytes, known_nodes: Container[str] | None = None,
         *, label: str | None = None) -> document.Incoming:
    """The document at a source's address, checked like any import; the file must still be that source's."""
    with merge.paused_gc():
        incoming = document.read_text(payload.read_any(body), held=state)
    if incoming.instance_id != source.id:
        raise CellulesError("refresh.other_group", name=label or source.name, url=source.url,
                            other=incoming.instance_name, id=incoming.instance_id)
    merge.check_incoming(state, incoming, known_nodes)
    return incoming


def plan(state: State, fetched: Iterable[Fetched], *, now_ms: int,
         known_nodes: Container[str] | None = None) -> list[SourceRefresh]:
    """The refresh preview: per source, in the order given, its plans or its error."""
    labels = names.labels(state)
    current = state
    out: list[SourceRefresh] = []
    for f in fetched:
        source = state.sources.get(f.source_id)
        label = labels.get(f.source_id, f.source_id)
        if source is None:
            out.append(SourceRefresh(source_id=f.source_id, label=label, url=f.url,
                                     error=NotFoundError("source.unknown", id=f.source_id)))
            continue
        try:
            if f.error is not None:
                raise f.error
            incoming = read(current, source, f.body if f.body is not None else b"", known_nodes, label=label)
            plans = merge.preview(current, incoming, mode="merge", now_ms=now_ms)
            current, _ = merge.merge(current, incoming, now_ms=now_ms, known_nodes=known_nodes)
        except CellulesError as exc:
            out.append(SourceRefresh(source_id=f.source_id, label=label, url=f.url, error=exc))
            continue
        out.append(SourceRefresh(source_id=f.source_id, label=label, url=f.url, incoming=incoming,
                                 plans=tuple(plans), counts=merge.preview_counts(plans)))
    return out


def apply(state: State, refreshes: Iterable[SourceRefresh], *, now_ms: int,
          skip: Mapping[str, Container[str]] | None = None,
          known_nodes: Container[str] | None = None) -> tuple[State, merge.Report]:
    """Merge every source of the preview that was read (`skip`: per source id, the items left out);
    each keeps its address. One report for the whole (its name lists the sources)."""
    skip = skip or {}
    current = state
    reports: list[merge.Report] = []
    for r in refreshes:
        if r.incoming is None:
            continue
        current, report = merge.merge(current, r.incoming, now_ms=now_ms, skip=skip.get(r.source_id, frozenset()),
                                      known_nodes=known_nodes)
        current = with_address(current, r.source_id, r.url)
        reports.append(report)
    return current, combined(reports, now_ms)


def combined(reports: list[merge.Report], now_ms: int) -> merge.Report:
    """One report for several merges: its lists joined, its name the sources' names."""
    if len(reports) == 1:
        return reports[0]
    joined: dict[str, tuple] = {}
    for key in ("added", "updated", "unchanged", "conflicts", "deleted", "removed", "skipped", "refused",
                "conflict_details", "refusals", "reattributed"):
        joined[key] = tuple(item for r in reports for item in getattr(r, key))
    return merge.Report(action="merge", source_id=",".join(r.source_id for r in reports),
                        source_name=", ".join(r.source_name for r in reports), at=format_ms(now_ms), **joined)


def errors(refreshes: Iterable[SourceRefresh]) -> list[SourceRefresh]:
    return [r for r in refreshes if r.error is not None]
