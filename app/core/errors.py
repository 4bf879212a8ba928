"""One error hierarchy for the whole app; every message exists in French (first) and English.

Errors carry a code and parameters; the text comes from app.core.i18n (`error_text`: the catalogues'
entry `error:<code>`, one per code, whichever class raises it), so the UI can show the user's language
and tests can check codes rather than sentences. `str(error)` is French.
The UI and the CLI catch `CellulesError` only: anything else is a bug.
"""

from __future__ import annotations

from typing import Any

from app.core.i18n import Words, error_text


class CellulesError(Exception):
    """Base of every error the user may see. `str()` gives the French message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        return error_text(self.code, lang, **self.params)

    def words(self) -> Words:
        """This error as the detail of another message (rendered later, in the reader's language)."""
        return Words(key=self.code, params=tuple(self.params.items()), error=True)


class ValidationError(CellulesError):
    """A value breaks a rule of the model (names the field)."""


class DocumentError(CellulesError):
    """An incoming document cannot be read: JSON, encoding, version, schema, limits."""


class ClockError(CellulesError):
    """A sync clock is unreadable or implausible."""


class NotFoundError(CellulesError):
    """An operation names a record that does not exist (or is deleted)."""


class MergeError(CellulesError):
    """A sync operation refused as a whole (own file, restore on a non-empty instance, undo that
    would lose later work...)."""


class StoreError(CellulesError):
    """The browser's storage (IndexedDB) refused a request (`store.write` with the browser's own words
    as `detail`, `store.quota`, ...)."""


class LiveError(CellulesError):
    """A live session refused something: a handshake code (damaged, expired, used twice) or a
    message of the peer (malformed, too large, too many, in another's name)."""
