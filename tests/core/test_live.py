"""The live sync protocol (app.core.live), without a browser: peers on a simulated network that
reorders, duplicates, loses messages and cuts connections; a simulated user who chooses
« Fusionner » on every preview. Laws: any two or three peers converge (pair, star around an
organiser, full mesh); a resumed session sends only what changed; hostile messages are refused
like files, by code, and leave the data as it was."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace as dc_replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import NODES, T0, rand, states

from app.core import actions, document, live, live_digest, merge
from app.core.clock import format_ms
from app.core.errors import CellulesError
from app.core.model import State

NOW = T0 + 10**7


# --- a simulated network ----------------------------------------------------------------------------

class Peer:
    def __init__(self, state: State) -> None:
        self.state = state
        self.sessions: dict[str, live.Session] = {}
        self.points: tuple[live.Checkpoint, ...] = ()
        self.waiting: set[str] = set()  # previews shown, the user has not chosen yet
        self.edits = 0
        self.skip: dict[str, frozenset[str]] = {}  # by peer: what the user leaves out of each session's first merge
        self.merged: set[str] = set()  # the peers whose session had its first merge


class Net:
    """Peers, the links between them, the messages on each wire (src, dst) in the order sent."""

    def __init__(self, states: dict[str, State], links: list[tuple[str, str]], *, eager: bool = True) -> None:
        self.peers = {name: Peer(state) for name, state in states.items()}
        self.links = links
        self.wires: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.now = NOW
        self.eager = eager  # the user chooses « Fusionner » as soon as a preview shows
        self.trouble: list[object] = []  # refusals and ends: honest peers never see any
        self.previews = 0
        self.sends = 0  # messages put on any wire
        self.log: list[tuple[tuple[str, str], str]] = []  # every message sent: (wire, text)
        self.frozen: set[str] = set()  # cellules the simulated users never edit

    def connect(self, a: str, b: str, *, consent: str = "ask") -> None:
        for x, y in ((a, b), (b, a)):
            peer = self.peers[x]
            session, out = live.start(peer.state, consent=consent, points=peer.points, now_ms=self.now)
            peer.sessions[y] = session
            peer.waiting.discard(y)
            peer.merged.discard(y)
            self.handle(x, y, out)

    def cut(self, a: str, b: str) -> None:
        for x, y in ((a, b), (b, a)):
            peer = self.peers[x]
            if y in peer.sessions:
                peer.sessions[y], _ = live.disconnect(peer.sessions[y])
            self.wires.pop((x, y), None)

    def handle(self, x: str, y: str, outputs: list[object]) -> None:
        peer = self.peers[x]
        for out in outputs:
            if isinstance(out, live.Send):
                self.wires[(x, y)].append(out.text)
                self.sends += 1
                self.log.append(((x, y), out.text))
            elif isinstance(out, live.PreviewReady):
                self.previews += 1
                assert out.incoming.instance_id == self.peers[y].state.instance_id
                peer.waiting.add(y)
                if self.eager:
                    self.decide(x, y)
            elif isinstance(out, live.MergeReady):
                skip = frozenset() if y in peer.merged else peer.skip.get(y, frozenset())  # the first merge only
                peer.merged.add(y)
                peer.state, _report = merge.merge(peer.state, out.incoming, now_ms=self.now, skip=skip)
                self.changed(x)
            elif isinstance(out, live.CheckpointReached):
                peer.points = live.remember(peer.points, out.point)
            elif isinstance(out, live.Refused | live.PeerEnded):
                self.trouble.append((x, y, out))

    def changed(self, x: str) -> None:
        peer = self.peers[x]
        for y in list(peer.sessions):
            peer.sessions[y], out = live.local(peer.sessions[y], peer.state, now_ms=self.now)
            self.handle(x, y, out)

    def decide(self, x: str, y: str) -> None:
        peer = self.peers[x]
        if y in peer.waiting:
            peer.waiting.discard(y)
            peer.sessions[y], out = live.decide(peer.sessions[y], True, peer.state, now_ms=self.now)
            self.handle(x, y, out)

    def deliver(self, src: str, dst: str, index: int, *, keep: bool = False) -> None:
        wire = self.wires[(src, dst)]
        text = wire[index] if keep else wire.pop(index)
        peer = self.peers[dst]
        peer.sessions[src], out = live.receive(peer.sessions[src], text, peer.state, now_ms=self.now)
        self.handle(dst, src, out)

    def tick(self) -> None:
        self.now += live.RETRY_MS
        for x, peer in self.peers.items():
            for y in list(peer.sessions):
                peer.sessions[y], out = live.tick(peer.sessions[y], peer.state, now_ms=self.now)
                self.handle(x, y, out)

    def edit(self, x: str, choice: int) -> None:
        peer = self.peers[x]
        peer.edits += 1
        state, now, seed = peer.state, self.now, rand(f"{x}-edit-{peer.edits}")
        live_c = [c.id for c in state.live_cellules()]
        live_a = [a.id for a in state.live_ateliers()]
        try:
            if choice % 4 == 0 or not live_c:
                state, _ = actions.create_cellule(state, {"nodeId": NODES[choice % len(NODES)],
                                                          "name": f"{x} {peer.edits}"}, now_ms=now, random_bytes=seed)
            elif choice % 4 == 1:
                state, _ = actions.create_atelier(state, {"celluleId": live_c[choice % len(live_c)],
                                                          "title": f"atelier {x} {peer.edits}",
                                                          "startsAt": "2026-03-04T18:00:00Z"},
                                                  now_ms=now, random_bytes=seed)
            elif choice % 4 == 2 or not live_a:
                live_c = [c for c in live_c if c not in self.frozen]
                if not live_c:
                    return
                state, _ = actions.edit(state, "cellule", live_c[choice % len(live_c)],
                                        {"name": f"{x} renamed {peer.edits}"}, now_ms=now)
            elif choice % 8 == 3:
                state = actions.delete(state, "atelier", live_a[choice % len(live_a)], now_ms=now)
            else:
                state, _ = actions.edit(state, "atelier", live_a[choice % len(live_a)],
                                        {"title": f"{x} retitled {peer.edits}"}, now_ms=now)
        except CellulesError:
            return
        peer.state = state
        self.changed(x)

    def settle(self, rounds: int = 400) -> None:
        """The network heals: every link connected again, every message delivered in order, the
        users choose, time passes — until nothing is left to say."""
        for a, b in self.links:
            if any(self.peers[x].sessions.get(y) is None or self.peers[x].sessions[y].phase == "closed"
                   for x, y in ((a, b), (b, a))):
                self.cut(a, b)
                self.connect(a, b)
        for _ in range(rounds):
            busy = False
            for key in list(self.wires):
                while self.wires[key]:
                    self.deliver(*key, 0)
                    busy = True
            for x, peer in self.peers.items():
                for y in list(peer.waiting):
                    self.decide(x, y)
                    busy = True
            if not busy:
                self.tick()
                if not any(self.wires.values()):
                    return
        raise AssertionError("the network never went quiet")

    def visible(self, x: str):
        return merge.visible(self.peers[x].state)


def pairs_of(links):
    return [(a, b) for a, b in links] + [(b, a) for a, b in links]


TOPOLOGIES = {
    "pair": (["A", "B"], [("A", "B")]),
    "star": (["A", "B", "C"], [("A", "B"), ("A", "C")]),  # A is the organiser; B and C never meet
    "mesh": (["A", "B", "C"], [("A", "B"), ("A", "C"), ("B", "C")]),
}

ops = st.lists(st.tuples(st.sampled_from(["edit", "deliver", "deliver", "deliver", "dup", "drop", "tick", "cut",
                                          "decide"]),
                         st.integers(0, 2), st.integers(0, 10**6)), max_size=60)


def run_chaos(net: Net, names: list[str], plan) -> None:
    links = pairs_of(net.links)
    for kind, who, n in plan:
        x = names[who % len(names)]
        if kind == "edit":
            net.edit(x, n)
        elif kind == "tick":
            net.tick()
        elif kind == "cut":
            a, b = net.links[n % len(net.links)]
            net.cut(a, b)
            if n % 3:  # most cuts heal at once; the others at the end
                net.connect(a, b)
        elif kind == "decide":
            for y in list(net.peers[x].waiting):
                net.decide(x, y)
        else:
            src, dst = links[n % len(links)]
            wire = net.wires[(src, dst)]
            if wire:
                if kind == "drop":
                    wire.pop(n % len(wire))
                else:
                    net.deliver(src, dst, n % len(wire), keep=kind == "dup")


def assert_converged(net: Net, names: list[str]) -> None:
    assert net.trouble == []
    first = net.visible(names[0])
    for x in names[1:]:
        assert net.visible(x) == first
    digests = {live.digest(net.peers[x].state) for x in names}
    assert len(digests) == 1
    for x, peer in net.peers.items():
        for y, session in peer.sessions.items():
            assert session.status == "up_to_date", (x, y, session.status)
            assert session.digest == session.peer_digest == next(iter(digests))


def fresh(name: str) -> State:
    return actions.new_state(name=name, random_bytes=rand(f"{name}-0"))


def one_cellule(name: str) -> State:
    state, _ = actions.create_cellule(fresh(name), {"nodeId": NODES[0], "name": "0", "description": "", "contact": ""},
                                      now_ms=T0 + 8, random_bytes=rand(f"{name}-0-0"))
    return state


@pytest.mark.parametrize("topology", sorted(TOPOLOGIES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(starts=st.fixed_dictionaries({x: states(name=x, max_ops=6) for x in "ABC"}), plan=ops, eager=st.booleans())
# mesh: B's batch to C is lost and goes again after B merged A's cellule; it must say B's digest as it is
# then, or C keeps an old one and asks for B's digest for ever
@example(starts={"A": fresh("A"), "B": one_cellule("B"), "C": fresh("C")},
         plan=[("edit", 0, 0), ("deliver", 0, 16), ("deliver", 0, 113), ("edit", 1, 2656), ("drop", 1, 164)],
         eager=False)
def test_peers_converge_whatever_the_order_duplication_or_loss_of_messages_and_the_cuts(topology, starts, plan,
                                                                                         eager):
    names, links = TOPOLOGIES[topology]
    start = {x: starts[x] for x in names}
    net = Net(start, links, eager=eager)
    for a, b in links:
        net.connect(a, b)
    run_chaos(net, names, plan)
    net.settle()
    assert_converged(net, names)
    # what each side holds is what both held, merged: nothing of anyone's is lost
    for x in names:
        for cellule in start[x].live_cellules():
            assert cellule.id in net.peers[names[0]].state.cellules


DAY_MS = 24 * 3600 * 1000
quiet_ops = st.lists(st.tuples(st.sampled_from(["deliver", "deliver", "dup", "drop", "tick", "cut", "decide"]),
                               st.integers(0, 1), st.integers(0, 10**6)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=states(name="A", max_ops=5), b=states(name="B", max_ops=5), ahead=st.integers(1, 3),
       rename_ahead=st.booleans(), plan=quiet_ops)
@example(a=fresh("A"), b=fresh("B"), ahead=1, rename_ahead=False, plan=[])
def test_copies_that_can_never_agree_fall_quiet_and_say_how_many_records_were_refused(a, b, ahead, rename_ahead,
                                                                                       plan):
    later = NOW + 2 * DAY_MS  # beyond what merge takes from another device's clock: refused, as from a file
    shared = None
    if rename_ahead:  # a record both hold, renamed on A by a clock too far ahead
        net = Net({"A": a, "B": b}, [("A", "B")])
        net.connect("A", "B")
        net.settle()
        a, b = net.peers["A"].state, net.peers["B"].state
        shared = next((c.id for c in a.live_cellules()), None)
        if shared is not None:
            a, _ = actions.edit(a, "cellule", shared, {"name": "Renommée dans le futur"}, now_ms=later)
    future = set()
    for i in range(ahead):
        a, cellule = actions.create_cellule(a, {"nodeId": NODES[i % len(NODES)], "name": f"Du futur {i}"},
                                            now_ms=later, random_bytes=rand(f"ahead-{i}"))
        future.add(cellule.id)
    net = Net({"A": a, "B": b}, [("A", "B")])
    net.connect("A", "B")
    run_chaos(net, ["A", "B"], plan)
    net.settle()
    assert net.trouble == []
    refused = ahead + (shared is not None)
    session_a, session_b = net.peers["A"].sessions["B"], net.peers["B"].sessions["A"]
    assert (session_a.status, session_a.refused, session_a.peer_refused) == ("apart", 0, refused)
    assert (session_b.status, session_b.refused, session_b.peer_refused) == ("apart", refused, 0)
    # everything else crossed: B holds all of A's but what it refused, A all of B's
    state_a, state_b = net.peers["A"].state, net.peers["B"].state
    assert set(state_a.cellules) - set(state_b.cellules) == future
    assert set(state_b.cellules) <= set(state_a.cellules) and set(state_b.ateliers) == set(state_a.ateliers)
    if shared is not None:
        assert state_b.cellules[shared].name != "Renommée dans le futur"
    # quiet: however many ticks pass, nothing more is said
    sends = net.sends
    for _ in range(20):
        net.tick()
        assert not any(net.wires.values())
    assert net.sends == sends
    assert session_a.status == net.peers["A"].sessions["B"].status == "apart"


def test_a_refused_record_costs_a_bounded_number_of_messages():
    a = fresh("A")
    a, _ = actions.create_cellule(a, {"nodeId": NODES[0], "name": "Du futur"}, now_ms=NOW + 2 * DAY_MS,
                                  random_bytes=rand("ahead"))
    net = Net({"A": a, "B": fresh("B")}, [("A", "B")])
    net.connect("A", "B")
    net.settle()
    assert net.sends == 11  # a hello each, one batch, its ack, then digests until each heard the other
    for _ in range(1000):
        net.tick()
    assert net.sends == 11
    assert net.peers["B"].sessions["A"].status == "apart"


def with_refused_cellule(a: State, how: str, ateliers: int) -> tuple[State, str]:
    """A's cellule that B refuses ("left_out": B's user unticks it in every session's first merge;
    "clock_ahead": stamped two days ahead of B's clock, A's own clock left as it was) and its ateliers."""
    later = NOW + 2 * DAY_MS
    made, cellule = actions.create_cellule(a, {"nodeId": NODES[1], "name": "Refusée"},
                                           now_ms=later if how == "clock_ahead" else NOW, random_bytes=rand("refused"))
    a = dc_replace(made, clock=a.clock)
    for i in range(ateliers):
        a, _ = actions.create_atelier(a, {"celluleId": cellule.id, "title": f"En attente {i}",
                                          "startsAt": "2026-03-04T18:00:00Z"},
                                      now_ms=NOW, random_bytes=rand(f"wait-{i}"))
    return a, cellule.id


def versions_but(state: State, left: set[str]) -> dict[str, str]:
    return {k: v for k, v in live_digest.Memo().versions(state).items() if k[2:] not in left}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=states(name="A", max_ops=5), b=states(name="B", max_ops=5), ateliers=st.integers(1, 3),
       how=st.sampled_from(["left_out", "clock_ahead"]), plan=ops, eager=st.booleans())
@example(a=fresh("A"), b=fresh("B"), ateliers=1, how="left_out", plan=[("edit", 0, 3)], eager=True)
def test_a_peers_orphan_waits_for_its_cellule_and_never_stops_the_rest_from_converging(a, b, ateliers, how, plan,
                                                                                      eager):
    a, refused = with_refused_cellule(a, how, ateliers)
    net = Net({"A": a, "B": b}, [("A", "B")], eager=eager)
    net.frozen.add(refused)  # A's users add, edit and delete its ateliers, never the cellule itself
    if how == "left_out":
        net.peers["B"].skip = {"A": frozenset({refused})}
    net.connect("A", "B")
    run_chaos(net, ["A", "B"], plan)  # edits of A's ateliers reach B as ateliers without their cellule
    net.settle()
    assert net.trouble == []  # nothing refused, no session ended
    state_a, state_b = net.peers["A"].state, net.peers["B"].state
    family = {refused} | {x.id for x in state_a.ateliers.values() if x.cellule_id == refused}
    # everything else crossed both ways; the cellule and its ateliers are left out on B, held
    assert versions_but(state_a, family) == versions_but(state_b, set())
    assert not family & (set(state_b.cellules) | set(state_b.ateliers))
    session_a, session_b = net.peers["A"].sessions["B"], net.peers["B"].sessions["A"]
    assert set(session_b.waiting) == family - {refused}
    assert (session_b.status, session_b.refused, session_b.peer_refused) == ("apart", len(family), 0)
    assert (session_a.status, session_a.refused, session_a.peer_refused) == ("apart", 0, len(family))
    # its cellule arrives (renamed by A once B's clock reached its stamps): the ateliers waiting come with it
    net.now += 3 * DAY_MS
    net.frozen.clear()
    net.peers["A"].state, _ = actions.edit(state_a, "cellule", refused, {"name": "Acceptée"}, now_ms=net.now)
    net.changed("A")
    net.settle()
    assert_converged(net, ["A", "B"])
    assert family <= set(net.peers["B"].state.cellules) | set(net.peers["B"].state.ateliers)
    assert net.peers["B"].sessions["A"].waiting == {}


def test_an_atelier_edited_after_its_cellule_was_left_out_waits_then_arrives_with_it():
    a, refused = with_refused_cellule(fresh("A"), "left_out", 1)
    atelier = next(iter(a.ateliers))
    net = Net({"A": a, "B": fresh("B")}, [("A", "B")])
    net.peers["B"].skip = {"A": frozenset({refused})}
    net.connect("A", "B")
    net.settle()
    a, _ = actions.edit(net.peers["A"].state, "atelier", atelier, {"title": "Retitré"}, now_ms=net.now)
    net.peers["A"].state = a
    net.changed("A")
    net.settle()
    assert net.trouble == []  # a file of this atelier alone would be refused whole (atelier.orphan)
    session = net.peers["B"].sessions["A"]
    assert (session.status, session.refused, list(session.waiting)) == ("apart", 2, [atelier])
    assert session.waiting[atelier].atelier.title == "Retitré"  # the later copy is the one held
    assert refused not in net.peers["B"].state.cellules and atelier not in net.peers["B"].state.ateliers
    net.peers["A"].state, _ = actions.edit(a, "cellule", refused, {"name": "Finalement"}, now_ms=net.now)
    net.changed("A")
    net.settle()
    assert_converged(net, ["A", "B"])
    assert net.peers["B"].state.ateliers[atelier].title == "Retitré"


def test_an_atelier_waiting_for_its_cellule_arrives_when_another_peer_brings_the_cellule():
    """A room: Alice left Carla's cellule out, so its atelier waits in her session with Carla; Bob,
    who holds that cellule (from a file of Carla's), connects to Alice: the cellule comes from him
    and the atelier Carla sent is handed over at once, without Carla sending anything again."""
    carla, refused = with_refused_cellule(fresh("C"), "left_out", 1)
    atelier = next(iter(carla.ateliers))
    cellule_only = document.read_document(document.to_document(dc_replace(carla, ateliers={}), now_ms=NOW))
    bob, _ = merge.merge(fresh("B"), cellule_only, now_ms=NOW)
    net = Net({"A": fresh("A"), "B": bob, "C": carla}, [("A", "C")])
    net.peers["A"].skip = {"C": frozenset({refused})}
    net.settle()
    assert list(net.peers["A"].sessions["C"].waiting) == [atelier]
    sends = net.sends
    net.links.append(("A", "B"))
    net.settle()
    assert net.trouble == []
    assert net.peers["A"].sessions["C"].waiting == {}
    assert live_digest.version(net.peers["A"].state.ateliers[atelier]) == live_digest.version(carla.ateliers[atelier])
    assert not any(text.startswith('{"t":"data"') for wire, text in net.log[sends:] if wire == ("C", "A"))
    assert_converged(net, ["A", "B", "C"])


def keys_changed(state: State, since: live.Checkpoint) -> set[str]:
    now = live_digest.Memo().versions(state)
    return {k for k, v in now.items() if since.versions.get(k) != v}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=states(name="A", max_ops=8), b=states(name="B", max_ops=8),
       edits_a=st.lists(st.integers(0, 10**6), max_size=5), new_b=st.integers(0, 3))
def test_a_resumed_session_sends_only_what_changed(a, b, edits_a, new_b):
    net = Net({"A": a, "B": b}, [("A", "B")])
    net.connect("A", "B")
    net.settle()
    assert_converged(net, ["A", "B"])
    point = net.peers["A"].points[0]
    assert [p.digest for p in net.peers["B"].points] == [point.digest]
    net.cut("A", "B")
    for n in edits_a:  # A edits anything (its own records and B's); B only adds new cellules
        net.edit("A", n * 4 + 2 if n % 2 else n)
    for i in range(new_b):
        net.edit("B", i * 4)
    changed_a = keys_changed(net.peers["A"].state, point)
    changed_b = keys_changed(net.peers["B"].state, point)
    assert changed_a.isdisjoint(changed_b)
    net.connect("A", "B")
    net.settle()
    assert_converged(net, ["A", "B"])
    session_a, session_b = net.peers["A"].sessions["B"], net.peers["B"].sessions["A"]
    assert session_a.base == session_b.base == point.digest
    assert set(session_a.sent) == changed_a
    assert set(session_b.sent) == changed_b


@settings(max_examples=10, deadline=None)
@given(a=states(name="A", max_ops=6), b=states(name="B", max_ops=6))
def test_without_a_common_checkpoint_everything_is_sent_again(a, b):
    net = Net({"A": a, "B": b}, [("A", "B")])
    net.connect("A", "B")
    net.settle()
    net.cut("A", "B")
    net.peers["B"].points = ()  # B undid the session (or lost its data): it forgets its checkpoints
    net.connect("A", "B")
    net.settle()
    assert_converged(net, ["A", "B"])
    held = live_digest.Memo().versions(net.peers["A"].state)
    assert net.peers["A"].sessions["B"].base == ""
    assert net.peers["A"].sessions["B"].sent == net.peers["B"].sessions["A"].sent == held  # everything, once


# --- one session, step by step ----------------------------------------------------------------------

def two(consent="ask"):
    a = actions.new_state(name="Alice", random_bytes=rand("alice"))
    b = actions.new_state(name="Bob", random_bytes=rand("bob"))
    a, _ = actions.create_cellule(a, {"nodeId": NODES[0], "name": "Repair Café"}, now_ms=T0, random_bytes=rand(1))
    b, _ = actions.create_cellule(b, {"nodeId": NODES[1], "name": "Potager"}, now_ms=T0, random_bytes=rand(2))
    sa, out_a = live.start(a, consent=consent, now_ms=NOW)
    sb, out_b = live.start(b, consent=consent, now_ms=NOW)
    return a, b, sa, sb, texts(out_a), texts(out_b)


def texts(outputs):
    return [o.text for o in outputs if isinstance(o, live.Send)]


def of(outputs, kind):
    return [o for o in outputs if isinstance(o, kind)]


def open_session(me: State, session: live.Session, hello: str):
    return live.receive(session, hello, me, now_ms=NOW)


def test_nothing_is_merged_before_the_user_chooses_fusionner():
    a, b, sa, sb, hello_a, hello_b = two()
    assert json.loads(hello_a[0]) == {"t": "hello", "n": 1, "v": 1, "id": a.instance_id, "dev": a.device,
                                      "name": "Alice", "points": [], "digest": live.digest(a)}
    sb, out = open_session(b, sb, hello_a[0])
    assert of(out, live.PeerHello) == [live.PeerHello(a.instance_id, "Alice")]
    assert sb.status == "connected"
    data = texts(out)
    sa, _ = open_session(a, sa, hello_b[0])
    sa, out = live.receive(sa, data[0], a, now_ms=NOW)
    preview = of(out, live.PreviewReady)
    assert len(preview) == 1 and not of(out, live.MergeReady)
    assert [(p.status, p.label) for p in preview[0].plans] == [("new", "Potager")]
    assert sa.status == "connected" and sa.pending  # held, not merged
    sa, out = live.decide(sa, True, a, now_ms=NOW)
    merged = of(out, live.MergeReady)
    assert len(merged) == 1 and sa.consent == "merge" and not sa.pending
    a2, report = merge.merge(a, merged[0].incoming, now_ms=NOW)
    assert report.added == tuple(b.cellules)


def test_declining_ends_the_session_and_the_peer_is_told():
    a, b, sa, sb, hello_a, hello_b = two()
    sb, out = open_session(b, sb, hello_a[0])
    sa, _ = open_session(a, sa, hello_b[0])
    sa, _ = live.receive(sa, texts(out)[0], a, now_ms=NOW)
    sa, out = live.decide(sa, False, a, now_ms=NOW)
    assert sa.status == "interrupted" and not sa.pending
    sb, out = live.receive(sb, texts(out)[0], b, now_ms=NOW)
    assert of(out, live.PeerEnded) == [live.PeerEnded("live.declined")] and sb.status == "interrupted"


def test_the_digest_is_the_data_not_who_brought_it():
    a, b, *_ = two()
    b2, _ = merge.merge(b, document.read_document(document.parse_text(document.dumps_state(a, now_ms=NOW))),
                        now_ms=NOW)
    a2, _ = merge.merge(a, document.read_document(document.parse_text(document.dumps_state(b, now_ms=NOW))),
                        now_ms=NOW)
    assert live.digest(a2) == live.digest(b2) != live.digest(a)
    assert merge.visible(a2) == merge.visible(b2)
    renamed, _ = actions.edit(a2, "cellule", next(iter(a.cellules)), {"name": "Repair Café du Nord"}, now_ms=NOW + 1)
    assert live.digest(renamed) != live.digest(a2)
    assert len(live.digest(a)) == 32 and live.digest(a) == live.digest(a)


def test_a_big_state_crosses_in_numbered_parts_within_the_window():
    a, b, sa, sb, hello_a, hello_b = two()
    for i in range(400):
        a, _ = actions.create_cellule(a, {"nodeId": NODES[i % 4], "name": f"Cellule {i}", "description": "x" * 1500},
                                      now_ms=T0 + i, random_bytes=rand(f"big{i}"))
    sa, out = live.start(a, now_ms=NOW)
    sb, _ = open_session(b, sb, texts(out)[0])
    sa, out = open_session(a, sa, hello_b[0])
    sent = texts(out)
    headers = [json.loads(t.partition("\n")[0]) for t in sent if t.startswith('{"t":"data"')]
    assert all(len(t) <= live.MAX_MESSAGE_CHARS for t in sent)
    assert {h["seq"] for h in headers} == {1, 2} and len(sa.inflight) == 2
    assert max(h["parts"] for h in headers) > 1
    outs = []
    for text in sent:
        sb, out = live.receive(sb, text, b, now_ms=NOW)
        outs += out
    previews = of(outs, live.PreviewReady)
    assert len(previews) == 1 and len(previews[0].incoming.cellules) == 401
    acks = [json.loads(t) for t in texts(outs) if t.startswith('{"t":"ack"')]
    assert [h["seq"] for h in acks] == [1, 2]


# --- hostile messages: refused like files, by code; nothing handed over ------------------------------

def hostile(text_after_hello, consent="ask"):
    """What Bob's session does with one message from 'Alice' after her hello."""
    a, b, sa, sb, hello_a, hello_b = two(consent)
    sb, _ = open_session(b, sb, hello_a[0])
    sb, out = live.receive(sb, text_after_hello(a, b), b, now_ms=NOW)
    assert not of(out, live.MergeReady)
    return sb, out


def refusal(sb, out):
    refused = of(out, live.Refused)
    assert len(refused) == 1 and sb.status == "interrupted" and sb.phase == "closed" and not sb.pending
    error = refused[0].error
    assert json.loads(texts(out)[-1]) == {"t": "end", "code": error.code}
    for lang in ("fr", "en"):
        assert not error.message(lang).startswith(("Erreur", "Error"))
    return error.code, error.params


def data_message(doc_text, seq=1, part=0, parts=1, last=True, digest="0" * 32, n=None):
    return json.dumps({"t": "data", "n": 1 + seq + part if n is None else n, "seq": seq, "part": part,
                       "parts": parts, "last": last, "digest": digest}) + "\n" + doc_text


def doc_of(state):
    return document.dumps(document.to_document(state, now_ms=NOW))


def test_an_oversized_message_is_refused():
    message = data_message("x" * live.MAX_MESSAGE_CHARS)
    sb, out = hostile(lambda a, b: message)
    assert refusal(sb, out) == ("live.message_size", {"size": len(message), "limit": live.MAX_MESSAGE_CHARS})


@pytest.mark.parametrize(("text", "part"), [
    ("not json at all", "header"), ("[" * 50, "header"), ('{"t":"shout"}', "type"), ('"hello"', "type"),
    ('{"t":"ack","n":2,"seq":7,"digest":"' + "0" * 32 + '"}', "ack"),
    ('{"t":"data","n":2,"seq":1,"part":3,"parts":2,"last":true,"digest":"' + "0" * 32 + '"}\n{}', "data"),
    ('{"t":"digest","n":2,"digest":"ZZ"}', "digest"),
    ('{"t":"digest","n":2,"seen":1,"refused":0,"ask":true}', "digest"),
    ('{"t":"digest","n":2,"seen":9,"refused":0,"ask":true,"digest":"' + "0" * 32 + '"}', "digest"),
    ('{"t":"digest","n":2,"seen":1,"refused":-1,"ask":true,"digest":"' + "0" * 32 + '"}', "digest"),
    ('{"t":"digest","n":2,"seen":1,"refused":0,"ask":1,"digest":"' + "0" * 32 + '"}', "digest"),
    ('{"t":"ack","seq":0,"digest":"' + "0" * 32 + '"}', "number"),
    ('{"t":"ack","n":0,"seq":0,"digest":"' + "0" * 32 + '"}', "number"),
    ('{"t":"ack","n":"2","seq":0,"digest":"' + "0" * 32 + '"}', "number"),
])
def test_a_malformed_message_is_refused(text, part):
    sb, out = hostile(lambda a, b: text)
    assert refusal(sb, out) == ("live.message", {"part": part})


def test_a_malformed_document_is_refused_like_a_file():
    sb, out = hostile(lambda a, b: data_message('{"version": "1.0", "cellules": [}'))
    code, params = refusal(sb, out)
    assert (code, params["line"], params["col"]) == ("doc.json", 1, 33)
    sb, out = hostile(lambda a, b: data_message('{"version": "2.0", "instanceId": "' + a.instance_id + '"}'))
    assert refusal(sb, out) == ("doc.version_unsupported", {"version": "2.0"})


def test_a_forged_identity_is_refused():
    # our own hello (this very device: another tab of this browser)
    a, b, sa, sb, hello_a, hello_b = two()
    sb2, out = live.receive(sb, hello_b[0], b, now_ms=NOW)
    assert refusal(sb2, out) == ("live.same_device", {})
    # data in the name of another group than the hello's
    carla = actions.new_state(name="Carla", random_bytes=rand("carla"))
    sb, out = hostile(lambda a, b: data_message(doc_of(carla)))
    assert refusal(sb, out) == ("live.identity", {"claimed": carla.instance_id, "name": "Alice"})
    # a second hello under another name
    sb, out = hostile(lambda a, b: live._hello(live.start(carla, now_ms=NOW)[0])[1].text)
    assert refusal(sb, out) == ("live.identity", {"claimed": carla.instance_id, "name": "Alice"})


def test_records_presented_as_ours_are_credited_to_the_peer_or_refused_as_from_a_file():
    def forged(a, b):
        hers = next(iter(a.cellules.values()))
        mine = next(iter(b.cellules.values()))
        claimed = hers.evolve(id="cfakefakefakefakefak1", name="Écrit par vous ?", origin=b.instance_id)
        stamped = mine.evolve(id="cfakefakefakefakefak2", name="Signé par vous ?")
        return data_message(doc_of(State(instance_id=a.instance_id, instance_name="Alice",
                                         cellules={claimed.id: claimed, stamped.id: stamped})))
    sb, out = hostile(forged)
    plans = of(out, live.PreviewReady)[0].plans
    assert [(p.label, p.status, p.reason) for p in plans] == [("Signé par vous ?", "refused", "identity.stamp"),
                                                              ("Écrit par vous ?", "new", "identity.self")]


def test_a_clock_too_far_ahead_is_refused_record_by_record():
    def ahead(a, b):
        later = NOW + 2 * 24 * 3600 * 1000
        fast, _ = actions.create_cellule(a, {"nodeId": NODES[2], "name": "Du futur"}, now_ms=later,
                                         random_bytes=rand("fast"))
        return data_message(document.dumps(document.to_document(fast, now_ms=later)))
    sb, out = hostile(ahead)
    plans = of(out, live.PreviewReady)[0].plans
    assert [(p.label, p.status, p.reason) for p in plans] == [("Du futur", "refused", "clock.future"),
                                                              ("Repair Café", "new", "")]
    sb, out = live.decide(sb, True, hostile_state := actions.new_state(name="Bob", random_bytes=rand("bob")),
                          now_ms=NOW)
    merged, report = merge.merge(hostile_state, of(out, live.MergeReady)[0].incoming, now_ms=NOW)
    assert [c.name for c in merged.live_cellules()] == ["Repair Café"] and len(report.refused) == 1


def test_a_flood_beyond_the_window_is_refused():
    sb, out = hostile(lambda a, b: data_message(doc_of(a), seq=1 + live.WINDOW))
    assert refusal(sb, out) == ("live.flood", {"limit": live.WINDOW})
    sb, out = hostile(lambda a, b: data_message("", parts=live.MAX_BATCH_PARTS + 1, last=False))
    assert refusal(sb, out) == ("live.too_large", {"limit": document.MAX_DOCUMENT_BYTES})


def test_more_than_a_file_held_for_the_user_is_refused(monkeypatch):
    monkeypatch.setattr(live, "MAX_PENDING_BYTES", 800)
    a, b, sa, sb, hello_a, hello_b = two()
    sb, _ = open_session(b, sb, hello_a[0])
    text = doc_of(a)
    assert len(text) < 800 < 2 * len(text)
    sb, out = live.receive(sb, data_message(text, seq=1, last=False), b, now_ms=NOW)
    assert not of(out, live.Refused) and sb.pending_bytes == len(text)
    sb, out = live.receive(sb, data_message(text, seq=2, last=True), b, now_ms=NOW)
    assert refusal(sb, out) == ("live.too_large", {"limit": 800})


def test_messages_before_the_hello_and_repeated_batches_are_harmless():
    a, b, sa, sb, hello_a, hello_b = two()
    sb2, out = live.receive(sb, data_message(doc_of(a)), b, now_ms=NOW)
    assert (sb2, out) == (sb, [])  # dropped: it comes again after the hello
    sb, _ = open_session(b, sb, hello_a[0])
    sb, out = live.receive(sb, data_message(doc_of(a)), b, now_ms=NOW)
    assert len(of(out, live.PreviewReady)) == 1
    sb, out = live.receive(sb, data_message(doc_of(a)), b, now_ms=NOW)  # our ack was lost: acknowledged again
    assert [json.loads(t)["seq"] for t in texts(out)] == [1] and not of(out, live.PreviewReady)


def test_a_lost_batch_goes_again_after_the_retry_delay():
    a, b, sa, sb, hello_a, hello_b = two()
    sa, out = open_session(a, sa, hello_b[0])
    assert [(h["t"], h["n"], h.get("ask")) for h in headers(out)] == [("data", 2, None), ("digest", 3, True)]  # lost
    sa, out = live.local(sa, a, now_ms=NOW)
    assert texts(out) == []  # sent once already, at the hello
    sa, out = live.tick(sa, a, now_ms=NOW + live.RETRY_MS - 1)
    assert texts(out) == []  # nothing goes again before RETRY_MS
    sa, out = live.tick(sa, a, now_ms=NOW + 2 * live.RETRY_MS)
    assert [(h["t"], h["n"], h.get("ask")) for h in headers(out)] == [("hello", 4, None), ("data", 5, None),
                                                                      ("digest", 6, True)]


def headers(outputs):
    return [json.loads(t.partition("\n")[0]) for t in texts(outputs)]


def test_a_batch_sent_again_says_the_digest_of_the_moment_it_goes():
    a, b, sa, sb, hello_a, hello_b = two()
    sa, out = open_session(a, sa, hello_b[0])
    assert [(h["t"], h.get("seq"), h["digest"]) for h in headers(out)] == [("data", 1, live.digest(a)),
                                                                           ("digest", None, live.digest(a))]  # lost
    renamed, _ = actions.edit(a, "cellule", next(iter(a.cellules)), {"name": "Repair Café du Nord"}, now_ms=NOW)
    sa, out = live.local(sa, renamed, now_ms=NOW)
    assert [(h["t"], h.get("seq"), h["digest"]) for h in headers(out)] == [("data", 2, live.digest(renamed)),
                                                                           ("digest", None, live.digest(renamed))]
    sa, out = live.tick(sa, renamed, now_ms=NOW + live.RETRY_MS)
    again = [h for h in headers(out) if h["t"] == "data"]
    assert [(h["seq"], h["digest"]) for h in again] == [(1, live.digest(renamed)), (2, live.digest(renamed))]
    sb, _ = open_session(b, sb, hello_a[0])
    first = next(t for t in texts(out) if t.startswith('{"t":"data"'))
    sb, _ = live.receive(sb, first, b, now_ms=NOW + live.RETRY_MS)
    assert sb.expected == 2 and sb.peer_digest == live.digest(renamed)


def test_a_hello_sent_again_says_the_digest_of_the_moment_it_goes():
    a, b, sa, sb, hello_a, hello_b = two()
    renamed, _ = actions.edit(a, "cellule", next(iter(a.cellules)), {"name": "Repair Café du Nord"}, now_ms=NOW)
    sa, out = live.local(sa, renamed, now_ms=NOW)  # before Bob's hello: nothing to say yet
    assert out == [] and json.loads(hello_a[0])["digest"] == live.digest(a)  # lost
    sa, out = live.tick(sa, renamed, now_ms=NOW + live.RETRY_MS)
    assert [(h["t"], h["digest"]) for h in headers(out)] == [("hello", live.digest(renamed))]


def test_a_digest_is_answered_when_asked_or_when_the_peer_has_not_heard_ours():
    a, b, sa, sb, hello_a, hello_b = two()
    sa, out = open_session(a, sa, hello_b[0])  # A's messages 2 (data) and 3 (digest)
    mine = {"t": "digest", "digest": live.digest(a), "refused": 0, "aside": 0}
    heard = {"t": "digest", "n": 2, "digest": live.digest(b), "seen": 3, "refused": 0, "ask": False}
    sa, out = live.receive(sa, json.dumps(heard), a, now_ms=NOW)
    assert texts(out) == [] and sa.heard
    sa, out = live.receive(sa, json.dumps({**heard, "n": 3, "ask": True}), a, now_ms=NOW)
    assert headers(out) == [{**mine, "n": 4, "seen": 3, "ask": False}]
    sa, out = live.receive(sa, json.dumps({**heard, "n": 1, "seen": 1}), a, now_ms=NOW)  # a duplicate, late
    assert texts(out) == [] and sa.heard and sa.peer_n == 3  # what it heard is not forgotten
    renamed, _ = actions.edit(a, "cellule", next(iter(a.cellules)), {"name": "Repair Café du Nord"}, now_ms=NOW)
    sa, out = live.local(sa, renamed, now_ms=NOW)  # A's messages 5 (data) and 6 (digest)
    assert not sa.heard
    sa, out = live.receive(sa, json.dumps({**heard, "n": 4}), renamed, now_ms=NOW)  # B has not heard 6 yet
    assert headers(out) == [{**mine, "digest": live.digest(renamed), "n": 7, "seen": 4, "ask": False}]  # asked at 6
    sa, out = live.tick(sa, renamed, now_ms=NOW + live.RETRY_MS)
    assert [(h["t"], h.get("seq"), h.get("ask")) for h in headers(out)] == [("data", 1, None), ("data", 2, None),
                                                                                    ("digest", None, True)]


def test_checkpoints_survive_storage_and_a_damaged_one_is_dropped():
    a, *_ = two()
    versions = live_digest.Memo().versions(a)
    point = live.Checkpoint(digest=live_digest.digest_of(versions), versions=versions)
    assert live.Checkpoint.from_json(json.loads(json.dumps(point.to_json()))) == point
    assert live.Checkpoint.from_json({**point.to_json(), "digest": "0" * 32}) is None
    assert live.Checkpoint.from_json("?") is None
    kept = live.remember([], point)
    for i in range(live.MAX_CHECKPOINTS + 2):
        kept = live.remember(kept, live.Checkpoint(digest=f"{i:032x}", versions={}))
    assert len(kept) == live.MAX_CHECKPOINTS and point not in kept
    assert live.remember(kept, kept[3])[0] == kept[3] and len(live.remember(kept, kept[3])) == live.MAX_CHECKPOINTS


def test_time_is_only_what_is_passed_in():
    a, b, sa, sb, hello_a, hello_b = two()
    assert json.loads(live.start(a, now_ms=NOW)[1][0].text) == json.loads(hello_a[0])
    sb, out = open_session(b, sb, hello_a[0])
    exported = json.loads(texts(out)[0].partition("\n")[2])["exportedAt"]
    assert exported == format_ms(NOW)
