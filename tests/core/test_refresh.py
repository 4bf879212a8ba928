"""« Actualiser »: a source's address (kept through documents and imports), the refresh preview of
several sources, one merge for all; groups of one name told apart (app.core.names)."""

from __future__ import annotations

import json

import pytest
from strategies import T0, rand

from app.core import actions, document, merge, names, refresh
from app.core.errors import CellulesError, ValidationError
from app.core.model import Source
from app.core.undo import apply_undo, make_undo

NODE = "871fa4c5bffffff"
URL_A = "https://alice.example.org/cellules.json"
URL_B = "https://bob.example.org/export.json"


def group(name: str, seed: str, *cellules: str):
    state = actions.new_state(name=name, random_bytes=rand(seed))
    for i, title in enumerate(cellules):
        state, _ = actions.create_cellule(state, {"name": title, "nodeId": NODE}, now_ms=T0 + i,
                                          random_bytes=rand(f"{seed}-{i}"))
    return state


def add(state, title: str, seed: str, now: int):
    return actions.create_cellule(state, {"name": title, "nodeId": NODE}, now_ms=now, random_bytes=rand(seed))[0]


def text(state, now: int = T0 + 1000) -> str:
    return document.dumps(document.to_document(state, kind="full", now_ms=now))


def loaded(state, peer, url: str | None, now: int):
    """`state` after importing `peer`'s export, loaded from `url` (None: a file)."""
    new, report = merge.import_text(state, text(peer), now_ms=now)
    return refresh.with_address(new, report.source_id, url) if url else new


@pytest.fixture
def world():
    alice, bob, dora = group("Alice", "a", "Jardin"), group("Bob", "b", "Vélo"), group("Dora", "d", "Chorale")
    carla = group("Carla", "c")
    carla = loaded(carla, alice, URL_A, T0 + 2000)
    carla = loaded(carla, bob, URL_B, T0 + 3000)
    carla = loaded(carla, dora, None, T0 + 4000)
    return alice, bob, dora, carla


def titles(state) -> list[str]:
    return sorted(c.name for c in state.live_cellules())


def test_the_address_is_kept_by_documents_and_by_the_next_import_and_old_documents_stay_valid(world):
    alice, bob, dora, carla = world
    assert {s.name: s.url for s in carla.sources.values()} == {"Alice": URL_A, "Bob": URL_B, "Dora": ""}
    again = document.loads_state(document.dumps_state(carla, now_ms=T0 + 5000))
    assert {s.name: s.url for s in again.sources.values()} == {"Alice": URL_A, "Bob": URL_B, "Dora": ""}
    stored = json.loads(text(carla))["federatedSources"]
    assert sorted(s.get("url", "") for s in stored) == ["", URL_A, URL_B]
    after, _ = merge.import_text(carla, text(add(alice, "Potager", "a9", T0 + 6000), T0 + 6000), now_ms=T0 + 7000)
    assert after.sources[alice.instance_id].url == URL_A  # a file import of that peer keeps its address
    assert refresh.with_address(carla, alice.instance_id, URL_A) is carla
    assert refresh.with_address(carla, "Czzzzzzz", URL_A) is carla  # no such source: nothing to remember
    moved = refresh.with_address(carla, alice.instance_id, "https://alice.example.net/new.json")
    assert moved.sources[alice.instance_id].url == "https://alice.example.net/new.json"
    old = json.loads(text(carla))
    for s in old["federatedSources"]:
        s.pop("url", None)
    assert all(s.url == "" for s in document.read_document(old).sources)


@pytest.mark.parametrize("bad", ["ftp://alice.example.org/x.json", "https://alice example.org", "https://a\u0085b",
                                 "https://a\u2028b", "alice.example.org", "https://" + "a" * 1993, 42])
def test_an_address_that_is_not_one_http_line_is_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as caught:
        Source(id="Cbbbbbbb", name="Alice", imported_at="2026-01-28T10:00:00Z", extra={"url": bad})
    assert caught.value.params["label"] == names_label_word()


