"""Live sync between two devices of one group (a phone restored from the group's backup and the
group's computer), without a browser. Law: a live exchange gives each device the same data a file
exchange between them would (merge.from_other_device: changes to what it holds come, conflicts
marked on both sides; what the other device says it created comes only if ticked, `adopt`), and
« à jour » is said only when they hold the same; otherwise the status says what differs (how
many left aside on each side). A device never syncs with itself (« live.same_device »)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, export, rand

from app.core import actions, document, live, merge
from app.core.model import State

STARTS = "2026-02-01T10:00:00Z"


def new(name: str, seed) -> State:
    return actions.new_state(name=name, random_bytes=rand(seed))


def computer_and_phone() -> tuple[State, State, str]:
    """The group's computer with one cellule and a full backup made (« Tout exporter »: its own
    node), the phone restored from that backup."""
    computer, jardin = actions.create_cellule(new("Jardins", 1), {"nodeId": NODES[0], "name": "Jardin"},
                                              now_ms=T0, random_bytes=rand("c"))
    computer = actions.stamp_full_export(computer, T0 + 1)
    phone, _ = merge.restore_backup(new("x", 2), export(computer), now_ms=T0 + 10, device_seed=rand("phone"))
    return computer, phone, jardin.id


def both_write(made: int, ateliers: int, in_held: bool, edit_phone: bool, edit_computer: bool,
               computer_made: int) -> tuple[State, State]:
    """The phone makes `made` cellules with `ateliers` ateliers each (and one atelier in the held
    cellule if `in_held`); the computer makes `computer_made` cellules; each may edit the held
    cellule's description (both: a concurrent edit, a conflict)."""
    computer, phone, jardin = computer_and_phone()
    t = T0 + 100
    for i in range(made):
        phone, c = actions.create_cellule(phone, {"nodeId": NODES[i % 4], "name": f"Téléphone {i}"}, now_ms=t,
                                          random_bytes=rand(f"p{i}"))
        for j in range(ateliers):
            phone, _ = actions.create_atelier(phone, {"celluleId": c.id, "title": f"Atelier {i}.{j}",
                                                      "startsAt": STARTS}, now_ms=t + 1 + j,
                                              random_bytes=rand(f"a{i}{j}"))
        t += 10
    if in_held:
        phone, _ = actions.create_atelier(phone, {"celluleId": jardin, "title": "Au jardin", "startsAt": STARTS},
                                          now_ms=t, random_bytes=rand("held"))
    for i in range(computer_made):
        computer, _ = actions.create_cellule(computer, {"nodeId": NODES[(i + 1) % 4], "name": f"Ordinateur {i}"},
                                             now_ms=t + i, random_bytes=rand(f"o{i}"))
    if edit_phone:
        phone, _ = actions.edit(phone, "cellule", jardin, {"description": "vu au téléphone"}, now_ms=t + 20)
    if edit_computer:
        computer, _ = actions.edit(computer, "cellule", jardin, {"description": "vu à l’ordinateur"}, now_ms=t + 21)
    return computer, phone


