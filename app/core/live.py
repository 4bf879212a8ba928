"""Live sync between two devices over a data channel: the protocol as a pure state machine.

Theory of operation
-------------------
In the style of h11's Connection: a `Session` is immutable, and every input is a function of
(session, input, state, now_ms) returning (session, outputs). The adapter (app/web) moves texts
between the data channel and `receive`, tells `local` when its data changed, `decide` the user's
choice, `tick` now and then (every second or so), `disconnect` when the channel closed; it acts on
the outputs: `Send` (a text to put on the channel), `PeerHello` (with whom), `PreviewReady` (show
the usual preview), `MergeReady` (merge with merge.merge, then call `local`), `Refused` (say why;
the session is over), `PeerEnded`, `Status`, `Checkpoint` (keep it for the next session).
docs/live.md describes the messages, limits and states.

What travels is the interchange format itself: each batch is a v1.0 document (kind "full") of
the records that changed, and the receiving side reads it through the same gates as a file
(document.parse_json: size, encoding, depth, JSON; document.read_json: the schema and the model in
one pass, as document.read_text reads a file, with the same refusals; merge.check_incoming,
merge.preview and merge.merge: identity, clocks too far ahead, who wrote what). Nothing is merged
silently: until the user chose « Fusionner » (`decide`), what arrives is held (at most
MAX_PENDING_BYTES) and shown as a preview, refreshed as more arrives; after that, each batch is
handed over as `MergeReady`. A batch refused by those gates ends the session, as a file would be
refused whole; a record refused alone (a clock too far ahead) is left out, as
from a file. One thing differs from a file: an atelier whose cellule is not here (the user left the
cellule out of the preview, or merge refused it) does not refuse the batch (atelier.orphan); it
waits in the session (`Session.waiting`, counted among the records refused here) and is handed
over once its cellule is here — from this peer, or from another in a room.

What to send: a record is sent when its version (a hash of its data and clocks: `version`) is
neither one the peer is known to hold (`known`: what it acknowledged or sent us) nor one already
sent in this session. Each record goes at most once per version, so two sides whose copies cannot
converge (one refused the other's) do not send them back and forth for ever.

Acknowledgements and loss: batches are numbered; the receiver takes them in order only (a later
one is dropped and sent again), acknowledges cumulatively, and the sender keeps at most WINDOW
unacknowledged batches, sending them again after RETRY_MS, headed with its digest as it is then.
Every message but `end` is numbered (`n`); the peer's digest is taken only from a message numbered
higher than any heard before, so a late duplicate cannot bring back an older one. A batch more than
WINDOW ahead is a flood and is refused, like a message over MAX_MESSAGE_CHARS.

Going quiet: when our digest or our count of refused records changes, a `digest` message says them
and asks (`ask`) for a reply; every `ask` is answered with a `digest` message whose `seen` is the
highest number heard. Once `seen` covers the message that first said them, nothing is repeated;
until then the ask goes again every RETRY_MS. Two copies that can never agree (one side refused a
record of the other) thus exchange a bounded number of messages and fall silent; the session then
says "apart" with the counts each way (`refused`, `peer_refused`), not "up_to_date".

Digest and resume (app/core/live_digest.py): every message carries the sender's digest (a hash of
every record's version) as it is when the message goes; equal digests are « à jour », and both
sides keep a `Checkpoint`. A hello lists the sender's recent checkpoints; when the peer holds one
too, only what differs from it is sent, else everything. The adapter forgets its checkpoints after
anything that takes data away (undo, « Supprimer cette source », « Remplacer », a restore).

Two devices of one group (app/core/live_group.py): a hello says the device's node too; their
session goes as a backup of one imported on the other would, what one says it created coming only
if ticked (`decide`'s `adopt`; left aside, never « à jour »: `aside_held`, `peer_aside`); a device
never syncs with itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from typing import Any

from app.core import document, live_group, merge
from app.core.clock import INSTANCE_ID_RE
from app.core.document import MAX_DOCUMENT_BYTES, Incoming
from app.core.errors import CellulesError, LiveError
from app.core.live_digest import MAX_CHECKPOINTS, Checkpoint, Memo, digest_of, outdates, remember, version_of_json
from app.core.live_digest import digest as digest  # the adapter's « à jour » check, as live.digest
from app.core.model import INSTANCE_NAME_RULE, Atelier, State, check_field

PROTOCOL = 1
PART_CHARS = 60_000  # characters of a document carried by one message
MAX_HEADER_CHARS = 2_048
MAX_MESSAGE_CHARS = PART_CHARS + MAX_HEADER_CHARS  # Chromium's data channel takes 262,144 bytes
BATCH_CHARS = 480_000  # a batch closes past this (one record alone may make a larger one)
MAX_BATCH_PARTS = MAX_DOCUMENT_BYTES // PART_CHARS + 1  # a batch is at most a document
WINDOW = 4  # batches sent and not yet acknowledged
RETRY_MS = 5_000  # an unacknowledged batch, or a hello with no answer, is sent again after this
MAX_PENDING_BYTES = MAX_DOCUMENT_BYTES  # data held until the user decides: at most one file's worth
MAX_SESSIONS = 8  # one device holds at most this many live sessions (a room around an organiser)
MAX_COUNT = 1 << 31  # a message number or a count of records a peer may say
CONSENTS = ("ask", "merge")
STATUSES = ("waiting", "connected", "up_to_date", "apart", "interrupted")

_DIGEST_RE = re.compile(r"^[0-9a-f]{32}\Z")
_TYPES = ("hello", "data", "ack", "digest", "end")


# --- outputs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Send:
    text: str


@dataclass(frozen=True)
class PeerHello:
    id: str
    name: str
    other_device: bool = False  # another device of this very group: name it « votre autre appareil »


@dataclass(frozen=True)
class PreviewReady:
    """Everything the peer sent so far, waiting for the user's choice (shown as a preview)."""
    incoming: Incoming
    plans: list[merge.ItemPlan]


