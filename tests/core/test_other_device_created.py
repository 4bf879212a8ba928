"""Records created on another device of the group (trust.created_there): a backup of a phone restored
from the group's backup carries cellules and ateliers made there; the computer takes them only when
the user ticks them (merge.merge's `adopt`), as the group's own, each stamp as written. Laws: nothing
ticked is what the planting defence gives (nothing of them stored, each counted left aside); ticking
changes no record not ticked, never rewrites who wrote a record, never makes a record of another
origin — or one claiming this very device's node — the group's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, export, rand

from app.core import actions, document, merge, undo
from app.core.clock import Timestamp

STARTS = "2026-02-01T10:00:00Z"


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def computer_and_phone():
    """A group with one cellule on its computer, the phone restored from the computer's backup."""
    computer, jardin = actions.create_cellule(new("Jardins", 1), {"nodeId": NODES[0], "name": "Jardin"},
                                              now_ms=T0, random_bytes=rand("c"))
    phone, _ = merge.restore_backup(new("x", 2), export(computer), now_ms=T0 + 10, device_seed=rand("phone"))
    return computer, phone, jardin.id


def phone_with(cellules: int, ateliers: int, in_held: bool, partner: bool, edit_held: bool):
    """The phone after making `cellules` cellules with `ateliers` ateliers each (and one more atelier
    in the computer's cellule if `in_held`), receiving a partner's cellule (`partner`), editing the
    computer's cellule (`edit_held`)."""
    computer, phone, jardin = computer_and_phone()
    t = T0 + 100
    for i in range(cellules):
        phone, c = actions.create_cellule(phone, {"nodeId": NODES[i % 4], "name": f"Téléphone {i}"}, now_ms=t,
                                          random_bytes=rand(f"p{i}"))
        for j in range(ateliers):
            values = {"celluleId": c.id, "title": f"Atelier {i}.{j}", "startsAt": STARTS}
            phone, _ = actions.create_atelier(phone, values, now_ms=t + 1 + j, random_bytes=rand(f"a{i}{j}"))
        t += 10
    if in_held:
        phone, _ = actions.create_atelier(phone, {"celluleId": jardin, "title": "Au jardin", "startsAt": STARTS},
                                          now_ms=t, random_bytes=rand("held"))
    if partner:
        bob, _ = actions.create_cellule(new("Bob", 9), {"nodeId": NODES[3], "name": "Vélo"}, now_ms=T0 + 5,
                                        random_bytes=rand("bob"))
        phone, _ = merge.merge(phone, export(bob), now_ms=t + 1)
    if edit_held:
        phone, _ = actions.edit(phone, "cellule", jardin, {"description": "vu au téléphone"}, now_ms=t + 2)
    return computer, phone


def records(state):
    return {**{("cellule", k): v for k, v in state.cellules.items()},
            **{("atelier", k): v for k, v in state.ateliers.items()}}


def without_created_there(computer, incoming):
    """The file with every record created on the other device taken out: what the planting defence
    lets in (it refused every record of that file the computer does not hold)."""
    ids = merge.created_there_ids(computer, incoming)
    return document.Incoming(**{**vars(incoming),
                                "cellules": {k: v for k, v in incoming.cellules.items() if k not in ids},
                                "ateliers": {k: v for k, v in incoming.ateliers.items() if k not in ids}})


scenarios = st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans(), st.booleans(), st.booleans())


@settings(max_examples=40, deadline=None)
@given(scenarios)
def test_law_nothing_ticked_stores_nothing_of_them_and_counts_them_left_aside(scenario):
    computer, phone = phone_with(*scenario)
    incoming = export(phone)
    offered = merge.created_there_ids(computer, incoming)
    merged, report = merge.merge(computer, incoming, now_ms=NOW)
    defence, defence_report = merge.merge(computer, without_created_there(computer, incoming), now_ms=NOW)
    assert records(merged) == records(defence) and merged.marks == defence.marks
    assert merged.sources == computer.sources and merged.devices == computer.devices
    assert set(records(merged)) == set(records(computer))
    assert set(report.offered) == offered == set(report.skipped) and report.adopted == ()
    assert set(report.refused) == set(defence_report.refused)


@settings(max_examples=60, deadline=None)
@given(scenarios, st.data())
def test_law_ticking_adds_the_ticked_as_the_groups_own_and_changes_nothing_else(scenario, data):
    computer, phone = phone_with(*scenario)
    incoming = export(phone)
    every = sorted({*incoming.cellules, *incoming.ateliers, "inconnu"})
    ticked = data.draw(st.sets(st.sampled_from(every)))
    offered = merge.created_there_ids(computer, incoming)
    plain, _ = merge.merge(computer, incoming, now_ms=NOW)
    merged, report = merge.merge(computer, incoming, now_ms=NOW, adopt=ticked)
    before, after, base = records(computer), records(merged), records(plain)
    came = {key for key in after if key not in base}
    assert {rid for _k, rid in came} == set(report.adopted) <= ticked & offered
    for key, record in after.items():
        if key not in came:
            assert record == base[key]  # not ticked: as without ticking
            continue
        sent = (incoming.cellules if key[0] == "cellule" else incoming.ateliers)[key[1]]
        assert key not in before and sent.origin == computer.instance_id  # only the group's own claims
        assert record.origin == computer.instance_id and record.via == () and not merged.is_federated(record)
        assert record.clock == sent.clock and record.history == sent.history  # who wrote it: as written
        assert all(s[-8:] == phone.device for s in record.clock.values())
        if key[0] == "atelier":
            assert record.cellule_id in merged.cellules
    assert set(report.skipped) == offered - set(report.adopted)
    assert merged.devices == computer.devices and merged.sources == computer.sources
    again, second = merge.merge(merged, incoming, now_ms=NOW, adopt=ticked)
    assert records(again) == after and second.added == ()  # a second tap adds nothing