def names_label_word():
    from app.core.i18n import words
    return words("label.source_url")


def test_refreshable_sources_are_those_with_an_address_and_one_asked_must_have_one(world):
    alice, bob, dora, carla = world
    assert [s.name for s in refresh.refreshable(carla)] == ["Alice", "Bob"]
    assert [s.name for s in refresh.refreshable(carla, bob.instance_id)] == ["Bob"]
    with pytest.raises(CellulesError) as caught:
        refresh.refreshable(carla, dora.instance_id)
    assert (caught.value.code, caught.value.params) == ("refresh.no_url", {"name": "Dora"})
    with pytest.raises(CellulesError) as caught:
        refresh.refreshable(carla, "Czzzzzzz")
    assert caught.value.code == "source.unknown"


def test_one_preview_for_several_sources_with_their_errors_then_one_merge(world):
    alice, bob, dora, carla = world
    alice2 = add(alice, "Potager", "a2", T0 + 10_000)
    bob2 = add(bob, "Repair café", "b2", T0 + 10_000)
    offline = CellulesError("url.offline", url=URL_B, detail="connexion refusée")
    fetched = [refresh.Fetched(source_id=alice.instance_id, url=URL_A, body=text(alice2, T0 + 11_000)),
               refresh.Fetched(source_id=bob.instance_id, url=URL_B, error=offline)]
    plans = refresh.plan(carla, fetched, now_ms=T0 + 12_000)
    assert [(r.label, r.changes, r.error) for r in plans] == [("Alice", 1, None), ("Bob", 0, offline)]
    assert [(p.status, p.label) for p in plans[0].plans if p.status != "unchanged"] == [("new", "Potager")]
    assert refresh.errors(plans) == [plans[1]]
    new, report = refresh.apply(carla, plans, now_ms=T0 + 13_000)
    assert titles(new) == ["Chorale", "Jardin", "Potager", "Vélo"]
    assert (report.source_name, len(report.added)) == ("Alice", 1)
    assert new.sources[alice.instance_id].url == URL_A
    # both read: one report naming both, one undo for the whole
    fetched[1] = refresh.Fetched(source_id=bob.instance_id, url=URL_B, body=text(bob2, T0 + 11_000))
    plans = refresh.plan(carla, fetched, now_ms=T0 + 12_000)
    new, report = refresh.apply(carla, plans, now_ms=T0 + 13_000)
    assert titles(new) == ["Chorale", "Jardin", "Potager", "Repair café", "Vélo"]
    assert (report.source_name, len(report.added), len(report.unchanged)) == ("Alice, Bob", 2, 2)
    undo = make_undo(carla, new, action=report.action, label=report.source_name, at=report.at)
    back, _ = apply_undo(new, undo, now_ms=T0 + 14_000)
    assert titles(back) == titles(carla)


def test_unticked_items_are_left_out_per_source(world):
    alice, bob, dora, carla = world
    alice2 = add(alice, "Potager", "a2", T0 + 10_000)
    fetched = [refresh.Fetched(source_id=alice.instance_id, url=URL_A, body=text(alice2, T0 + 11_000))]
    plans = refresh.plan(carla, fetched, now_ms=T0 + 12_000)
    new_id = next(p.id for p in plans[0].plans if p.status == "new")
    new, report = refresh.apply(carla, plans, now_ms=T0 + 13_000, skip={alice.instance_id: {new_id}})
    assert titles(new) == titles(carla) and report.skipped == (new_id,)