@dataclass(frozen=True)
class MergeReady:
    """The user chose « Fusionner »: merge this (merge.merge, with `adopt`), then call `local`.
    `adopt`: the records the other device of this group says it created that the user ticked."""
    incoming: Incoming
    adopt: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refused:
    """We refused what the peer sent (the error says what, in the user's language); session over."""
    error: CellulesError


@dataclass(frozen=True)
class PeerEnded:
    """The peer ended the session (`code`: why, one of its refusal codes, or "live.declined")."""
    code: str


@dataclass(frozen=True)
class Status:
    status: str  # one of STATUSES


@dataclass(frozen=True)
class CheckpointReached:
    point: Checkpoint


# --- the session -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Batch:
    seq: int
    versions: Mapping[str, str]  # what it carries: key -> version
    chunks: tuple[str, ...]  # the document, cut into the bodies of its messages
    last: bool
    sent_at: int


@dataclass(frozen=True)
class Waiting:
    """A peer's atelier held until its cellule is here, as read (`unclocked`: see Incoming)."""
    atelier: Atelier
    unclocked: bool


@dataclass(frozen=True, kw_only=True)
class Session:
    me: str
    name: str
    device: str = ""  # our stamp node (State.device): two devices of one group are told apart by it
    consent: str = "ask"
    phase: str = "hello"  # "hello" (no hello from the peer yet) | "open" | "closed"
    points: tuple[Checkpoint, ...] = ()
    peer: str = ""
    peer_name: str = ""
    peer_device: str = ""  # the peer's stamp node, as its hello said (its documents must say the same)
    peer_digest: str = ""
    peer_opened: bool = False  # the peer has sent data or acknowledgements: it read our hello
    digest: str = ""
    hello_at: int = 0
    base: str = ""  # the checkpoint this session resumed from ("" = everything was sent)
    known: Mapping[str, str] = field(default_factory=dict)
    theirs: Mapping[str, str] = field(default_factory=dict)  # the versions the peer sent us
    covered: Mapping[str, str] = field(default_factory=dict)  # our versions a copy the peer sent outdates
    sent: Mapping[str, str] = field(default_factory=dict)
    inflight: tuple[Batch, ...] = ()
    next_seq: int = 1
    expected: int = 1
    parts: Mapping[int, str] = field(default_factory=dict)
    parts_total: int = 0
    parts_last: bool = False
    pending: tuple[dict, ...] = ()  # documents held for the user's decision
    pending_bytes: int = 0
    shown: tuple[int, Incoming | None] = (0, None)  # the preview shown: of how many documents held
    error: CellulesError | None = None
    ended_by_peer: str = ""
    n: int = 0  # the number of the last message we sent (every message but `end` carries its own)
    peer_n: int = 0  # the highest number heard from the peer (an older message does not set peer_digest)
    heard_n: int = 0  # the highest of our numbers the peer said it heard (`seen`)
    refused: int = 0  # the peer's records we hold differently and will not send back (merge refused them)
    aside_held: int = 0  # of the records counted in `refused`, those the user left aside (`aside`)
    peer_refused: int = 0  # ours the peer says it refused
    peer_aside: int = 0  # of those, the ones it left aside (created here, offered there, not ticked)
    reported: tuple[str, int, int] = ("", -1, -1)  # (digest, refused, aside) as our digest messages last said them
    report_n: int = 0  # the number of the first digest message that said them
    asked_at: int = 0
    # the peer's ateliers whose cellule we do not hold (left out of the preview, refused by merge, or
    # never sent): not merged, held here until their cellule is — then handed over (`_release`)
    waiting: Mapping[str, Waiting] = field(default_factory=dict)
    handed: Mapping[str, Waiting] = field(default_factory=dict)  # handed over with a cellule not merged yet
    template: Incoming | None = None  # the peer's last document without its records (a release's header)
    # another device of this group (`other_device`): the records it says it created (trust.created_there)
    # come only if the user ticks them — `adopt` (ticked), `aside` (left unticked: never merged in this
    # session), `offers` (arrived after « Fusionner », waiting for the user's choice, shown as a preview)
    adopt: frozenset[str] = frozenset()
    aside: frozenset[str] = frozenset()
    offers: Incoming | None = None
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def status(self) -> str:
        if self.phase == "closed":
            return "interrupted"
        if self.phase == "hello":
            return "waiting"
        if self.digest and self.digest == self.peer_digest and not self.pending and self.offers is None:
            return "up_to_date"
        if (self.refused or self.peer_refused) and self.heard \
                and not (self.pending or self.inflight or self.parts or self.offers is not None):
            return "apart"  # both sides told the other all they hold; they differ by what was refused
        return "connected"

    @property
    def heard(self) -> bool:
        """The peer said it heard our digest and refused count as they are now: nothing to repeat."""
        return self.reported == (self.digest, self.refused, self.aside_held) and 0 < self.report_n <= self.heard_n

    @property
    def other_device(self) -> bool:
        """The peer is another device of this very group (its hello said our identity, another node)."""
        return bool(self.peer) and self.peer == self.me



