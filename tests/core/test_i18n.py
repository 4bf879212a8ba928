"""The words of app.core.i18n: plurals, reports, labels, errors, backups rule, help, file names."""

from __future__ import annotations

import string
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import actions, i18n, merge
from app.core.clock import format_ms
from app.core.errors import CellulesError, ValidationError
from app.core.model import State

DAY = 86_400_000


def nb(text: str) -> str:
    """French typography as the screen shows it: no-break spaces inside « » and before : ; ! ?"""
    for plain, fixed in (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;"),
                         (" !", "\u00a0!"), (" ?", "\u00a0?")):
        text = text.replace(plain, fixed)
    return text
T0 = 1_790_000_000_000


# --- plurals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "n", "text"), [
    ("fr", 0, "0 cellule"), ("fr", 1, "1 cellule"), ("fr", 2, "2 cellules"), ("fr", 3801, "3\u202f801 cellules"),
    ("en", 0, "0 cellules"), ("en", 1, "1 cellule"), ("en", 2, "2 cellules"), ("en", 3801, "3,801 cellules"),
])
def test_a_count_takes_the_form_its_language_gives_it(lang, n, text):
    assert i18n.t("list.count", lang, n=n) == text


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_plural_rules(n):
    """French: singular for 0 and 1 (and -1); English: singular for 1 only."""
    assert i18n.plural_index("fr", n) == (0 if abs(n) < 2 else 1)
    assert i18n.plural_index("en", n) == (0 if n == 1 else 1)


def test_a_plural_in_a_sentence_agrees_and_can_leave_the_number_out():
    assert i18n.t("x.preview_refused", "fr", n=1).startswith(nb("1 élément refusé : il ne sera pas importé"))
    assert i18n.t("x.preview_refused", "fr", n=2).startswith(nb("2 éléments refusés : ils ne seront pas importés"))
    assert i18n.t("x.preview_refused", "en", n=1).startswith("1 item refused: it will not")
    assert i18n.render("{n:~~est|sont}", "fr", {"n": 3}) == "sont"
    assert i18n.render("{n:~jour|jours}", "fr", {"n": "12"}) == "12 jours"  # a count read from the page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_report_says_each_count_with_its_own_form(lang):
    one = merge.Report(action="merge", source_id="Cbob0000", source_name="Bob", at="x", added=("a",),
                       conflicts=("c",), skipped=("s",))
    two = merge.Report(action="merge", source_id="Cbob0000", source_name="Bob", at="x", added=("a", "b"),
                       conflicts=("c", "d"), skipped=("s", "t"))
    expected = {
        "fr": ("Fusion depuis « Bob » : 1 ajouté, 0 mis à jour, 0 inchangé, 1 conflit résolu, 0 supprimé, "
               "1 laissé de côté.",
               "Fusion depuis « Bob » : 2 ajoutés, 0 mis à jour, 0 inchangé, 2 conflits résolus, 0 supprimé, "
               "2 laissés de côté."),
        "en": ("Merge from “Bob”: 1 added, 0 updated, 0 unchanged, 1 conflict resolved, 0 deleted, 1 left out.",
               "Merge from “Bob”: 2 added, 0 updated, 0 unchanged, 2 conflicts resolved, 0 deleted, 2 left out."),
    }[lang]
    expected = tuple(map(nb, expected)) if lang == "fr" else expected
    assert (one.summary(lang), two.summary(lang)) == expected
    assert i18n.report_summary(lang, "merge", "Bob", two.counts()) == expected[1]


def test_every_action_of_a_report_has_words_in_both_languages():
    for action in ("merge", "replace", "restore", "drop-source", "undo"):
        report = merge.Report(action=action, source_id="Cbob0000", source_name="Bob", at="x", added=("a",),
                              removed=("r", "s"), refused=("z",))
        fr, en = report.summary("fr"), report.summary("en")
        assert fr != en and "{" not in fr + en and "(s)" not in fr + en


def test_french_text_never_breaks_a_line_before_a_sign_or_inside_guillemets_but_values_stay_as_written():
    assert i18n.t("x.replace_title", "fr") == "Si vous choisissez «\u00a0Remplacer\u00a0»"
    assert i18n.t("cellule.saved", "fr", name="Quoi ? « ici »") == "Cellule «\u00a0Quoi ? « ici »\u00a0» enregistrée."
    assert i18n.t("x.replace_title", "en") == "If you choose “Replace”"
    assert i18n.t("fmt.federated", "fr", author="Bob") == "FÉDÉRÉ : par Bob"  # in files: plain spaces, as data


