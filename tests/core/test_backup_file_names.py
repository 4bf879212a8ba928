"""Backup file names a volunteer tells apart: two backups made in the same minute get « -2 », « -3 »;
a backup made on a device restored from the group's backup names that device; the device that made the
group keeps the plain name. French and English forms (app.core.names.export_file_name)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import T0, rand, read, text

from app.core import actions, document, merge, names
from app.core.formats import safe_filename

ELEVEN = 1_769_680_800_000  # 2026-01-29T11:00:00+01:00 (Brussels)


def name_of(state, lang, kind, now, given=()):
    return names.export_file_name(state, lang, kind, now, given, safe_name=safe_filename(state.instance_name))


def group(name: str = "Asso Nord"):
    return actions.new_state(name=name, random_bytes=rand(f"group-{name}"))


def restored(state, seed: str):
    """A new device of `state`'s group, restored from its full backup."""
    backup = read(document.to_document(state, kind="full", now_ms=T0))
    empty = actions.new_state(name="Mon association", random_bytes=rand(f"empty-{seed}"))
    phone, _ = merge.restore_backup(empty, backup, now_ms=T0, device_seed=rand(seed))
    return phone


def test_names_on_the_device_that_made_the_group_and_on_a_restored_one():
    office = group()
    phone = restored(office, "phone")
    assert phone.instance_id == office.instance_id and phone.device != office.device
    assert name_of(office, "fr", "full", ELEVEN) == "Asso-Nord-sauvegarde-2026-01-29-11h00.json"
    assert name_of(office, "en", "full", ELEVEN) == "Asso-Nord-backup-2026-01-29-11h00.json"
    assert name_of(phone, "fr", "full", ELEVEN) == \
        f"Asso-Nord-sauvegarde-2026-01-29-11h00-appareil-{phone.device}.json"
    assert name_of(phone, "en", "full", ELEVEN) == \
        f"Asso-Nord-backup-2026-01-29-11h00-device-{phone.device}.json"
    # the other exports are not backups: one per day, named as before on every device
    assert name_of(phone, "fr", "cellules", ELEVEN) == "Asso-Nord-cellules-2026-01-29.json"
    assert name_of(phone, "fr", "sql", ELEVEN) == "Asso-Nord-supabase-2026-01-29.sql"
    assert name_of(group("Mon"), "fr", "full", ELEVEN) == "Mon-sauvegarde-2026-01-29-11h00.json"
    assert name_of(replace(office, instance_name="!!!"), "en", "full", ELEVEN) == "group-backup-2026-01-29-11h00.json"


def test_a_second_and_third_backup_in_the_same_minute_are_numbered_after_the_highest_given():
    office = group()
    first = name_of(office, "fr", "full", ELEVEN)
    second = name_of(office, "fr", "full", ELEVEN + 20_000, [first])
    third = name_of(office, "fr", "full", ELEVEN + 40_000, [first, second])
    assert (second, third) == ("Asso-Nord-sauvegarde-2026-01-29-11h00-2.json",
                               "Asso-Nord-sauvegarde-2026-01-29-11h00-3.json")
    # only the newest kept: still after it, never back to the plain name
    assert name_of(office, "fr", "full", ELEVEN, [third]) == \
        "Asso-Nord-sauvegarde-2026-01-29-11h00-4.json"
    # the next minute, a name of its own again; names of other minutes or groups count for nothing
    assert name_of(office, "fr", "full", ELEVEN + 60_000, [first, second, third]) == \
        "Asso-Nord-sauvegarde-2026-01-29-11h01.json"
    assert name_of(office, "fr", "full", ELEVEN, ["Asso-Sud-sauvegarde-2026-01-29-11h00.json"]) == first


DEVICES = [group(), *(restored(group(), f"device-{i}") for i in (1, 2))]  # one group's three devices


@settings(max_examples=60, deadline=None)
@given(devices=st.integers(1, 3), exports=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       minute=st.integers(0, 525_600), lang=st.sampled_from(["fr", "en"]),
       name=text)
def test_backups_of_one_group_in_one_minute_never_share_a_name(devices, exports, minute, lang, name):
    """Any number of backups made in one minute, on the device that made the group and on devices
    restored from it, each device remembering the names it gave: every name is different."""
    phones = [replace(device, instance_name=name) for device in DEVICES[:devices]]
    now = ELEVEN + minute * 60_000
    seen: list[str] = []
    for device, count in zip(phones, exports * devices, strict=False):
        given_here: list[str] = []
        for second in range(count):
            given_here.append(name_of(device, lang, "full", now + second * 1000, given_here))
        seen += given_here
    assert len(seen) == len(set(seen))
