"""Place search, the form's and the map's: its result rows and their keyboard.

`search(grid, lang, query)` gives the places matching a query, or the closest names when none does;
`hit_items` the result rows; `results_key` moves between a search field and its results with the
keyboard (RESULTS names each field's list).
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core.grid import Grid, Hit
from app.core.i18n import did_you_mean, t
from app.web.dom import by_id, el

# the place-search fields and their result lists (the form's and the map's)
RESULTS = {"node-search": "node-results", "map-search": "map-results"}


def search(grid: Grid, lang: str, query: str) -> tuple[list[Hit], str]:
    """The places matching `query`; when none does, the closest names instead (Grid.suggest: a typo).
    With them, what to say beside the field: "" when places match, « Vouliez-vous dire « Namur » ? »
    for suggestions, « Aucun lieu ne correspond à … » else."""
    hits = grid.search(query)
    said = ""
    if query.strip() and not hits:
        hits = grid.suggest(query)
        said = did_you_mean(lang, query.strip(), [h.label for h in hits]) if hits \
            else t("map.no_hit", lang, q=query.strip())
    return hits, said


def hit_items(lang: str, hits: list[Hit], action: str) -> list:
    """Result rows: the place (a button) and what it is — commune, locality or postal code; a tap
    anywhere on the row picks the place."""
    rows = []
    for i, hit in enumerate(hits):
        c = hit.commune
        where = c.province or c.region if hit.kind == "commune" else c.name_fr
        kind = el("span", {"class": f"hit-kind kind-{hit.kind}", "id": f"{action}-kind-{i}",
                           "text": f"{t('map.kind.' + hit.kind, lang)} · {where}"})
        button = el("button", {"type": "button", "data-action": action, "data-index": str(i), "text": hit.label,
                               "aria-describedby": f"{action}-kind-{i}"})
        # the row answers a tap too (on its second line): the same action as its button (keyboard: the button)
        rows.append(el("li", {"class": f"hit hit-{hit.kind}", "data-action": action, "data-index": str(i)},
                       button, kind))
    return rows


def results_key(event) -> bool:
    """Keyboard in place-search results: ArrowDown from the field goes into the results,
    ArrowUp/ArrowDown move between them, Escape goes back to the field (Enter on a result is
    its click; Enter in the form's field picks the first place). Returns True when handled."""
    target, key = event.target, str(event.key)
    field_id = str(target.id or "")
    if field_id in RESULTS:
        buttons = js.document.querySelectorAll(f"#{RESULTS[field_id]} button")
        if key == "ArrowDown" and buttons.length:
            event.preventDefault()
            buttons.item(0).focus()
            return True
        if key == "Enter" and field_id == "node-search":  # picks the first place, never submits the form
            event.preventDefault()
            if buttons.length:
                buttons.item(0).click()
            return True
        return False
    item = target.closest(".results li")
    if not item or key not in ("ArrowDown", "ArrowUp", "Escape"):
        return False
    results = item.parentElement
    field = next((f for f, r in RESULTS.items() if r == str(results.id)), None)
    buttons = list(results.querySelectorAll("button"))
    index = next((i for i, b in enumerate(buttons) if b == target), 0)
    event.preventDefault()
    if key == "Escape" or (key == "ArrowUp" and index == 0):
        if field:
            by_id(field).focus()
    else:
        step = 1 if key == "ArrowDown" else -1
        buttons[min(len(buttons) - 1, index + step)].focus()
    return True