class Pair:
    """Two sessions on a lossless channel; each user chooses « Fusionner » on every preview,
    ticking `adopt` (the ids she would tick among « Créés sur votre autre appareil »)."""

    def __init__(self, computer: State, phone: State, adopt: dict[str, frozenset[str]]) -> None:
        self.states = {"c": computer, "p": phone}
        self.adopt = adopt
        self.wires: dict[str, list[str]] = {"c": [], "p": []}  # what each side sent, not yet delivered
        self.hellos: dict[str, live.PeerHello] = {}
        self.previews: dict[str, list[live.PreviewReady]] = {"c": [], "p": []}
        self.trouble: list[object] = []
        self.reports: dict[str, list[merge.Report]] = {"c": [], "p": []}
        self.now = NOW
        self.sessions = {}
        for x in "cp":
            self.sessions[x], out = live.start(self.states[x], now_ms=self.now)
            self.handle(x, out)

    def handle(self, x: str, outputs: list[object]) -> None:
        for out in outputs:
            if isinstance(out, live.Send):
                self.wires[x].append(out.text)
            elif isinstance(out, live.PeerHello):
                self.hellos[x] = out
            elif isinstance(out, live.PreviewReady):
                self.previews[x].append(out)
                self.sessions[x], more = live.decide(self.sessions[x], True, self.states[x], now_ms=self.now,
                                                     adopt=self.adopt[x])
                self.handle(x, more)
            elif isinstance(out, live.MergeReady):
                self.states[x], report = merge.merge(self.states[x], out.incoming, now_ms=self.now, adopt=out.adopt)
                self.reports[x].append(report)
                self.sessions[x], more = live.local(self.sessions[x], self.states[x], now_ms=self.now)
                self.handle(x, more)
            elif isinstance(out, live.Refused | live.PeerEnded):
                self.trouble.append((x, out))

    def run(self) -> None:
        for _round in range(4):  # quiet, then time passes: nothing is left unsaid
            while self.wires["c"] or self.wires["p"]:
                src = "c" if self.wires["c"] else "p"
                dst = "p" if src == "c" else "c"
                text = self.wires[src].pop(0)
                self.sessions[dst], out = live.receive(self.sessions[dst], text, self.states[dst], now_ms=self.now)
                self.handle(dst, out)
            self.now += live.RETRY_MS
            for x in "cp":
                self.sessions[x], out = live.tick(self.sessions[x], self.states[x], now_ms=self.now)
                self.handle(x, out)


def by_file(computer: State, phone: State, adopt: dict[str, frozenset[str]]) -> tuple[State, State]:
    """The same two devices exchanging backups (each merges the other's, ticking the same) until
    neither brings anything new."""
    for _round in range(4):
        to_c, to_p = export(phone), export(computer)
        computer, _ = merge.merge(computer, to_c, now_ms=NOW, adopt=adopt["c"])
        phone, _ = merge.merge(phone, to_p, now_ms=NOW, adopt=adopt["p"])
    return computer, phone


def created_on(state: State, other: State) -> set[str]:
    return set(merge.created_there_ids(other, export(state)))


scenarios = st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans(), st.booleans(), st.booleans(),
                      st.integers(0, 2))


@settings(max_examples=40, deadline=None)
@given(scenarios, st.data())
def test_law_a_live_exchange_between_two_devices_of_a_group_gives_each_what_a_file_exchange_would(scenario, data):
    computer, phone = both_write(*scenario)
    on_phone, on_computer = sorted(created_on(phone, computer)), sorted(created_on(computer, phone))
    adopt = {"c": frozenset(data.draw(st.sets(st.sampled_from(on_phone))) if on_phone else ()),
             "p": frozenset(data.draw(st.sets(st.sampled_from(on_computer))) if on_computer else ())}
    pair = Pair(computer, phone, adopt)
    pair.run()
    assert pair.trouble == []
    assert pair.hellos == {"c": live.PeerHello(phone.instance_id, phone.instance_name, True),
                           "p": live.PeerHello(computer.instance_id, computer.instance_name, True)}
    live_c, live_p = pair.states["c"], pair.states["p"]
    file_c, file_p = by_file(computer, phone, adopt)
    for got, want in ((live_c, file_c), (live_p, file_p)):
        assert merge.visible(got) == merge.visible(want)
        assert live.digest(got) == live.digest(want)
        assert set(got.marks) == set(want.marks)  # a concurrent edit is marked on both sides, as by file
        assert got.instance_id == want.instance_id and got.device == want.device and got.devices == want.devices
    sc, sp = pair.sessions["c"], pair.sessions["p"]
    # left aside: what a file merge ticking the same leaves aside (an atelier ticked without its cellule too)
    aside_c = len(merge.merge(computer, export(phone), now_ms=NOW, adopt=adopt["c"])[1].offered)
    aside_p = len(merge.merge(phone, export(computer), now_ms=NOW, adopt=adopt["p"])[1].offered)
    if live.digest(live_c) == live.digest(live_p):
        assert sc.status == sp.status == "up_to_date"
    else:  # never « à jour » when they differ: what was left aside, each side counted
        assert sc.status == sp.status == "apart"
        assert (sc.aside_held, sc.peer_aside) == (aside_c, aside_p)
        assert (sp.aside_held, sp.peer_aside) == (aside_p, aside_c)
        assert aside_c + aside_p > 0
    everything = {"c": frozenset(on_phone), "p": frozenset(on_computer)}
    if adopt == everything:
        assert live.digest(live_c) == live.digest(live_p) and merge.visible(live_c) == merge.visible(live_p)