def test_a_preview_status_agrees_with_the_kind_of_item():
    assert [i18n.status_word("fr", s, "cellule") for s in ("new", "changed", "conflict", "unchanged")] == \
        ["nouvelle", "modifiée", "conflit", "inchangée"]
    assert [i18n.status_word("fr", s, "atelier") for s in ("new", "changed", "deleted")] == \
        ["nouveau", "modifié", "supprimé"]
    assert {i18n.status_word("en", s, k) for s in ("new",) for k in ("cellule", "atelier")} == {"new"}
    for status in merge.STATUSES:  # every status has words for both kinds in both languages
        for kind in ("cellule", "atelier"):
            assert i18n.status_word("fr", status, kind) != f"m.status.{status}"


def test_author_labels_in_both_languages():
    assert i18n.author_label("fr", "Alice") == "par Alice"
    assert i18n.author_label("fr", "Alice", ["Bob", "Chloé"]) == "par Alice, via Bob, Chloé"
    assert i18n.author_label("en", "Alice", ["Bob"]) == "by Alice, via Bob"


# --- errors -----------------------------------------------------------------------------------------

def test_an_errors_message_comes_from_i18n_in_the_asked_language():
    err = ValidationError("field.too_short", label=i18n.words("label.name"), limit=1)
    assert err.message("fr") == nb("Le champ « nom » doit contenir au moins 1 caractère.")
    assert err.message("en") == "The field “name” needs at least 1 character."
    assert str(err) == err.message("fr") == i18n.error_text("field.too_short", "fr", label="nom", limit=1)
    assert i18n.error_text("field.too_short", "en", label="--name", limit=1) == \
        "The field “--name” needs at least 1 character."  # a plain value reads the same in every language
    assert ValidationError("field.too_short", label="nom", limit=3).message("fr").endswith(
        "3 caractères.")


def test_an_unknown_code_or_a_missing_parameter_still_gives_a_sentence():
    assert CellulesError("no.such.code").message("fr") == nb("Erreur : no.such.code")
    assert CellulesError("no.such.code").message("en") == "Error: no.such.code"
    assert CellulesError("field.required").message("fr") == i18n.ERRORS["field.required"][0]  # never a traceback



# --- details of errors: Words, rendered in the reader's language -------------------------------------

def test_a_detail_given_as_words_reads_in_the_language_of_the_message():
    from app.core import document, model

    with pytest.raises(ValidationError) as err:
        model.check_field(model.CELLULE_FIELDS[3], "brussels")  # the place of a cellule
    assert err.value.message("fr") == nb("Le champ « lieu » n’a pas le bon format : un code de lieu de la carte "
                                         "(15 chiffres ou lettres de a à f).")
    assert err.value.message("en") == "The field “place” is malformed: a map place code (15 digits or letters a to f)."
    with pytest.raises(CellulesError) as err:
        document.parse_text("{\u201cversion\u201d: 1}")  # pasted through a chat app
    assert err.value.message("fr") == nb(
        "Ce texte n’est pas un export lisible : il est abîmé ou incomplet (ligne 1, colonne 2 : nom de champ attendu "
        "entre guillemets droits ; le texte contient des guillemets typographiques (“ ” « ») : une messagerie a sans "
        "doute transformé les guillemets droits, copiez le texte original ou envoyez le fichier).")
    assert err.value.message("en") == (
        "This text is not a readable export: it is damaged or incomplete (line 1, column 2: field name expected in "
        "straight quotes; the text contains curly quotes (“ ”): a messaging app probably changed the straight "
        "quotes, copy the original text or send the file).")


def test_an_error_inside_another_reads_in_one_language_after_a_colon():
    inner = ValidationError("field.required", label=i18n.words("label.title"))
    outer = CellulesError("doc.schema", where="ateliers[0]", detail=inner.words())
    assert outer.message("fr") == nb("Document invalide à ateliers[0] : le champ « titre » est obligatoire.")
    assert outer.message("en") == "Invalid document at ateliers[0]: the field “title” is required."


def test_words_are_checked_when_made_and_lists_of_words_join():
    with pytest.raises(ValueError):
        i18n.words("d.no_such_phrase")
    with pytest.raises(ValueError):
        i18n.Words(key="no.such.code", error=True)
    quoted = tuple(i18n.words("d.quoted", text=x) for x in ("Parc", "Gare"))
    assert i18n.error_text("undo.would_lose", "fr", n=2, what=quoted).endswith(
        nb("(« Parc », « Gare »). Confirmez pour annuler quand même."))
    assert "(“Parc”, “Gare”)" in i18n.error_text("undo.would_lose", "en", n=2, what=quoted)


PARAMS = st.dictionaries(st.sampled_from(["name", "limit", "n", "key", "id", "value", "fields", "char", "text",
                                          "type", "values", "names", "kind", "start", "end", "detail"]),
                         st.one_of(st.integers(0, 10**6), st.text(max_size=12)), max_size=16)