Step = tuple[Session, list[Any]]


def _header(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _send(session: Session, kind: str, *, digest: str | None = None, body: str | None = None,
          **fields: Any) -> tuple[Session, Send]:
    """A message, numbered and headed with our digest as it is when it goes (a message sent again
    must not tell the peer an older digest)."""
    n = session.n + 1
    head = _header(t=kind, n=n, **fields, digest=session.digest if digest is None else digest)
    return dc_replace(session, n=n), Send(head if body is None else head + "\n" + body)


def _digest(session: Session, now_ms: int) -> tuple[Session, Send]:
    """Our digest and refused count, and the peer's last number we heard (`seen`). It asks for a
    reply (`ask`) when they are new, and again every RETRY_MS until the peer said it heard them:
    then nothing is repeated, even when the two copies can never agree."""
    report = (session.digest, session.refused, session.aside_held)
    new = report != session.reported
    if new:
        session = dc_replace(session, reported=report, report_n=session.n + 1)
    ask = session.heard_n < session.report_n and (new or now_ms - session.asked_at >= RETRY_MS)
    if ask:
        session = dc_replace(session, asked_at=now_ms)
    return _send(session, "digest", seen=session.peer_n, refused=session.refused, aside=report[2], ask=ask)


def _hello(session: Session, digest: str | None = None) -> tuple[Session, Send]:
    return _send(session, "hello", v=PROTOCOL, id=session.me, dev=session.device, name=session.name, digest=digest,
                 points=[p.digest for p in session.points])


def _batch_sends(session: Session, batches: Iterable[Batch]) -> tuple[Session, list[Send]]:
    out = []
    for batch in batches:
        for i, chunk in enumerate(batch.chunks):
            session, send = _send(session, "data", body=chunk, seq=batch.seq, part=i, parts=len(batch.chunks),
                                  last=batch.last)
            out.append(send)
    return session, out


def start(state: State, *, consent: str = "ask", points: Sequence[Checkpoint] = (), now_ms: int) -> Step:
    """A session on a channel that just opened: our hello goes first. `points`: the checkpoints
    kept from earlier sessions (any peer); `consent`: "ask" (the first data arriving is shown as a
    preview; the user decides) or "merge" (the user already chose « Fusionner » with this peer)."""
    if consent not in CONSENTS:
        raise ValueError(consent)
    session = Session(me=state.instance_id, name=state.instance_name, device=state.device, consent=consent,
                      points=tuple(points)[:MAX_CHECKPOINTS], hello_at=now_ms)
    session = dc_replace(session, digest=digest_of(session.memo.versions(state)))
    session, hello = _hello(session)
    return session, [hello, Status("waiting")]


def _refuse(session: Session, error: CellulesError) -> Step:
    closed = dc_replace(session, phase="closed", error=error, pending=(), pending_bytes=0, parts={}, shown=(0, None))
    return closed, [Send(_header(t="end", code=error.code)), Refused(error), Status("interrupted")]


def _malformed(session: Session, what: str) -> Step:
    return _refuse(session, LiveError("live.message", part=what))


def _finish(before: Session, session: Session, outputs: list[Any], state: State, now_ms: int, *,
            reply: bool = False) -> Step:
    """After any input: send what is due, our digest when it or our refused count changed (or when
    the peer asked: `reply`), notice « à jour » (and keep a checkpoint), say the status."""
    if session.phase == "open":
        if not any(isinstance(o, MergeReady) for o in outputs) and (session.handed or session.waiting):
            try:
                session, released = _settle(session, state, now_ms)
            except CellulesError as exc:
                return _refuse(session, exc)
            outputs += released
        versions = session.memo.versions(state)
        session = dc_replace(session, digest=digest_of(versions))
        session, sent = _pump(session, state, versions, now_ms)
        outputs += sent
        if not session.pending and not any(isinstance(o, MergeReady) for o in outputs):
            # (a batch handed over is not merged yet: its records are not refused)
            refused = _refused(session, versions)
            session = dc_replace(session, refused=len(refused),
                                 aside_held=sum(1 for key in refused if key[2:] in session.aside))
        if reply or session.reported != (session.digest, session.refused, session.aside_held):
            session, send = _digest(session, now_ms)
            outputs.append(send)
        if session.digest == session.peer_digest and not any(p.digest == session.digest for p in session.points[:1]):
            point = Checkpoint(digest=session.digest, versions=versions)
            session = dc_replace(session, points=remember(session.points, point))
            outputs.append(CheckpointReached(point))
    if session.status != before.status:
        outputs.append(Status(session.status))
    return session, outputs


def _pump(session: Session, state: State, versions: Mapping[str, str], now_ms: int) -> Step:
    """New batches while the window has room: records whose version the peer is not known to
    hold and that were not sent yet; cellules first (an atelier's cellule goes before it)."""
    out: list[Any] = []
    due = sorted((k for k, v in versions.items()
                  if v != session.known.get(k) and v != session.sent.get(k) and v != session.covered.get(k)),
                 key=lambda k: (k[0] != "c", k))
    at = 0
    while at < len(due) and len(session.inflight) < WINDOW:
        chosen: list[str] = []
        size = 0
        while at < len(due) and (not chosen or size < BATCH_CHARS):
            key = due[at]
            at += 1
            chosen.append(key)
            record = (state.cellules if key[0] == "c" else state.ateliers)[key[2:]]
            size += len(document.compact_json(document.record_to_json(record)))
        sub = dc_replace(state, cellules={k[2:]: state.cellules[k[2:]] for k in chosen if k[0] == "c"},
                         ateliers={k[2:]: state.ateliers[k[2:]] for k in chosen if k[0] == "a"}, marks={}, devices=())
        doc = document.to_document(sub, kind="full", now_ms=now_ms)
        doc.get("sync", {}).pop("lastFullExportAt", None)
        text = document.dumps(doc)
        chunks = tuple(text[i:i + PART_CHARS] for i in range(0, len(text), PART_CHARS))
        seq = session.next_seq
        batch = Batch(seq=seq, versions={k: versions[k] for k in chosen}, chunks=chunks, last=at == len(due),
                      sent_at=now_ms)
        session = dc_replace(session, inflight=(*session.inflight, batch), next_seq=seq + 1,
                             sent={**session.sent, **batch.versions})
        session, sends = _batch_sends(session, [batch])
        out += sends
    return session, out


def _refused(session: Session, versions: Mapping[str, str]) -> list[str]:
    """The peer's records we hold differently and will not send back: a copy of theirs at least as
    recent as ours on every field that we still do not hold, or one we do not hold at all (merge
    refused it, or the user left it out or aside)."""
    return [key for key, theirs in session.theirs.items()
            if theirs != versions.get(key) and (key not in versions or session.covered.get(key) == versions[key])]


# --- inputs ----------------------------------------------------------------------------------------

def local(session: Session, state: State, *, now_ms: int) -> Step:
    """Our data changed (an edit here, or a merge the adapter just made): send what is due."""
    if session.phase == "closed":
        return session, []
    return _finish(session, session, [], state, now_ms)


def tick(session: Session, state: State, *, now_ms: int) -> Step:
    """Time passed: a hello nobody answered, batches nobody acknowledged (from the oldest on: the
    receiver takes batches in order only) and a digest nobody said it heard go again, each after
    RETRY_MS. Once every one was heard, a tick sends nothing: two copies that can never agree (one
    side refused a record of the other) fall quiet, « apart »."""
    if session.phase == "closed":
        return session, []
    out: list[Any] = []
    before = session
    if not session.peer_opened and now_ms - session.hello_at >= RETRY_MS:
        # with our digest as it is now (before the peer's hello, `local` leaves session.digest as it was)
        session, hello = _hello(session, digest_of(session.memo.versions(state)))
        out.append(hello)
        session = dc_replace(session, hello_at=now_ms)
    if session.inflight and now_ms - session.inflight[0].sent_at >= RETRY_MS:
        session, sends = _batch_sends(session, session.inflight)
        out += sends
        session = dc_replace(session, inflight=tuple(dc_replace(b, sent_at=now_ms) for b in session.inflight))
    again = session.phase == "open" and not session.heard and now_ms - session.asked_at >= RETRY_MS
    return _finish(before, session, out, state, now_ms, reply=again)


def disconnect(session: Session) -> Step:
    """The channel closed (or the dialog, or the tab): the session is over; what was not
    acknowledged will go again in the next one."""
    if session.phase == "closed":
        return session, []
    return dc_replace(session, phase="closed"), [Status("interrupted")]


def decide(session: Session, accept: bool, state: State, *, now_ms: int,
           adopt: frozenset[str] = frozenset()) -> Step:
    """The user's choice on the preview: « Fusionner » (everything held is handed over as one
    MergeReady, and later batches will be too) or not (the session ends, the peer is told).
    `adopt`: from another device of this group, the ids ticked among what it says it created (the
    group's own then, as merge.merge's `adopt`); those not ticked are left aside for the session."""
    if session.phase == "closed":
        return session, []
    if not accept:
        closed = dc_replace(session, phase="closed", pending=(), pending_bytes=0, shown=(0, None), offers=None)
        return closed, [Send(_header(t="end", code="live.declined")), Status("interrupted")]
    out: list[Any] = []
    session = dc_replace(session, consent="merge", adopt=session.adopt | frozenset(adopt))
    if session.pending or session.offers is not None:
        incoming = session.offers
        if session.pending:
            count, incoming = session.shown
            if incoming is None or count != len(session.pending):  # more arrived since the preview
                try:
                    incoming = _read(session, state, session.pending)
                except CellulesError as exc:
                    return _refuse(session, exc)
            if session.offers is not None:
                incoming = live_group.joined(session.offers, incoming)
        session = dc_replace(session, pending=(), pending_bytes=0, shown=(0, None), offers=None)
        try:
            session, out = _hand(session, state, incoming, now_ms, deciding=True)
        except CellulesError as exc:
            return _refuse(session, exc)
    return _finish(session, session, out, state, now_ms)


def receive(session: Session, text: Any, state: State, *, now_ms: int) -> Step:
    """A message from the peer. `state`: our data now (with every MergeReady already merged)."""
    if session.phase == "closed":
        return session, []
    if not isinstance(text, str):
        return _malformed(session, "text")
    if len(text) > MAX_MESSAGE_CHARS:
        return _refuse(session, LiveError("live.message_size", size=len(text), limit=MAX_MESSAGE_CHARS))
    head, _, body = text.partition("\n")
    if len(head) > MAX_HEADER_CHARS or document.nesting_depth(head) > 2:
        return _malformed(session, "header")
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):
        return _malformed(session, "header")
    if not isinstance(header, dict) or header.get("t") not in _TYPES:
        return _malformed(session, "type")
    kind = header["t"]
    peer_digest = header.get("digest")
    if kind == "end":
        code = header.get("code")
        closed = dc_replace(session, phase="closed", ended_by_peer=code if isinstance(code, str) else "")
        return closed, [PeerEnded(closed.ended_by_peer[:64]), Status("interrupted")]
    number = header.get("n")
    if type(number) is not int or not 0 < number < MAX_COUNT:
        return _malformed(session, "number")
    if not isinstance(peer_digest, str) or not _DIGEST_RE.match(peer_digest):
        return _malformed(session, "digest")
    if kind == "hello":
        return _on_hello(session, header, state, now_ms)
    if session.phase == "hello":
        return session, []  # before the peer's hello (a message overtook it): it will come again
    before = session
    if number > session.peer_n:  # an older message (a late duplicate) does not bring back an older digest
        session = dc_replace(session, peer_n=number, peer_digest=peer_digest)
    if kind == "digest":
        seen, refused, ask = header.get("seen"), header.get("refused"), header.get("ask")
        aside = header.get("aside", 0)
        if type(seen) is not int or not 0 <= seen <= session.n or type(refused) is not int \
                or not 0 <= refused < MAX_COUNT or type(ask) is not bool or type(aside) is not int \
                or not 0 <= aside <= refused:
            return _malformed(session, "digest")
        newest = session.peer_n == number
        session = dc_replace(session, peer_opened=True, heard_n=max(session.heard_n, seen),
                             peer_refused=refused if newest else session.peer_refused,
                             peer_aside=aside if newest else session.peer_aside)
        # answered when asked, or when the peer has not heard our digest as it is now
        return _finish(before, session, [], state, now_ms, reply=ask or not session.heard)
    if kind == "ack":
        return _on_ack(before, session, header, state, now_ms)
    return _on_data(before, session, header, body, state, now_ms)


