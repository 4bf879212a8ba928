"""Restoring a backup as oneself (merge.restore_backup, merge.restore_plan): the clock policy of
every import holds (this device's clock follows the backup at most five minutes ahead), nothing
of the backup is lost (records stamped implausibly far ahead are kept, dated at the restore, and
listed), and a backup of another group is named before the device becomes it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, T0, doc_of, rand, read, states

from app.core import actions, document, merge
from app.core.clock import MAX_AHEAD_MS, OBSERVE_AHEAD_MS, Timestamp, format_ms

HOUR = 3600 * 1000


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def backup_written_ahead(ahead_ms, name="Alice", seed=1):
    """A group whose device clock ran `ahead_ms` fast: a cellule with an atelier, a cellule edited
    twice (history), all stamped ahead; its full backup, exported by that device."""
    at = T0 + ahead_ms
    alice = new(name, seed)
    alice, jardin = actions.create_cellule(alice, {"nodeId": NODES[0], "name": "Jardin", "description": "un"},
                                           now_ms=at, random_bytes=rand(f"{seed}-c"))
    alice, _ = actions.edit(alice, "cellule", jardin.id, {"description": "deux"}, now_ms=at + 1000)
    alice, atelier = actions.create_atelier(alice, {"celluleId": jardin.id, "title": "Semis",
                                                    "startsAt": "2026-03-01T18:00:00Z"},
                                            now_ms=at + 2000, random_bytes=rand(f"{seed}-a"))
    return alice, jardin, atelier, read(doc_of(alice, now=at + 3000))


def all_stamps(state):
    for r in (*state.cellules.values(), *state.ateliers.values()):
        yield from r.clock.values()
        yield from (h.clock for h in r.history)


def test_a_backup_stamped_23_h_50_ahead_leaves_my_clock_five_minutes_ahead_at_most():
    ahead = 23 * HOUR + 50 * 60 * 1000
    alice, jardin, atelier, backup = backup_written_ahead(ahead)
    phone, report = merge.restore_backup(new("x", 2), backup, now_ms=T0, device_seed=rand("p"))
    assert phone.clock == f"{format_ms(T0 + OBSERVE_AHEAD_MS)}-0000-{phone.device}"
    assert report.refused == () and report.redated == ()
    assert phone.cellules == alice.cellules and phone.ateliers == alice.ateliers  # stamps as written: peers agree
    # an edit of another record is stamped by this device's clock, not 23 h 50 ahead
    phone, other = actions.create_cellule(phone, {"nodeId": NODES[1], "name": "Verger"}, now_ms=T0 + 1,
                                          random_bytes=rand("v"))
    assert other.stamp("name") == f"{format_ms(T0 + OBSERVE_AHEAD_MS)}-0001-{phone.device}"
    # an edit of a field stamped ahead still sorts after it (it must win over the value it replaces)
    phone, edited = actions.edit(phone, "cellule", jardin.id, {"description": "trois"}, now_ms=T0 + 2)
    assert edited.stamp("description") > jardin.stamp("description")


def test_my_records_stamped_two_days_ahead_are_kept_dated_at_the_restore_and_listed():
    alice, jardin, atelier, backup = backup_written_ahead(48 * HOUR)
    phone, report = merge.restore_backup(new("x", 2), backup, now_ms=T0, device_seed=rand("p"))
    assert sorted(phone.cellules) == [jardin.id] and sorted(phone.ateliers) == [atelier.id]
    assert report.refused == () and report.refusals == ()
    assert report.redated == tuple(sorted([jardin.id, atelier.id])) and report.added == report.redated
    kept = phone.cellules[jardin.id]
    assert (kept.name, kept.description, kept.origin, kept.created_at) == \
        ("Jardin", "deux", alice.instance_id, jardin.created_at)
    assert not phone.is_federated(kept)
    # every stamp now at the restore's instant, same writer, same order; the overwritten value kept
    assert {Timestamp.parse(s).millis for s in all_stamps(phone)} == {T0}
    assert {s[-8:] for s in all_stamps(phone)} == {alice.instance_id}
    assert [(h.field, h.value) for h in kept.history] == [("description", "un")]
    assert kept.history[0].clock < kept.stamp("description")
    assert phone.clock == f"{format_ms(T0)}-{max(Timestamp.parse(s).counter for s in all_stamps(phone)):04x}-" \
                          f"{phone.device}"
    assert report.summary("fr") == ("Sauvegarde de «\xa0Alice\xa0» restaurée\xa0: 1 cellule et 1 atelier, "
                                    "cet appareil est maintenant «\xa0Alice\xa0»\xa0; 2 éléments datés de plus de 24 h "
                                    "dans le futur gardés, à la date de la restauration.")
    assert report.summary("en") == ("Backup of “Alice” restored: 1 cellule and 1 workshop, this device is now “Alice”; "
                                    "2 items dated more than 24 h in the future kept, at the date of the restore.")
    assert report.to_json()["redated"] == sorted([jardin.id, atelier.id])
    # the restored state reopens as it is, and a peer takes every record (no stamp is implausible)
    assert document.loads_state(document.dumps_state(phone, now_ms=T0)) == phone
    carla, taken = merge.merge(new("Carla", 3), read(doc_of(phone, now=T0)), now_ms=T0)
    assert taken.refused == () and sorted(taken.added) == sorted([jardin.id, atelier.id])


@settings(max_examples=40, deadline=None)
@given(states(name="Alice", max_ops=8), st.integers(0, 400 * 24 * HOUR), st.integers(0, 2 * HOUR))
def test_law_after_a_restore_my_clock_is_at_most_five_minutes_ahead_and_every_record_is_there(
        alice, ahead, late):
    """Law: whatever its stamps, a backup restored at `now` leaves this device's clock at most
    OBSERVE_AHEAD_MS ahead of `now`; every record of the backup is there with its values, author
    and creation date; no stamp is more than MAX_AHEAD_MS ahead; the records that were are exactly
    those the report lists as redated."""
    doc = doc_of(alice)
    now = max([T0, *(Timestamp.parse(s).millis for s in all_stamps(alice))]) + late - ahead
    backup = read(doc)
    restored, report = merge.restore_backup(new("x", 9), backup, now_ms=now, device_seed=rand("d"))
    assert restored.clock == "" or Timestamp.parse(restored.clock).millis <= now + OBSERVE_AHEAD_MS
    assert report.refused == () and report.added == tuple(sorted([*alice.cellules, *alice.ateliers]))
    for kind, table in (("cellule", alice.cellules), ("atelier", alice.ateliers)):
        for rid, record in table.items():
            kept = (restored.cellules if kind == "cellule" else restored.ateliers)[rid]
            assert kept.field_values(kept) == record.field_values(record)
            assert (kept.origin, kept.created_at, kept.deleted) == (record.origin, record.created_at, record.deleted)
            assert {k: s[-8:] for k, s in kept.clock.items()} == {k: s[-8:] for k, s in record.clock.items()}
            assert [(h.field, h.value) for h in kept.history] == [(h.field, h.value) for h in record.history]
    far = {r.id for r in (*alice.cellules.values(), *alice.ateliers.values())
           if any(Timestamp.parse(s).millis > now + MAX_AHEAD_MS for s in r.clock.values())}
    assert set(report.redated) == far
    assert all(Timestamp.parse(s).millis <= now + MAX_AHEAD_MS for s in all_stamps(restored))
    assert document.loads_state(document.dumps_state(restored, now_ms=now)) == restored


# --- another group's backup is named before the device becomes it -------------------------------------

def test_a_backup_of_another_group_is_named_before_restoring():
    _alice, _j, _a, backup = backup_written_ahead(0)
    fresh = new("Mon association", 5)
    plan = merge.restore_plan(fresh, backup, now_ms=T0 + 10**6)
    assert (plan.other_group, plan.question("fr"), plan.group_name) == ("", "", "Alice")
    # the device held « Les Jardins » before the browser erased it (its marker says so)
    plan = merge.restore_plan(fresh, backup, now_ms=T0 + 10**6, was=("Cjardins", "Les Jardins"))
    assert plan.other_group == "Alice" and (plan.current_id, plan.current_name) == ("Cjardins", "Les Jardins")
    assert plan.question("fr") == ("Cette sauvegarde est celle d’un autre groupe\xa0: «\xa0Alice\xa0». Cet "
                                   "appareil, aujourd’hui «\xa0Les Jardins\xa0», deviendrait «\xa0Alice\xa0». "
                                   "Restaurer quand même\xa0?")
    assert plan.question("en") == ("This backup is of another group: “Alice”. This device, now “Les Jardins”, "
                                   "would become “Alice”. Restore anyway?")
    # its own group's backup: nothing to ask
    same = merge.restore_plan(fresh, backup, now_ms=T0 + 10**6, was=(backup.instance_id, "Alice"))
    assert same.other_group == "" and same.question("fr") == ""
    # an instance with data of its own under another identity: asked too
    busy, _ = actions.create_cellule(fresh, {"nodeId": NODES[0], "name": "Potager"}, now_ms=T0,
                                     random_bytes=rand("b"))
    plan = merge.restore_plan(busy, backup, now_ms=T0 + 10**6)
    assert plan.other_group == "Alice" and plan.current_name == "Mon association"


def test_the_plan_lists_the_records_the_restore_will_redate():
    _alice, jardin, atelier, backup = backup_written_ahead(48 * HOUR)
    plan = merge.restore_plan(new("x", 2), backup, now_ms=T0)
    restored, report = merge.restore_backup(new("x", 2), backup, now_ms=T0, device_seed=rand("p"))
    assert plan.redated == report.redated == tuple(sorted([jardin.id, atelier.id]))