@given(st.sampled_from(sorted(i18n.DETAILS)), st.sampled_from(["fr", "en"]), PARAMS)
def test_a_phrase_inside_a_message_reads_as_its_own_template_in_that_language(key, lang, params):
    """Law: the message of an error whose detail is words(key, **p) is the message whose detail is
    the template of `key` in that language rendered with p — nesting never mixes languages."""
    template = i18n.DETAILS[key][lang == "en"]
    needed = {name: params.get(name, 7) for _, name, _, _ in string.Formatter().parse(template)
              if name}
    nested = i18n.error_text("doc.value", lang, where="x", detail=i18n.words(key, **needed))
    direct = i18n.error_text("doc.value", lang, where="x", detail=i18n.render(template, lang, needed))
    assert nested == direct

# --- backups (one rule for the CLI and the browser) ----------------------------------------------------

def _state(last: int | None) -> State:
    return State(instance_id="C1234abc", instance_name="Asso",
                 last_full_export_at=format_ms(last) if last is not None else None)


def test_backup_age_and_reminder():
    assert actions.backup_age(_state(None), T0) == actions.BackupAge(days=None, remind=False)
    assert actions.backup_age(_state(None), T0).code == "x.never_backed_up"
    assert actions.backup_age(_state(T0), T0 + 30 * DAY + DAY - 1) == actions.BackupAge(days=30, remind=False)
    old = actions.backup_age(_state(T0), T0 + 31 * DAY)
    assert old == actions.BackupAge(days=31, remind=True) and old.code == "x.last_backup_old"
    assert actions.backup_age(_state(T0 + DAY), T0).days == 0  # a clock behind the export is not « -1 jour »
    assert i18n.t(old.code, "fr", days=old.days) == "Dernière sauvegarde il y a 31 jours — Tout exporter"
    assert i18n.t("x.last_backup", "fr", days=1) == "Dernière sauvegarde complète il y a 1 jour."
    today = actions.backup_age(_state(T0), T0 + DAY - 1)  # an export made today is not « il y a 0 jour »
    assert today.code == "x.last_backup_today" and actions.backup_age(_state(T0), T0 + DAY).code == "x.last_backup"
    assert i18n.t(today.code, "fr", days=0) == "Dernière sauvegarde complète aujourd’hui."


@given(st.integers(min_value=0, max_value=4_000_000_000_000), st.integers(min_value=0, max_value=400 * DAY))
def test_a_reminder_comes_exactly_after_thirty_whole_days(last, elapsed):
    age = actions.backup_age(_state(last), last + elapsed)
    assert age.days == elapsed // DAY and age.remind == (elapsed // DAY > actions.BACKUP_REMIND_AFTER_DAYS)


def test_a_full_export_stamps_the_time_it_was_made():
    state = actions.stamp_full_export(_state(None), T0)
    assert state.last_full_export_at == format_ms(T0)
    assert actions.backup_age(state, T0).days == 0


# --- help, file names, the undo and close buttons ------------------------------------------------------

def test_the_help_has_every_section_in_both_languages_step_for_step():
    fr, en = i18n.help_sections("fr"), i18n.help_sections("en")
    assert len(fr) == len(en) == len(i18n.HELP_SECTIONS)
    for (title_fr, steps_fr), (title_en, steps_en) in zip(fr, en, strict=True):
        assert title_fr != title_en and steps_fr and len(steps_fr) == len(steps_en)
    text = " ".join(" ".join(steps) for _, steps in fr)
    for words in ("Tout exporter", "Cellules seules", "CSV", "GeoJSON", "iCalendar", "Imprimer la liste",
                  "Montrer en QR animé", "Analyser le texte collé", "adresse web", "photo", "Fusionner",
                  "Remplacer", "FÉDÉRÉ",
                  "Supprimer cette source", "Annuler le dernier import", "Rétablir cette valeur",
                  "Restaurer cette sauvegarde", "sans réseau", "Installer l’application"):
        assert words in text, words


def test_full_backups_and_cellules_only_exports_have_distinct_file_names():
    at = datetime(2026, 12, 5, 9, 7)
    full = i18n.export_file_name("fr", "full", "Asso-Nord", at)
    light = i18n.export_file_name("fr", "cellules", "Asso-Nord", at)
    assert (full, light) == ("Asso-Nord-sauvegarde-2026-12-05-09h07.json", "Asso-Nord-cellules-2026-12-05.json")
    assert i18n.export_file_name("fr", "full", "", at) == "groupe-sauvegarde-2026-12-05-09h07.json"
    assert i18n.export_file_name("en", "full", "", at) == "group-backup-2026-12-05-09h07.json"


def test_close_and_undo_the_last_import_are_never_the_same_word():
    closes = {i18n.t(k) for k in ("q.close", "hi.close", "map.close")}
    assert closes == {"Fermer"} and i18n.t("x.undo") == "Annuler le dernier import"
    assert i18n.t("x.undo") not in closes and i18n.t("form.cancel") not in closes
