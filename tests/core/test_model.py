"""Model rules: validation at construction, French errors naming the field, tombstones, history."""

import os
from dataclasses import FrozenInstanceError

import pytest

from app.core import actions
from app.core.errors import NotFoundError, ValidationError
from app.core.i18n import words
from app.core.model import Cellule

T0 = 1_769_594_400_000
NODE = "871fa4c5bffffff"


def fresh():
    return actions.new_state(name="Asso Quartier Nord", random_bytes=os.urandom(16))


def test_instance_id_has_the_seed_shape():
    state = fresh()
    assert len(state.instance_id) == 8 and state.instance_id[0] == "C"
    assert state.instance_id[1:].isalnum() and state.instance_id[1:] == state.instance_id[1:].lower()


def test_records_are_frozen_and_keyword_only():
    state, cellule = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                            random_bytes=os.urandom(16))
    with pytest.raises(FrozenInstanceError):
        cellule.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Cellule("id", NODE, "x")  # type: ignore[misc]


NAME = words("label.name")


@pytest.mark.parametrize(("values", "field", "code", "params"), [
    ({"nodeId": NODE, "name": ""}, "nom", "field.required", {"label": NAME}),
    ({"nodeId": NODE, "name": "   "}, "nom", "field.required", {"label": NAME}),
    ({"nodeId": NODE, "name": "x" * 121}, "nom", "field.too_long", {"label": NAME, "limit": 120, "length": 121}),
    ({"nodeId": NODE, "name": "ok", "description": "x" * 2001}, "description", "field.too_long",
     {"label": words("label.description"), "limit": 2000, "length": 2001}),
    ({"nodeId": NODE, "name": "ok", "contact": "x" * 201}, "contact", "field.too_long",
     {"label": words("label.contact"), "limit": 200, "length": 201}),
    ({"nodeId": NODE, "name": "a\x07b"}, "nom", "field.control_chars", {"label": NAME, "char": "U+0007"}),
    ({"nodeId": NODE, "name": "a\nb"}, "nom", "field.control_chars", {"label": NAME, "char": "U+000A"}),
    ({"nodeId": "paris", "name": "ok"}, "lieu", "field.format",
     {"label": words("label.place"), "detail": words("d.place_code")}),
    ({"nodeId": NODE, "name": 12}, "nom", "field.type", {"label": NAME, "expected": words("d.text_expected")}),
])
def test_invalid_cellules_name_the_field_in_french(values, field, code, params):
    with pytest.raises(ValidationError) as err:
        actions.create_cellule(fresh(), values, now_ms=T0, random_bytes=os.urandom(16))
    assert (err.value.code, err.value.params) == (code, params)
    assert f"« {field} »" in " ".join(str(err.value).split())  # the field by its French name, in guillemets


def test_multiline_description_keeps_line_breaks_and_tabs():
    _, cellule = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "n", "description": "a\n\tb\r\nc"},
                                        now_ms=T0, random_bytes=os.urandom(16))
    assert cellule.description == "a\n\tb\r\nc"


def test_unknown_node_is_refused_when_the_grid_is_given():
    with pytest.raises(ValidationError) as err:
        actions.create_cellule(fresh(), {"nodeId": NODE, "name": "n"}, now_ms=T0, random_bytes=os.urandom(16),
                               known_nodes={"871fa4c58ffffff"})
    assert err.value.code == "node.unknown"


def test_edit_records_old_value_in_history_and_moves_updated_at():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    state, c2 = actions.edit(state, "cellule", c.id, {"name": "Nord-Est"}, now_ms=T0 + 1000)
    assert c2.name == "Nord-Est" and c2.history[0].value == "Nord"
    assert c2.updated_at == "2026-01-28T10:00:01.000Z" and c2.created_at == c.created_at
    state, c3 = actions.restore_value(state, "cellule", c.id, "name", c2.history[0].clock, now_ms=T0 + 2000)
    assert c3.name == "Nord"


def test_edit_that_changes_nothing_keeps_the_state():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    same, _ = actions.edit(state, "cellule", c.id, {"name": "Nord"}, now_ms=T0 + 5)
    assert same is state


def test_failed_edit_changes_nothing():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    with pytest.raises(ValidationError):
        actions.edit(state, "cellule", c.id, {"name": "Sud", "contact": "x" * 500}, now_ms=T0 + 5)
    assert state.cellules[c.id].name == "Nord"


def test_delete_is_a_tombstone_that_takes_the_ateliers_along():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    state, a = actions.create_atelier(state, {"celluleId": c.id, "title": "Vélo", "startsAt": "2026-02-01T18:00:00Z"},
                                      now_ms=T0 + 1, random_bytes=os.urandom(16))
    state = actions.delete(state, "cellule", c.id, now_ms=T0 + 2)
    assert c.id in state.cellules and state.cellules[c.id].deleted
    assert state.live_cellules() == [] and state.live_ateliers() == []
    assert state.ateliers[a.id].deleted
    with pytest.raises(NotFoundError):
        actions.edit(state, "cellule", c.id, {"name": "x"}, now_ms=T0 + 3)


def test_atelier_needs_a_live_cellule_and_ordered_times():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    with pytest.raises(NotFoundError):
        actions.create_atelier(state, {"celluleId": "cnope", "title": "t", "startsAt": "2026-02-01T18:00:00Z"},
                               now_ms=T0, random_bytes=os.urandom(16))
    with pytest.raises(ValidationError) as err:
        actions.create_atelier(state, {"celluleId": c.id, "title": "t", "startsAt": "2026-02-01T18:00:00Z",
                                       "endsAt": "2026-02-01T17:00:00Z"}, now_ms=T0, random_bytes=os.urandom(16))
    assert err.value.code == "time.order"


def test_ateliers_are_listed_upcoming_first():
    state, c = actions.create_cellule(fresh(), {"nodeId": NODE, "name": "Nord"}, now_ms=T0,
                                      random_bytes=os.urandom(16))
    for day in (9, 3, 5):
        state, _ = actions.create_atelier(state, {"celluleId": c.id, "title": f"j{day}",
                                                  "startsAt": f"2026-02-0{day}T18:00:00Z"},
                                          now_ms=T0 + day, random_bytes=os.urandom(16))
    assert [a.title for a in state.live_ateliers(c.id)] == ["j3", "j5", "j9"]