def _on_hello(session: Session, header: dict, state: State, now_ms: int) -> Step:
    version, peer, name, points = header.get("v"), header.get("id"), header.get("name"), header.get("points", [])
    if type(version) is not int or version < 1:
        return _malformed(session, "hello")
    if version > PROTOCOL:
        return _refuse(session, LiveError("live.version"))
    if not isinstance(peer, str) or not INSTANCE_ID_RE.match(peer):
        return _malformed(session, "hello")
    device = header.get("dev", peer)  # a peer whose device still writes with its group's id says none
    if not isinstance(device, str) or not INSTANCE_ID_RE.match(device):
        return _malformed(session, "hello")
    if session.phase == "open":  # a hello sent again: the same peer, or a forgery
        if peer != session.peer or device != session.peer_device:
            return _refuse(session, LiveError("live.identity", claimed=peer, name=session.peer_name))
        if header["n"] > session.peer_n:
            session = dc_replace(session, peer_n=header["n"], peer_digest=header["digest"])
        return _finish(session, session, [], state, now_ms, reply=True)  # we read it: say so
    refusal = live_group.hello_refusal(state, peer, device)
    if refusal is not None:
        return _refuse(session, refusal)
    try:
        name = check_field(INSTANCE_NAME_RULE, name)
    except CellulesError:
        return _malformed(session, "hello")
    if not isinstance(points, list) or len(points) > MAX_CHECKPOINTS \
            or not all(isinstance(p, str) and _DIGEST_RE.match(p) for p in points):
        return _malformed(session, "hello")
    held = {p.digest: p for p in session.points}
    base = next((held[p] for p in points if p in held), None)
    before = session
    session = dc_replace(session, phase="open", peer=peer, peer_name=name, peer_device=device,
                         peer_digest=header["digest"], peer_n=header["n"], base=base.digest if base else "",
                         known=dict(base.versions) if base else {})
    return _finish(before, session, [PeerHello(peer, name, session.other_device)], state, now_ms)


