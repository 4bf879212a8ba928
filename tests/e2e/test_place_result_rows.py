"""Place-search result rows, in the cellule form and on the map, at 390×844 and 1280×800 (SHOTS=1): the
place's name keeps its width (never « Na / mu / r »); what it is (« Commune · Province de Namur ») stands
beside it on a desktop and below it on a phone."""

from __future__ import annotations

from driver import new_app, next_frames, shoot

# For each result row: its name, whether a word of the name is cut over two lines, whether the kind
# stands below the name, and whether the name's button spans the row.
ROWS = """results => [...document.querySelectorAll('#' + results + ' li.hit')].map(li => {
  const button = li.querySelector('button'), kind = li.querySelector('.hit-kind');
  const text = button.firstChild, cut = [];
  const re = /[^\\s-]+/g;  // between spaces and hyphens (a line may break after a hyphen)
  let m;
  while ((m = re.exec(text.data))) {
    const range = document.createRange();
    range.setStart(text, m.index);
    range.setEnd(text, m.index + m[0].length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) cut.push(m[0]);
  }
  const b = button.getBoundingClientRect(), k = kind.getBoundingClientRect(), row = li.getBoundingClientRect();
  return {name: text.data, cut, below: k.top >= b.bottom - 1, spans: b.width >= row.width - 16,
          inside: k.right <= row.right + 0.5 && b.right <= row.right + 0.5};
})"""


def rows(page, results: str) -> list[dict]:
    next_frames(page)
    return page.evaluate(ROWS, results)


def test_a_places_name_keeps_its_width_beside_or_below_its_kind(make_context, server):
    _, page, watch = new_app(make_context, server, viewport={"width": 390, "height": 844})
    page.click("#new-cellule")
    page.fill("#node-search", "Namur")
    page.wait_for_selector("#node-results li.hit")
    phone = rows(page, "node-results")
    assert phone[0]["name"] == "Namur"
    assert page.text_content("#node-results li.hit >> nth=0 >> .hit-kind") == "Commune · Province de Namur"
    assert [(r["cut"], r["below"], r["spans"], r["inside"]) for r in phone] == [([], True, True, True)] * len(phone)
    shoot(page, "place-results-form", focus="#node-results")

    page.set_viewport_size({"width": 1280, "height": 800})
    desktop = rows(page, "node-results")
    assert desktop[0]["name"] == "Namur"
    assert (desktop[0]["cut"], desktop[0]["below"], desktop[0]["inside"]) == ([], False, True)
    assert all(r["cut"] == [] and r["inside"] for r in desktop)
    page.click("[data-action=cancel-form]")

    # the map's results: a long name wraps between its words, its kind below it
    page.click("#tab-map")
    page.fill("#map-search", "Louvain-la-Neuve")
    page.wait_for_selector("#map-results li.hit")
    assert all(r["cut"] == [] and r["inside"] for r in rows(page, "map-results"))
    page.set_viewport_size({"width": 390, "height": 844})
    phone = rows(page, "map-results")
    assert phone[0]["name"] == "Louvain-la-Neuve — Ottignies-Louvain-la-Neuve"
    assert [(r["cut"], r["below"], r["spans"], r["inside"]) for r in phone] == [([], True, True, True)] * len(phone)
    shoot(page, "place-results-map", focus="#map-results")
    assert watch.errors == []
