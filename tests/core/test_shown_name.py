"""A group's name as the interface shows it: the app's default name reads in the interface's language,
whichever language gave it; a name someone typed is never translated."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import T0, export, rand, states

from app.core import actions, merge, names

DEFAULTS = {"fr": "Mon association", "en": "My association"}


@given(st.text(max_size=30))
def test_a_typed_name_is_shown_as_typed(name):
    if any(name.startswith(d) for d in DEFAULTS.values()):
        name = "« " + name
    assert names.shown_name("fr", name) == names.shown_name("en", name) == name


@given(st.sampled_from(sorted(DEFAULTS)), st.sampled_from(sorted(DEFAULTS)), st.one_of(st.none(), st.integers(2, 999)))
def test_the_default_name_reads_in_the_interfaces_language_with_its_number(given_in, shown_in, number):
    suffix = f" ({number})" if number else ""
    assert names.shown_name(shown_in, DEFAULTS[given_in] + suffix) == DEFAULTS[shown_in] + suffix


def test_a_near_default_name_is_a_typed_name():
    for typed in ("Mon association du quartier", "Mon association (deux)", "Mon association(2)", "mon association"):
        assert names.shown_name("en", typed) == typed


@given(states(name="Mon association", max_ops=6))
def test_a_card_by_a_group_with_the_default_name_reads_in_english(peer):
    assume(peer.live_cellules())
    me = actions.new_state(name="Alice", random_bytes=rand("me"))
    merged, _ = merge.merge(me, export(peer), now_ms=T0 + 10**8)
    for c in merged.live_cellules():
        assert merge.author_label(merged, c, "en") == "by My association"
        assert merge.author_label(merged, c, "fr") == "par Mon association"


def test_the_device_that_made_the_group_wrote_with_the_groups_id_before_its_first_backup():
    """The history names the writes of the device that made the group « cet appareil » before and after its
    first full export (which gives it a node of its own); on a phone restored from that backup, they are
    the other device's."""
    laptop = actions.new_state(name="Alice", random_bytes=rand("laptop"))
    laptop, made = actions.create_cellule(laptop, {"nodeId": "871fa4c5bffffff", "name": "Jardin"}, now_ms=T0,
                                          random_bytes=rand("c"))
    early = made.stamp("name")[-8:]
    assert early == laptop.instance_id and names.this_device_wrote(laptop, early)
    laptop = actions.stamp_full_export(laptop, now_ms=T0 + 1)
    assert laptop.device != laptop.instance_id
    assert names.this_device_wrote(laptop, early) and names.this_device_wrote(laptop, laptop.device)
    phone, _ = merge.restore_backup(actions.new_state(name="x", random_bytes=rand("phone")), export(laptop),
                                    now_ms=T0 + 2, device_seed=rand("p"))
    assert not names.this_device_wrote(phone, early) and not names.this_device_wrote(phone, laptop.device)
    assert names.this_device_wrote(phone, phone.device)