def _on_ack(before: Session, session: Session, header: dict, state: State, now_ms: int) -> Step:
    seq = header.get("seq")
    if type(seq) is not int or not 0 <= seq < session.next_seq:
        return _malformed(session, "ack")
    known = dict(session.known)
    for batch in session.inflight:
        if batch.seq <= seq:  # (a copy the peer sent that outdates ours is what it holds: `covered`)
            known.update((k, v) for k, v in batch.versions.items() if session.covered.get(k) != v)
    session = dc_replace(session, known=known, peer_opened=True,
                         inflight=tuple(b for b in session.inflight if b.seq > seq))
    return _finish(before, session, [], state, now_ms)


def _on_data(before: Session, session: Session, header: dict, body: str, state: State, now_ms: int) -> Step:
    seq, part, parts, last = header.get("seq"), header.get("part"), header.get("parts"), header.get("last")
    if type(seq) is not int or type(part) is not int or type(parts) is not int or type(last) is not bool \
            or not 0 <= part < parts or seq < 1:
        return _malformed(session, "data")
    if parts > MAX_BATCH_PARTS:
        return _refuse(session, LiveError("live.too_large", limit=MAX_DOCUMENT_BYTES))
    session = dc_replace(session, peer_opened=True)
    if seq >= session.expected + WINDOW:
        return _refuse(session, LiveError("live.flood", limit=WINDOW))
    if seq < session.expected:  # again: our acknowledgement was lost
        session, ack = _send(session, "ack", seq=session.expected - 1)
        return _finish(before, session, [ack], state, now_ms)
    if seq > session.expected:
        return _finish(before, session, [], state, now_ms)  # overtook an earlier one: it will come again
    if session.parts and (parts != session.parts_total or last != session.parts_last):
        return _malformed(session, "data")
    received = {**session.parts, part: body}
    if sum(map(len, received.values())) > MAX_DOCUMENT_BYTES:
        return _refuse(session, LiveError("live.too_large", limit=MAX_DOCUMENT_BYTES))
    session = dc_replace(session, parts=received, parts_total=parts, parts_last=last)
    if len(received) < parts:
        return _finish(before, session, [], state, now_ms)
    text = "".join(received[i] for i in range(parts))
    session = dc_replace(session, parts={}, parts_total=0, parts_last=False, expected=seq + 1)
    try:
        doc = document.parse_json(text)
        incoming = document.read_json(doc, held=state)  # as a file is read (read_text): one pass
        live_group.check_identity(incoming, session.peer, session.peer_device, session.peer_name)
        known, covered, theirs = dict(session.known), dict(session.covered), dict(session.theirs)
        held = session.memo.versions(state)
        for key, kind, table in (("cellules", "c:", state.cellules), ("ateliers", "a:", state.ateliers)):
            for data in doc.get(key) or ():
                known[kind + data["id"]] = theirs[kind + data["id"]] = version_of_json(data)
                ours = table.get(data["id"])
                if ours is not None and outdates(data, ours):
                    covered[kind + data["id"]] = held[kind + data["id"]]
        session, ack = _send(dc_replace(session, known=known, covered=covered, theirs=theirs), "ack", seq=seq)
        out: list[Any] = [ack]
        if session.consent == "merge":
            session, handed = _hand(session, state, incoming, now_ms)
            out += handed
        else:
            size = session.pending_bytes + len(text)
            if size > MAX_PENDING_BYTES:
                raise LiveError("live.too_large", limit=MAX_PENDING_BYTES)
            session = dc_replace(session, pending=(*session.pending, doc), pending_bytes=size)
            if last:
                if len(session.pending) > 1:  # several batches: read together (a later copy wins)
                    incoming = _read(session, state, session.pending)
                shown, _waiting = _split(session, state, live_group.joined(session.offers, incoming))
                out.append(PreviewReady(shown, merge.preview(state, shown, now_ms=now_ms)))
                session = dc_replace(session, shown=(len(session.pending), incoming))
    except CellulesError as exc:
        return _refuse(session, exc)
    return _finish(before, session, out, state, now_ms)


