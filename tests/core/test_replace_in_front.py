"""Where « Remplacer » stands (app.core.import_preview.replace_in_front): beside « Fusionner » only when it
takes nothing of this group's own; behind « Autres choix » when a partner's backup would wipe one's own
cellules — with, said above the button, how many of one's own this device would lose (own_removed)."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import NODES, NOW, T0, export, rand, states

from app.core import actions, import_preview, merge


def group(name, cellules, seed):
    state = actions.new_state(name=name, random_bytes=rand(seed))
    made = []
    for i, label in enumerate(cellules):
        state, c = actions.create_cellule(state, {"nodeId": NODES[i % len(NODES)], "name": label}, now_ms=T0 + i,
                                          random_bytes=rand(f"{seed}-{i}"))
        made.append(c)
    return state, made


def effects(state, incoming):
    return import_preview.replace_effects(merge.preview(state, incoming, now_ms=NOW),
                                          merge.preview(state, incoming, mode="replace", now_ms=NOW))


def test_a_partners_backup_onto_ones_own_cellules_puts_replace_behind_other_choices():
    me, (mine, _) = group("Moi", ["La mienne", "L'autre"], "me")
    me, _ = actions.create_atelier(me, {"celluleId": mine.id, "title": "Semis", "startsAt": "2026-03-07T18:00:00Z"},
                                   now_ms=T0 + 5, random_bytes=rand("semis"))
    partner, _ = group("Partenaire", ["Jardin"], "partner")
    incoming = export(partner)
    assert import_preview.can_replace(me, incoming) and not import_preview.replace_in_front(me, incoming)
    assert import_preview.own_records(me) == (2, 1)
    assert import_preview.own_removed(me, effects(me, incoming)) == (2, 1)


def test_a_device_holding_only_what_others_gave_keeps_replace_in_front():
    relay = actions.new_state(name="Relais", random_bytes=rand("relay"))
    carla, _ = group("Carla", ["Potager"], "carla")
    relay, _ = merge.merge(relay, export(carla), now_ms=NOW)
    partner, _ = group("Partenaire", ["Jardin"], "partner")
    incoming = export(partner)
    assert import_preview.own_records(relay) == (0, 0)
    assert import_preview.can_replace(relay, incoming) and import_preview.replace_in_front(relay, incoming)
    assert import_preview.own_removed(relay, effects(relay, incoming)) == (0, 0)  # « Potager » is Carla's


def test_an_empty_device_is_offered_restore_and_never_replace():
    empty = actions.new_state(name="Mon association", random_bytes=rand("empty"))
    partner, _ = group("Partenaire", ["Jardin"], "partner")
    incoming = export(partner)
    assert import_preview.can_restore(empty, incoming)
    assert not import_preview.can_replace(empty, incoming) and not import_preview.replace_in_front(empty, incoming)


def test_ones_own_cellule_deleted_here_no_longer_holds_replace_back():
    me, (mine,) = group("Moi", ["La mienne"], "me")
    carla, _ = group("Carla", ["Potager"], "carla")
    me, _ = merge.merge(me, export(carla), now_ms=NOW)
    me = actions.delete(me, "cellule", mine.id, now_ms=NOW + 1)
    incoming = export(group("Partenaire", ["Jardin"], "partner")[0])
    assert import_preview.own_records(me) == (0, 0) and import_preview.replace_in_front(me, incoming)


@settings(max_examples=40, deadline=None)
@given(states(name="Moi"), states(name="Partenaire"))
def test_replace_is_in_front_exactly_when_it_removes_nothing_of_ones_own(me, partner):
    """For a partner's full backup onto my device: « Remplacer » stands in front iff it is offered and
    I hold no live record of my own — and then it takes none of mine away."""
    incoming = export(partner)
    front = import_preview.replace_in_front(me, incoming)
    assert front == (import_preview.can_replace(me, incoming) and import_preview.own_records(me) == (0, 0))
    if import_preview.can_replace(me, incoming):
        lost = import_preview.own_removed(me, effects(me, incoming))
        assert lost == import_preview.own_records(me)  # the partner's file has none of my records
        assert front == (lost == (0, 0))


def test_another_devices_backup_of_this_group_puts_replace_behind_other_choices():
    """Two devices restored from one backup: the laptop's backup onto the phone, which made a cellule of
    its own since, is not the phone's own copy — « Remplacer » waits behind « Autres choix »."""
    alice, _ = group("Alice", ["Jardin"], "alice")
    backup = export(alice)
    laptop, _ = merge.restore_backup(actions.new_state(name="x", random_bytes=rand("x")), backup, now_ms=T0 + 10,
                                     device_seed=rand("laptop"))
    phone, _ = merge.restore_backup(actions.new_state(name="y", random_bytes=rand("y")), backup, now_ms=T0 + 10,
                                    device_seed=rand("phone"))
    phone, _ = actions.create_cellule(phone, {"nodeId": NODES[1], "name": "Faite sur le téléphone"},
                                      now_ms=T0 + 20, random_bytes=rand("made"))
    incoming = export(laptop)
    assert merge.from_other_device(phone, incoming)
    assert import_preview.can_replace(phone, incoming) and not import_preview.replace_in_front(phone, incoming)
    assert import_preview.own_removed(phone, effects(phone, incoming)) == (1, 0)  # the phone's own cellule
    assert import_preview.replace_in_front(laptop, export(laptop))  # the laptop's own copy: in front
