"""The import preview's layout (app/core/import_preview.py): ateliers under their cellule, in the order
the adapter's collation gives, every item once; what « Remplacer » would remove, delete or overwrite
(older or newer than ours); and which choices are offered (restore first, replace only for a full export)."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import NODES, NOW, T0, export, rand, states

from app.core import actions, document, import_preview, merge, qr
from app.core.model import reading_key


def natural(names):
    """A stand-in for the platform's collation: the core's own French reading order."""
    natural.asked.append(sorted(names))
    return reading_key


natural.asked = []


def cellule(state, name, i, now=T0):
    return actions.create_cellule(state, {"nodeId": NODES[i % len(NODES)], "name": name}, now_ms=now,
                                  random_bytes=rand(f"{name}-{i}"))


def atelier(state, cellule_id, title, i, now=T0):
    return actions.create_atelier(state, {"celluleId": cellule_id, "title": title,
                                          "startsAt": "2026-03-07T18:00:00Z"}, now_ms=now, random_bytes=rand(f"a{i}"))


def alice():
    state = actions.new_state(name="Alice", random_bytes=rand("alice"))
    ids = {}
    for i, name in enumerate(("Voisins 10", "Potager", "Voisins 2")):
        state, c = cellule(state, name, i)
        ids[name] = c.id
    for i, (where, title) in enumerate((("Potager", "Semis"), ("Potager", "Arrosage"), ("Voisins 2", "Apéro"))):
        state, a = atelier(state, ids[where], title, i)
        ids[title] = a.id
    return state, ids


def shape(found):
    return [(g.label, g.cellule.status if g.cellule else None, [(p.label, p.status) for p in g.ateliers])
            for g in found]


def test_a_first_import_lists_each_cellule_with_its_ateliers_in_the_collations_order():
    state, _ = alice()
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    incoming = export(state)
    plans = merge.preview(bob, incoming, now_ms=NOW)
    natural.asked.clear()
    found = import_preview.groups(plans, bob, incoming, natural)
    assert shape(found) == [("Potager", "new", [("Arrosage", "new"), ("Semis", "new")]),
                            ("Voisins 2", "new", [("Apéro", "new")]),
                            ("Voisins 10", "new", [])]
    assert len(natural.asked) == 1  # one collation for every name sorted
    assert set(natural.asked[0]) == {"Potager", "Voisins 2", "Voisins 10", "Semis", "Arrosage", "Apéro"}


def test_an_unchanged_cellule_heads_its_changed_ateliers_and_the_most_pressing_group_comes_first():
    state, ids = alice()
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    bob, _ = merge.import_text(bob, document.dumps_state(state, now_ms=T0 + 10), now_ms=T0 + 20)
    state, _ = actions.edit(state, "atelier", ids["Semis"], {"title": "Semis de printemps"}, now_ms=T0 + 100)
    state, _ = atelier(state, ids["Voisins 10"], "Fête", 9, now=T0 + 200)
    incoming = export(state)
    plans = [p for p in merge.preview(bob, incoming, now_ms=NOW) if p.status != "unchanged"]
    found = import_preview.groups(plans, bob, incoming, natural)
    assert shape(found) == [("Potager", None, [("Semis de printemps", "changed")]),  # « changed » before « new »
                            ("Voisins 10", None, [("Fête", "new")])]
    assert [g.cellule_id for g in found] == [ids["Potager"], ids["Voisins 10"]]


def test_first_rows_cuts_inside_a_group_and_counts_what_is_left():
    state, _ = alice()
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    incoming = export(state)
    found = import_preview.groups(merge.preview(bob, incoming, now_ms=NOW), bob, incoming, natural)
    shown, more = import_preview.first_rows(found, 2)
    assert shape(shown) == [("Potager", "new", [("Arrosage", "new")])]
    assert more == 4
    assert import_preview.first_rows(found, 6) == (found, 0)


@settings(max_examples=40, deadline=None)
@given(states(), states(name="Bob"))
def test_every_item_is_listed_once_and_each_atelier_under_its_own_cellule(mine, theirs):
    incoming = export(theirs)
    for mode in ("merge", "replace"):
        plans = merge.preview(mine, incoming, mode=mode, now_ms=NOW)
        found = import_preview.groups(plans, mine, incoming, natural)
        listed = [p for g in found for p in ((g.cellule,) if g.cellule else ()) + g.ateliers]
        assert sorted(p.id for p in listed) == sorted(p.id for p in plans)
        for g in found:
            assert g.cellule is None or g.cellule.id == g.cellule_id
            for p in g.ateliers:
                held = incoming.ateliers.get(p.id) or mine.ateliers.get(p.id)
                assert held.cellule_id == g.cellule_id


def carla_me_bob():
    """Carla wrote « Potager »; I took it and Bob took it; returns (carla, me, bob, potager id)."""
    carla = actions.new_state(name="Carla", random_bytes=rand("carla"))
    carla, potager = actions.create_cellule(carla, {"nodeId": NODES[0], "name": "Potager", "contact": "a@b.be"},
                                            now_ms=T0, random_bytes=rand("potager"))
    me = actions.new_state(name="Moi", random_bytes=rand("me"))
    me, _ = cellule(me, "La mienne", 1)
    me, _ = merge.import_text(me, document.dumps_state(carla, now_ms=T0 + 10), now_ms=T0 + 20)
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    bob, _ = merge.import_text(bob, document.dumps_state(carla, now_ms=T0 + 10), now_ms=T0 + 30)
    return carla, me, bob, potager.id


def effects(state, incoming):
    return import_preview.replace_effects(merge.preview(state, incoming, now_ms=NOW),
                                          merge.preview(state, incoming, mode="replace", now_ms=NOW))


def test_replace_says_older_only_of_a_version_a_merge_would_not_take():
    carla, me, bob, potager = carla_me_bob()
    edited, _ = actions.edit(me, "cellule", potager, {"contact": "moi@b.be"}, now_ms=T0 + 1_000)
    older = effects(edited, export(bob))  # Bob still has Carla's first version: older than my edit
    assert [p.label for p in older.overwritten] == ["Potager"] and older.older == {potager}
    assert [p.label for p in older.removed] == ["La mienne"] and older.removed_counts() == (1, 0)
    assert older.deleted == ()
    carla2, _ = actions.edit(carla, "cellule", potager, {"contact": "carla@b.be"}, now_ms=T0 + 2_000)
    newer = effects(me, export(carla2))  # Carla's later edit: a merge takes it too
    assert [p.label for p in newer.overwritten] == ["Potager"] and newer.older == frozenset()


def test_replace_keeps_a_deletion_apart_from_a_removal():
    carla, me, _, potager = carla_me_bob()
    gone = actions.delete(carla, "cellule", potager, now_ms=T0 + 2_000)
    found = effects(me, export(gone))
    assert [p.label for p in found.deleted] == ["Potager"] and found.older == frozenset()
    assert [p.label for p in found.removed] == ["La mienne"]
    assert found.overwritten == () and not found.nothing
    same = effects(me, export(me))
    assert same.nothing


def test_restore_comes_first_on_an_empty_device_and_replace_only_for_a_full_export_onto_data():
    carla, me, _, potager = carla_me_bob()
    empty = actions.new_state(name="Mon association", random_bytes=rand("empty"))
    full = export(carla)
    light = document.read_document(document.check_document(
        document.parse_text(document.dumps(qr.cellule_document(carla, potager, now_ms=NOW)))))
    assert light.kind == "cellules"
    assert import_preview.can_restore(empty, full) and not import_preview.can_replace(empty, full)
    assert not import_preview.can_restore(empty, light) and not import_preview.can_replace(empty, light)
    assert not import_preview.can_restore(me, full) and import_preview.can_replace(me, full)
    assert not import_preview.can_replace(me, light)  # one cellule's link would take all the rest away