def test_each_side_sees_the_records_created_on_the_other_offered_and_merges_what_it_ticks():
    computer, phone = both_write(1, 1, True, True, False, 1)
    made_on_phone = sorted(created_on(phone, computer))
    pair = Pair(computer, phone, {"c": frozenset(), "p": frozenset()})
    pair.run()
    first = pair.previews["c"][0]
    assert merge.from_other_device(computer, first.incoming)
    assert sorted((p.label, p.status) for p in first.plans if p.status != "unchanged") == [
        ("Atelier 0.0", "offered"), ("Au jardin", "offered"), ("Jardin", "changed"), ("Téléphone 0", "offered")]
    assert [(p.label, p.status) for p in pair.previews["p"][0].plans if p.status == "offered"] == [
        ("Ordinateur 0", "offered")]
    # nothing ticked: the edit came, nothing created there did; never « à jour », each side says how many
    assert pair.states["c"].cellules[next(iter(computer.cellules))].description == "vu au téléphone"
    assert not {*made_on_phone} & {*pair.states["c"].cellules, *pair.states["c"].ateliers}
    # the first merge's report counts them left aside, as a file's would
    file_report = merge.merge(computer, export(phone), now_ms=NOW)[1]
    assert set(pair.reports["c"][0].offered) == set(file_report.offered) == set(made_on_phone)
    assert pair.reports["c"][0].summary() == file_report.summary()
    sc, sp = pair.sessions["c"], pair.sessions["p"]
    assert (sc.status, sc.aside_held, sc.peer_aside, sc.refused) == ("apart", 3, 1, 3)
    assert (sp.status, sp.aside_held, sp.peer_aside, sp.refused) == ("apart", 1, 3, 1)
    # « Reconnecter » and tick them all: both « à jour », holding the same
    again = Pair(pair.states["c"], pair.states["p"], {"c": frozenset(made_on_phone),
                                                      "p": frozenset(created_on(computer, phone))})
    again.run()
    assert again.trouble == []
    assert again.sessions["c"].status == again.sessions["p"].status == "up_to_date"
    assert live.digest(again.states["c"]) == live.digest(again.states["p"])
    adopted = again.states["c"].cellules[next(c for c in made_on_phone if c in phone.cellules)]
    assert adopted.origin == computer.instance_id and adopted.via == ()  # the group's own, not FÉDÉRÉ


def test_records_created_there_during_the_session_are_offered_again_not_merged_unasked():
    computer, phone = both_write(0, 0, False, False, False, 0)
    pair = Pair(computer, phone, {"c": frozenset(), "p": frozenset()})
    pair.run()
    assert pair.sessions["c"].status == "up_to_date"
    assert pair.previews["c"][0].plans and all(p.status == "unchanged" for p in pair.previews["c"][0].plans)
    phone2, made = actions.create_cellule(pair.states["p"], {"nodeId": NODES[1], "name": "Nouvelle"},
                                          now_ms=NOW + 1, random_bytes=rand("during"))
    pair.states["p"] = phone2
    pair.sessions["p"], out = live.local(pair.sessions["p"], phone2, now_ms=pair.now)
    pair.adopt["c"] = frozenset({made.id})  # she ticks it in the new preview
    pair.handle("p", out)
    pair.run()
    offered = pair.previews["c"][-1]
    assert [(p.label, p.status) for p in offered.plans] == [("Nouvelle", "offered")]
    assert pair.states["c"].cellules[made.id].origin == computer.instance_id
    assert pair.sessions["c"].status == pair.sessions["p"].status == "up_to_date"