def test_an_address_that_now_gives_another_groups_file_is_refused(world):
    alice, bob, dora, carla = world
    fetched = [refresh.Fetched(source_id=alice.instance_id, url=URL_A, body=text(dora))]
    [r] = refresh.plan(carla, fetched, now_ms=T0 + 12_000)
    assert (r.error.code, r.error.params) == ("refresh.other_group", {
        "name": "Alice", "url": URL_A, "other": "Dora", "id": dora.instance_id})
    assert refresh.apply(carla, [r], now_ms=T0 + 13_000)[0].cellules == carla.cellules
    [r] = refresh.plan(carla, [refresh.Fetched(source_id=alice.instance_id, url=URL_A, body=b"pas du json")],
                       now_ms=T0 + 12_000)
    assert r.error.code == "payload.prefix"


def test_a_record_two_sources_carry_is_counted_once_where_it_changes(world):
    alice, bob, dora, carla = world
    alice2 = add(alice, "Potager", "a2", T0 + 10_000)
    bob2, _ = merge.import_text(bob, text(alice2, T0 + 11_000), now_ms=T0 + 11_500)  # Bob relays it
    fetched = [refresh.Fetched(source_id=alice.instance_id, url=URL_A, body=text(alice2, T0 + 11_000)),
               refresh.Fetched(source_id=bob.instance_id, url=URL_B, body=text(bob2, T0 + 12_000))]
    plans = refresh.plan(carla, fetched, now_ms=T0 + 13_000)
    assert [r.counts["new"] for r in plans] == [1, 0]


def test_two_groups_of_one_name_get_a_number_that_never_moves():
    carla = group("Carla", "c")
    first, second = group("Alice", "a1", "Jardin"), group("Alice", "a2", "Vélo")
    third = group(" alice ", "a3", "Chorale")
    one = loaded(loaded(carla, first, None, T0 + 1000), second, None, T0 + 2000)
    low, high = sorted([first.instance_id, second.instance_id])
    assert (names.label(one, low), names.label(one, high)) == ("Alice", "Alice (2)")
    # importing them again, in the other order, later: the same numbers
    two = loaded(loaded(one, second, None, T0 + 5000), first, None, T0 + 6000)
    assert (names.label(two, low), names.label(two, high)) == ("Alice", "Alice (2)")
    three = loaded(two, third, None, T0 + 7000)  # « alice » with spaces: the same name to a reader
    by_id = sorted([(first.instance_id, "Alice"), (second.instance_id, "Alice"), (third.instance_id, " alice ")])
    expected = {by_id[0][0]: by_id[0][1], by_id[1][0]: by_id[1][1].strip() + " (2)",
                by_id[2][0]: by_id[2][1].strip() + " (3)"}
    assert {i: names.label(three, i) for i in expected} == expected
    assert names.label(three, carla.instance_id) == "Carla" and names.label(three, "Czzzzzzz") == "Czzzzzzz"


def test_a_number_taken_by_a_real_name_is_skipped_and_this_instance_keeps_its_name():
    me = group("Alice", "me")
    twin, numbered = group("Alice", "twin", "Jardin"), group("Alice (2)", "num", "Vélo")
    state = loaded(loaded(me, twin, None, T0 + 1000), numbered, None, T0 + 2000)
    assert names.label(state, me.instance_id) == "Alice"
    assert names.label(state, twin.instance_id) == "Alice (3)"
    assert names.label(state, numbered.instance_id) == "Alice (2)"
    assert names.shared(state, twin.instance_id) and not names.shared(state, numbered.instance_id)


def test_a_file_made_to_share_leaves_every_source_address_out_and_a_backup_keeps_them(world):
    """An address may hold a private link's token: « Cellules seules » (shared with peers) leaves it out."""
    *_, carla = world
    light = document.to_document(carla, kind="cellules", now_ms=T0 + 5000)
    full = document.to_document(carla, kind="full", now_ms=T0 + 5000)
    assert [s.get("url") for s in light["federatedSources"]] == [None, None, None]
    assert sorted(s.get("url", "") for s in full["federatedSources"]) == ["", URL_A, URL_B]
    assert sorted(s["name"] for s in light["federatedSources"]) == ["Alice", "Bob", "Dora"]
