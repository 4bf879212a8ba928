"""In English, no French on screen: every view and dialog, walked after one click on « English ».

What counts as French on screen (precise, so that a proper noun or the user's own data never trips it):
1. a visible text (text node, or a visible control's placeholder / label / alt / value) that equals the French
   value of an entry of the French table (`app.core.i18n.TEXTS`, and the error messages) whose English value
   differs, or that contains a fragment of such a value (the text between two {parameters}, at least
   three words or 16 letters, that appears in no English value);
2. a word never used in English (`FRENCH_ONLY`, matched as a whole word);
3. a letter or sign of French typography (« », é, è, à, ç, œ…) once the user's own data (the names and texts this
   test typed), commune and place names, and the word English keeps (« Français », the other language's name)
   are taken out.
The header and footer, shown with every view, are checked once (`shell`); each view is checked on `main` (or the
open dialog).
"""

from __future__ import annotations

import re

import pytest
from driver import new_app
from views import STATES, VISIBLE_TEXT, prepare, walk, walk_page

from app.core import i18n

TABLE = {**{f"error:{k}": v for k, v in i18n.ERRORS.items()}, **i18n.TEXTS}  # every error message, every word
ENGLISH = [en for _, en in TABLE.values()]
PARAM = re.compile(r"\{[^{}]*\}")
FRENCH_ONLY = re.compile(
    r"(?<![\w-])(données|atelier|ateliers|exporter|importer|fermer|annuler|enregistrer|supprimer|modifier|aucun|aucune|"
    r"nœud|nœuds|noeud|sauvegarde|fichier|choisir|nouvelle|nouvel|cette|votre|vos|avec|pour|dans|depuis|"
    r"cellule\(s\)|atelier\(s\)|le|la|les|des|du|une|et|ou|sur|est|sont|ici|carte|aide|échanger)(?![\w-])",
    re.IGNORECASE)
FRENCH_SIGNS = re.compile(r"[«»àâçèéêëîïôœùûüÀÂÇÈÉÊËÎÏÔŒÙÛÜ]")
KEPT_IN_ENGLISH = ("Français",)
# What this test typed (prepare() and peers.peer_export), and the places it chose: data, not interface.
USER_DATA = ("Cellule Vélo", "Réparations le samedi", "Atelier crevaisons", "Cellule voisine", "Cellule du parc",
             "Asso voisine", "Mon instance")
PLACES = re.compile(r"\b(Namur|Liège|Mons|Bruxelles|Province de \w+|Région de Bruxelles-Capitale|Wallonie)\b")
SHELL = "shell"


def fragments(value: str) -> list[str]:
    return [f.strip(" :·—-,.()") for f in PARAM.split(value)]


def _table_checks():
    exact, contained = {}, {}
    for key, (fr, en) in TABLE.items():
        if fr == en:
            continue
        if not PARAM.search(fr):
            exact.setdefault(fr.strip(), key)
        for piece in fragments(fr):
            if (len(piece.split()) >= 3 or len(piece) >= 16) and not any(piece in e for e in ENGLISH):
                contained.setdefault(piece, key)
    return exact, contained


EXACT, CONTAINED = _table_checks()


def french_in(texts: list[str]) -> list[str]:
    """Each visible text that is French, with the rule that caught it."""
    found = []
    for text in dict.fromkeys(texts):
        key = EXACT.get(text.strip()) or next((k for piece, k in CONTAINED.items() if piece in text), None)
        if key and text.strip() not in ENGLISH:
            found.append(f"{text[:80]!r} (French of {key})")
            continue
        plain = text
        for kept in (*USER_DATA, *KEPT_IN_ENGLISH):
            plain = plain.replace(kept, "")
        plain = PLACES.sub("", plain)
        word = FRENCH_ONLY.search(plain)
        sign = FRENCH_SIGNS.search(plain)
        if word or sign:
            found.append(f"{text[:80]!r} ({(word or sign).group()!r})")
    return found


def visible(page, shell: bool) -> list[str]:
    return page.evaluate(VISIBLE_TEXT, "header, footer, .banner" if shell else "main")


# Views known to show French in English mode (none today); strict, so an entry flips to a failure once fixed.
KNOWN: dict[str, str] = {
}


@pytest.fixture(scope="module")
def found(request):
    with walk_page(request, viewport={"width": 1280, "height": 800}) as page:
        page.click("#lang-toggle")
        page.wait_for_function("document.documentElement.lang === 'en'")
        prepare(page)
        out = walk(page, lambda p: french_in(visible(p, shell=False)))
        page.reload()
        page.wait_for_function("document.documentElement.dataset.appState !== 'booting'", timeout=120_000)
        out[SHELL] = french_in(visible(page, shell=True))
    return out


@pytest.mark.parametrize("state", [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=KNOWN[s]))
                                   if s in KNOWN else s for s in (SHELL, *STATES)])
def test_no_french_on_screen_in_english(found, state):
    assert found[state] == [], "French on screen in English:\n" + "\n".join(found[state])


def test_the_check_finds_french_and_spares_names_and_data():
    assert french_in(["Tout exporter"]) and french_in(["Vos données restent ici"]) and french_in(["3 cellule(s)"])
    assert french_in(["Aperçu du fichier"]) and french_in(["Fermer"]) and french_in(["FÉDÉRÉ"])  # English: FEDERATED
    assert french_in(["Cellules", "Namur", "Cellule Vélo", "Province de Liège", "FEDERATED", "Export everything",
                      "3 cellules here", "Français"]) == []


def test_english_is_chosen_by_the_walk(make_context, server):
    """The walk's first click does switch the interface: the tabs read in English."""
    context, page, watch = new_app(make_context, server)
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert french_in(page.locator("[role=tab]").all_inner_texts()) == []
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert french_in(page.locator("[role=tab]").all_inner_texts())