def test_a_device_never_syncs_with_itself_nor_with_a_peer_it_cannot_tell_apart():
    computer, phone, _ = computer_and_phone()

    def hello_to(me: State, hello: dict) -> str:
        session, _ = live.start(me, now_ms=NOW)
        session, out = live.receive(session, json.dumps(hello), me, now_ms=NOW)
        refused = [o.error.code for o in out if isinstance(o, live.Refused)]
        return refused[0] if refused else session.status

    base = {"t": "hello", "n": 1, "v": 1, "id": computer.instance_id, "name": "Jardins", "points": [],
            "digest": live.digest(computer)}
    assert hello_to(computer, {**base, "dev": computer.device}) == "live.same_device"  # another tab here
    assert hello_to(phone, {**base, "dev": phone.device}) == "live.same_device"
    assert hello_to(phone, {**base, "dev": computer.device}) == "up_to_date"  # the same data: restored
    assert hello_to(computer, {**base, "dev": phone.device}) == "up_to_date"
    assert hello_to(phone, base) == "live.self"  # no node of its own: cannot be told apart
    assert hello_to(phone, {**base, "dev": computer.instance_id}) == "live.self"
    unexported = new("Jardins", 1)  # the group's first device before any full backup: writes as the group
    assert hello_to(unexported, {**base, "dev": phone.device}) == "live.self"
    assert hello_to(phone, {**base, "id": phone.device, "dev": phone.device}) == "live.self"
    assert hello_to(phone, {**base, "dev": "pas un id"}) == "live.message"


def test_another_device_of_the_group_cannot_send_documents_under_another_node():
    computer, phone, _ = computer_and_phone()
    sc, out_c = live.start(computer, now_ms=NOW)
    sp, out_p = live.start(phone, now_ms=NOW)
    sp, out = live.receive(sp, out_c[0].text, phone, now_ms=NOW)
    assert sp.status == "up_to_date" and sp.other_device
    forged = computer.evolve(device=actions.first_device_id(phone.device))  # another node than its hello's
    doc = json.dumps(document.to_document(forged, now_ms=NOW))
    data = json.dumps({"t": "data", "n": 2, "seq": 1, "part": 0, "parts": 1, "last": True,
                       "digest": "0" * 32}) + "\n" + doc
    sp, out = live.receive(sp, data, phone, now_ms=NOW)
    assert [o.error.code for o in out if isinstance(o, live.Refused)] == ["live.identity"]
    assert not [o for o in out if isinstance(o, live.MergeReady | live.PreviewReady)]


def test_after_one_side_merges_nothing_it_holds_is_sent_back_so_the_other_preview_stays_as_shown():
    """The user of one side reads the preview while the other side merges: the other side sends back
    nothing the first already holds (the acknowledgement of its older copy does not hide that the
    peer's newer copy outdates it), so the preview being read is not drawn again under her finger."""
    computer, phone = both_write(1, 0, False, True, False, 1)
    pair = Pair.__new__(Pair)
    pair.states, pair.adopt = {"c": computer, "p": phone}, {"c": frozenset(created_on(phone, computer)),
                                                            "p": frozenset()}
    pair.wires, pair.hellos, pair.trouble, pair.now = {"c": [], "p": []}, {}, [], NOW
    pair.previews, pair.reports, pair.sessions = {"c": [], "p": []}, {"c": [], "p": []}, {}
    held: list[tuple[str, object]] = []
    real = Pair.handle

    def handle(x, outputs):  # previews wait for the user; everything else as usual
        for out in outputs:
            if isinstance(out, live.PreviewReady):
                held.append((x, out))
            else:
                real(pair, x, [out])
    pair.handle = handle
    for x in "cp":
        pair.sessions[x], out = live.start(pair.states[x], now_ms=NOW)
        pair.handle(x, out)

    def drain():
        while pair.wires["c"] or pair.wires["p"]:
            src = "c" if pair.wires["c"] else "p"
            dst = "p" if src == "c" else "c"
            pair.sessions[dst], out = live.receive(pair.sessions[dst], pair.wires[src].pop(0), pair.states[dst],
                                                   now_ms=NOW)
            pair.handle(dst, out)
    drain()
    assert sorted(x for x, _ in held) == ["c", "p"]
    pair.sessions["c"], out = live.decide(pair.sessions["c"], True, computer, now_ms=NOW, adopt=pair.adopt["c"])
    pair.handle("c", out)
    assert [json.loads(text.partition("\n")[0])["t"] for text in pair.wires["c"]] == ["digest"]
    drain()
    assert sorted(x for x, _ in held) == ["c", "p"]  # no second preview for the phone
    pair.sessions["p"], out = live.decide(pair.sessions["p"], True, pair.states["p"], now_ms=NOW)
    pair.handle("p", out)
    drain()
    assert pair.sessions["c"].status == pair.sessions["p"].status == "apart"