def test_preview_offers_them_apart_and_undo_takes_them_back():
    computer, phone = phone_with(1, 1, True, True, False)
    incoming = export(phone)
    plans = merge.preview(computer, incoming, now_ms=NOW)
    offered = sorted((p.kind, p.label, p.reason) for p in plans if p.status == "offered")
    assert offered == [("atelier", "Atelier 0.0", "device.created"), ("atelier", "Au jardin", "device.created"),
                       ("cellule", "Téléphone 0", "device.created")]
    assert sorted((p.label, p.reason) for p in plans if p.status == "refused") == [("Vélo", "identity.other_device")]
    assert merge.preview_counts(plans)["offered"] == 3
    made = next(p.id for p in plans if p.label == "Téléphone 0")
    ticked = merge.preview(computer, incoming, now_ms=NOW, adopt={made})
    assert [(p.label, p.status) for p in ticked if p.id == made] == [("Téléphone 0", "new")]
    merged, report = merge.merge(computer, incoming, now_ms=NOW, adopt={made})
    assert report.summary() == ("Fusion depuis votre autre appareil\u00a0: 1 ajouté, 0 mis à jour, 1 inchangé, "
                                "0 conflit résolu, 0 supprimé, 2 laissés de côté, 1 refusé. 1 élément créé sur "
                                "votre autre appareil ajouté comme le vôtre. 2 éléments créés sur votre autre "
                                "appareil laissés de côté\u00a0: pour les ajouter, importez de nouveau ce fichier et "
                                "cochez-les.")
    assert report.summary("en").endswith("1 item created on your other device added as yours. 2 items created on "
                                         "your other device left out: to add them, import this file again and "
                                         "tick them.")
    assert report.to_json()["adopted"] == [made]
    u = undo.make_undo(computer, merged, action="merge", other_device=True)
    back, _ = undo.apply_undo(merged, u, now_ms=NOW + 1)
    assert made not in back.cellules and set(back.cellules) == set(computer.cellules)


def test_replace_too_takes_only_the_ticked_ones():
    computer, phone = phone_with(2, 0, False, False, False)
    incoming = export(phone)
    made = sorted(merge.created_there_ids(computer, incoming))
    plain, report = merge.replace(computer, incoming, now_ms=NOW)
    assert set(plain.cellules) == set(computer.cellules) and set(report.skipped) == set(made)
    replaced, report = merge.replace(computer, incoming, now_ms=NOW, adopt={made[0]})
    assert set(replaced.cellules) == set(computer.cellules) | {made[0]}
    assert (report.adopted, report.skipped, report.added) == ((made[0],), (made[1],), (made[0],))
    assert replaced.cellules[made[0]].origin == computer.instance_id and replaced.cellules[made[0]].via == ()


def stamp(ms, node):
    return str(Timestamp(millis=T0 + ms, counter=0, node=node))


def test_a_record_claiming_this_devices_node_or_another_origin_stays_refused_even_ticked():
    """Forged: a record « created » with this very device's node, one with another group's origin,
    one mixing the other device's node with this device's: none is offered, ticking takes none."""
    computer, phone, _jardin = computer_and_phone()
    doc = document.to_document(phone, now_ms=NOW)
    device = phone.device
    base = {k: v for k, v in doc["cellules"][0].items() if k not in ("id", "sync", "description")}
    doc["cellules"] += [
        {**base, "id": "mine", "name": "Mon nœud", "sync": {"clock": stamp(100, computer.device)}},
        {**base, "id": "foreign", "name": "Autre groupe", "origin": "Cbobbob1", "sync": {"clock": stamp(100, device)}},
        {**base, "id": "mixed", "name": "Mélangé", "description": "x",
         "sync": {"clock": {"*": stamp(100, device), "description": stamp(101, computer.device)}}},
        {**base, "id": "fine", "name": "Créée là-bas", "sync": {"clock": stamp(100, device)}},
    ]
    incoming = document.read_document(document.parse_text(document.dumps(doc)), held=computer)
    assert merge.created_there_ids(computer, incoming) == {"fine"}
    merged, report = merge.merge(computer, incoming, now_ms=NOW, adopt={"mine", "foreign", "mixed", "fine"})
    assert set(merged.cellules) - set(computer.cellules) == {"fine"} and report.adopted == ("fine",)
    assert {r.id: r.code for r in report.refusals} == {"mine": "identity.other_device",
                                                       "foreign": "identity.other_device",
                                                       "mixed": "identity.other_device"}