def _combined(docs: Sequence[dict]) -> dict:
    """Documents of one peer, in the order they came, as one (a later copy of a record wins)."""
    out = dict(docs[-1])
    for key in ("cellules", "ateliers", "federatedSources"):
        table: dict[str, Any] = {}
        for doc in docs:
            for data in doc.get(key) or ():
                table[data["id"]] = data
        out[key] = list(table.values())
    return out


def _read(session: Session, state: State, docs: Iterable[dict]) -> Incoming:
    """The documents held, read like a file (document.read_json: schema and model in one pass)."""
    docs = tuple(docs)
    doc = _combined(docs) if len(docs) > 1 else docs[0]
    if doc.get("instanceId") != session.peer:
        raise LiveError("live.identity", claimed=str(doc.get("instanceId"))[:16], name=session.peer_name)
    incoming = document.read_json(doc, held=state)
    live_group.check_identity(incoming, session.peer, session.peer_device, session.peer_name)
    return incoming


def _split(session: Session, state: State, incoming: Incoming) -> tuple[Incoming, dict[str, Waiting]]:
    """What of `incoming` can be merged now, and the ateliers that wait for their cellule. The
    ateliers held from earlier join it (a copy in `incoming` is later and wins); an atelier whose
    cellule is neither here nor in it waits, where a file would be refused whole (atelier.orphan):
    one cellule refused or left out never ends the session. Then what merge refuses as a whole:
    this very identity."""
    ateliers = dict(incoming.ateliers)
    unclocked = set(incoming.unclocked)
    for aid, held in session.waiting.items():
        if aid not in ateliers:
            ateliers[aid] = held.atelier
            if held.unclocked:
                unclocked.add(("atelier", aid))
    waiting = {}
    for aid, atelier in ateliers.items():
        if atelier.cellule_id not in incoming.cellules and atelier.cellule_id not in state.cellules:
            waiting[aid] = Waiting(atelier, ("atelier", aid) in unclocked)
    incoming = dc_replace(incoming, ateliers={k: v for k, v in ateliers.items() if k not in waiting},
                          unclocked=frozenset(u for u in unclocked if u[0] != "atelier" or u[1] not in waiting))
    merge.check_incoming(state, incoming)
    return incoming, waiting


