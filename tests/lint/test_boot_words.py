"""static/boot.js's words (the loading screen before Python runs) come from the catalogues.

boot.js names each of its words by key (`word("page.boot_slow")`); tools/build_site.py writes every language's
templates of those keys where boot.js reads them (`/* BOOT_WORDS */ null`). Checked here: every key it names
is in the French catalogue and translated in every other; the build writes them; a key the catalogues lack
stops the build; and no word of the page is written in boot.js itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools.build_site import BOOT_WORDS, boot_words, with_boot_words
from tools.catalogues import compiled

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (ROOT / "static" / "boot.js").read_text("utf-8")
CATALOGUES = compiled()
KEYS = sorted(set(re.findall(r"""\bword\(["']([\w.]+)["']""", SCRIPT)))


def test_every_word_boot_js_names_is_in_every_catalogue():
    assert KEYS == ["page.boot_error", "page.boot_slow", "page.boot_tab_wait"]
    for lang, data in CATALOGUES.items():
        missing = [key for key in KEYS if not isinstance(data["messages"].get(key), str) or not data["messages"][key]]
        assert not missing, (lang, missing)


def test_the_build_writes_every_language_where_boot_js_reads_them():
    built = with_boot_words(SCRIPT, CATALOGUES)
    assert BOOT_WORDS not in built
    written = re.search(r"const WORDS = (\{.*\});", built)
    assert written, "const WORDS = {...}; in the built boot.js"
    words = json.loads(written.group(1))
    assert words == {lang: {key: data["messages"][key] for key in KEYS} for lang, data in CATALOGUES.items()}
    # The French as the page showed it before the catalogues held it (plain spaces: byte for byte).
    assert words["fr"] == {
        "page.boot_error": "Erreur au démarrage : {detail}",
        "page.boot_slow": "Le démarrage prend trop de temps (plus de deux minutes). Vérifiez l’espace disponible "
                          "sur l’appareil puis rechargez.",
        "page.boot_tab_wait": "« {tab} » s’ouvre dès que l’application est prête — Chargement…",
    }
    assert words["en"]["page.boot_tab_wait"] == "“{tab}” opens as soon as the app is ready — Loading…"


def test_a_word_the_catalogues_lack_stops_the_build_and_an_untranslated_one_shows_in_french():
    lacking = {lang: {**data, "messages": {k: v for k, v in data["messages"].items() if k != "page.boot_slow"}}
               for lang, data in CATALOGUES.items()}
    with pytest.raises(SystemExit, match="page.boot_slow"):
        boot_words(SCRIPT, lacking)
    untranslated = {**CATALOGUES, "en": lacking["en"]}
    words = boot_words(SCRIPT, untranslated)
    assert "page.boot_slow" not in words["en"] and "page.boot_slow" in words["fr"]  # boot.js shows the French
    with pytest.raises(SystemExit, match="BOOT_WORDS"):
        with_boot_words(SCRIPT.replace(BOOT_WORDS, "{}"), CATALOGUES)


def test_boot_js_writes_no_word_of_its_own():
    code = re.sub(r"/\*.*?\*/", "", SCRIPT, flags=re.DOTALL)
    code = re.sub(r"(^|\s)//.*", "", code)
    literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`', code)
    assert len(literals) > 20  # the scan sees boot.js's strings
    worded = [text for text in literals if re.search(r"[À-ÿœ«»’“”…]|\b[A-Za-z]+ [a-z]+ [a-z]+\b", text)]
    assert not worded, worded
