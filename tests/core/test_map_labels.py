"""Map labels match the hexagon they are drawn in (data/fwb_map.json anchors, app.core.grid_map
placement): « Jambes » is drawn inside a hexagon named « Jambes — Namur », never inside « Namur »."""

from __future__ import annotations

from grid_data import grid, mapdata

from app.core.grid_map import HEIGHT, PAD, count_labels, place_labels


def test_every_name_sits_on_a_hexagon_that_bears_it():
    m = mapdata()
    for label in m.locality_labels:
        node = grid().nearest(label.x, label.y)
        assert node.locality == label.text and node.label == f"{label.text} — {node.commune.name_fr}", label
    for label in m.commune_labels:
        node = grid().nearest(label.x, label.y)
        assert node.commune.nis == label.key and node.id == node.commune.centre, label
    assert len(m.locality_labels) > 800


def test_jambes_is_drawn_in_a_hexagon_named_jambes_and_namur_in_the_one_named_namur():
    m = mapdata()
    jambes = next(lab for lab in m.locality_labels if lab.text == "Jambes")
    assert grid().nearest(jambes.x, jambes.y).label == "Jambes — Namur"
    namur = next(lab for lab in m.commune_labels if lab.text == "Namur")
    assert grid().nearest(namur.x, namur.y).label == "Namur"


def test_a_name_moves_below_the_count_of_its_own_hexagon_when_the_hexagon_holds_both():
    namur = next(lab for lab in mapdata().commune_labels if lab.text == "Namur")
    (count,) = count_labels(grid(), {grid().nodes[grid().search("namur")[0].node_id].id: 2})
    width = lambda text, kind: 7.0 * len(text)  # noqa: E731
    big = 8000.0  # a hexagon ~170 px tall
    placed = place_labels([count, namur], big, width)
    assert [(p.label.kind, p.dy) for p in placed][0] == ("count", 0.0)
    name = placed[1]
    assert name.label == namur and name.dy > 0
    assert name.box[1] >= count.y * big + HEIGHT["count"] / 2  # under the count
    assert name.box[3] - PAD["commune"] <= (namur.y + namur.room) * big  # its text still inside its hexagon
    small = count.min_scale  # the hexagon just tall enough for its count: no room for the name as well
    assert [p.label.kind for p in place_labels([count, namur], small, width)] == ["count"]