def _hand(session: Session, state: State, incoming: Incoming, now_ms: int, *,
          deciding: bool = False) -> tuple[Session, list[Any]]:
    """`incoming` handed over to be merged (MergeReady), its orphans held: the ateliers whose cellule
    comes with it wait too if merge refuses that cellule (`_settle`, at the next input).

    From another device of this group, the records it says it created (trust.created_there) come
    only as the user chose: ticked (`adopt`) they are handed over with MergeReady.adopt; left aside
    they are not handed over again this session; not decided yet (arrived after « Fusionner ») they
    wait in `offers`, shown as a preview (PreviewReady), until `decide`. `deciding`: the user just
    chose, so every one of them not ticked is left aside."""
    out: list[Any] = []
    adopt: frozenset[str] = frozenset()
    if session.other_device:
        incoming, adopt, aside, offers = live_group.sort_offered(state, incoming, session, deciding)
        session = dc_replace(session, aside=aside)
        if offers is not None:
            offers, orphans = _split(session, state, live_group.joined(session.offers, offers))
            session = dc_replace(session, offers=offers, aside=session.aside | orphans.keys())  # cellule aside
            out.append(PreviewReady(offers, merge.preview(state, offers, now_ms=now_ms)))
    incoming, waiting = _split(session, state, incoming)
    handed = {aid: Waiting(a, ("atelier", aid) in incoming.unclocked)  # (one left aside never waits)
              for aid, a in incoming.ateliers.items() if a.cellule_id not in state.cellules if aid not in session.aside}
    template = dc_replace(incoming, cellules={}, ateliers={}, unclocked=frozenset())
    session = dc_replace(session, waiting=waiting, handed=handed, template=template)
    if incoming.cellules or incoming.ateliers:
        out.append(MergeReady(incoming, adopt & (incoming.cellules.keys() | incoming.ateliers.keys())))
    return session, out


def _settle(session: Session, state: State, now_ms: int) -> tuple[Session, list[Any]]:
    """After a merge (`state` holds it): an atelier handed over whose cellule merge refused or the
    user left out waits; one whose cellule is here now (merged since, from this peer or another)
    is handed over."""
    waiting = dict(session.waiting)
    waiting.update((aid, held) for aid, held in session.handed.items() if held.atelier.cellule_id not in state.cellules)
    ready = {aid: held for aid, held in waiting.items() if held.atelier.cellule_id in state.cellules}
    session = dc_replace(session, waiting=waiting, handed={})
    if not ready or session.template is None:
        return session, []
    incoming = dc_replace(session.template, ateliers={aid: held.atelier for aid, held in ready.items()},
                          unclocked=frozenset(("atelier", aid) for aid, held in ready.items() if held.unclocked))
    return _hand(session, state, incoming, now_ms)
