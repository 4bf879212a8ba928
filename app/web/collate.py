"""Names in a French reader's order, by the platform's own collation: `Intl.Collator('fr', {numeric:
true, sensitivity: 'base'})` (numbers as numbers, « É » with the E, case and accents aside). The core
sorts with model.reading_key where no collator exists (CLI, exports); the browser shows what it lists
in this order."""

from __future__ import annotations

from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]

_collator: list = []  # made once: building an Intl.Collator is the slow part


def french_order(names: list[str]) -> Callable[[str], int]:
    """name -> its rank among `names` in the platform's French collation; names it finds equal keep
    their code-point order (the sort is stable)."""
    unique = sorted(set(names))
    if not unique:
        return lambda _name: 0
    if not _collator:
        _collator.append(js.Intl.Collator.new("fr", to_js({"numeric": True, "sensitivity": "base"},
                                                          dict_converter=js.Object.fromEntries)))
    ordered = to_js(unique)
    ordered.sort(_collator[0].compare)  # sorted in JavaScript: one call, not one per comparison
    return {name: i for i, name in enumerate(ordered.to_py())}.__getitem__
