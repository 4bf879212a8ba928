"""The language follows the user everywhere, at once: after « English », every label a screen reader reads
(aria-label, title, placeholder) is English too — in views not shown, in the map's open place panel — and so
is the skip link; after a reload, the loading screen (index.html, before Python runs) speaks the remembered
language, with the app's own tab names (« Réglages », never « Cette instance »). Every word still lives in
app/core/i18n.py: index.html's French is checked against it, and the English comes from it (kept by the app).
Screenshot: build/screenshots/web2-lang-loading-phone.png."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser

from conftest import ROOT, boot, wait_ready
from driver import PHONE, screenshot

from app.core import i18n

# app/web/feedback.py imports `js`: its list is read, not imported
PAGE_KEYS = next(ast.literal_eval(node.value) for node in ast.parse(
    (ROOT / "app" / "web" / "feedback.py").read_text("utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGE_KEYS")
FRENCH_ONLY = sorted({fr for fr, en in i18n.TEXTS.values() if "{" not in fr and fr != en}
                     - {en for _, en in i18n.TEXTS.values()})
LABELS = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap(e =>
    ['aria-label', 'title', 'placeholder'].filter(a => e.hasAttribute(a))
        .map(a => [(e.id || e.tagName) + '[' + a + ']', e.getAttribute(a)]))"""


class Words(HTMLParser):
    """index.html's [data-i18n] elements: key -> the text inside; [data-i18n-label]: key -> aria-label."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-i18n-label" in a:
            self.labels[a["data-i18n-label"]] = a.get("aria-label", "")
        if tag in ("meta", "link", "input", "br", "img"):
            return
        self.open.append(a.get("data-i18n"))
        if a.get("data-i18n"):
            self.texts[a["data-i18n"]] = ""

    def handle_endtag(self, tag):
        if self.open and tag not in ("meta", "link", "input", "br", "img"):
            self.open.pop()

    def handle_data(self, data):
        key = next((k for k in reversed(self.open) if k), None)
        if key:
            self.texts[key] += data


def test_index_html_words_come_from_i18n():
    words = Words()
    words.feed((ROOT / "index.html").read_text("utf-8"))
    for key, text in {**words.texts, **words.labels}.items():
        assert key in PAGE_KEYS, f"index.html's {key!r} is not in app/web/feedback.py PAGE_KEYS"
        # spaces compared as spaces: i18n's French has no-break ones (« 7 Mo ; »), the page's source may not
        assert " ".join(text.split()) == " ".join(i18n.t(key, "fr").split()), f"{key}: index.html says {text!r}"
    assert {"page.skip", "tab.settings", "page.loading"} <= set(words.texts)
    boot_tabs = re.search(r'<nav id="boot-tabs".*?</nav>', (ROOT / "index.html").read_text("utf-8"), re.S).group()
    assert "Cette instance" not in boot_tabs and "Réglages" in boot_tabs


def test_labels_and_loading_screen_follow_the_language(make_context, server):
    _, page, watch = boot(make_context, server, **PHONE)
    page.locator("#tab-exchange").tap()  # its labels exist in French now
    page.locator("#tab-map").tap()
    page.fill("#map-search", "namur")
    page.locator("#map-results button").first.tap()
    page.wait_for_selector("#node-panel")  # the place panel, with its × (« Fermer »), left open
    page.locator("#lang-toggle").tap()
    page.wait_for_function("document.documentElement.lang === 'en'")
    french = [(where, value) for where, value in page.evaluate(LABELS) if value in FRENCH_ONLY]
    assert french == [], f"labels still in French after « English »: {french}"
    assert page.text_content("a.skip").strip() == "Skip to content"

    # the next loading screen, in English before Python runs (Python kept from starting here)
    page.route("**/pyscript/core.js", lambda route: route.abort())
    page.reload(wait_until="domcontentloaded")
    shown = page.evaluate("""() => ({lang: document.documentElement.lang,
        state: document.documentElement.dataset.appState,
        tabs: [...document.querySelectorAll('#boot-tabs [data-tab]')].map(b => b.textContent.trim()),
        label: document.getElementById('boot-tabs').getAttribute('aria-label'),
        loading: document.getElementById('boot-status').textContent.trim(),
        skip: document.querySelector('a.skip').textContent.trim()})""")
    assert shown["state"] == "booting"
    assert shown["tabs"] == ["Cellules", "Map", "Exchange", "Sources", "Help", "Settings"], shown
    assert shown["lang"] == "en" and shown["skip"] == "Skip to content", shown
    assert shown["loading"].startswith("Loading the app") and shown["label"] == i18n.t("tab.bar_label", "en"), shown
    screenshot(page, "web2-lang-loading-phone")
    page.unroute("**/pyscript/core.js")
    # back in French: the loading screen follows again
    page.reload()
    wait_ready(page)
    page.locator("#lang-toggle").tap()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    page.route("**/pyscript/core.js", lambda route: route.abort())
    page.reload(wait_until="domcontentloaded")
    tabs = page.evaluate("[...document.querySelectorAll('#boot-tabs [data-tab]')].map(b => b.textContent.trim())")
    assert tabs == ["Cellules", "Carte", "Échanger", "Sources", "Aide", "Réglages"]
    assert page.text_content("a.skip").strip() == "Aller au contenu"
