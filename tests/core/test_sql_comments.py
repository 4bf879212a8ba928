"""The Supabase file's opening comments speak to the volunteer who loads it, in the user's language
(French unless English is asked): what it holds, where to paste it in Supabase, that loading it again
is harmless. The SQL after them is the same in every language, and nothing a user typed goes into a
comment (were a line break ever in it, it would end the comment and run as SQL)."""

from __future__ import annotations

from dataclasses import replace as dc_replace

from hypothesis import given, settings
from strategies import NODES, T0, rand, states

from app.core import actions, i18n, sql

NOW = 1_769_680_800_000  # 2026-01-29 10:00 UTC, 11 h in Brussels


def comments(text: str) -> list[str]:
    return text[:text.index("BEGIN;\n")].splitlines()


def body(text: str) -> str:
    return text[text.index("BEGIN;\n"):]


def group():
    state = actions.new_state(name="Asso Nord", random_bytes=rand("nord"))
    ids = []
    for i, name in enumerate(("Potager", "Voisins", "Vélo")):
        state, c = actions.create_cellule(state, {"nodeId": NODES[i], "name": name}, now_ms=T0 + i,
                                          random_bytes=rand(f"c{i}"))
        ids.append(c.id)
    state, _ = actions.create_atelier(state, {"celluleId": ids[0], "title": "Semis",
                                              "startsAt": "2026-03-07T18:00:00Z"}, now_ms=T0 + 10,
                                      random_bytes=rand("a"))
    return actions.delete(state, "cellule", ids[1], now_ms=T0 + 20), ids


def test_the_comments_say_in_french_what_the_file_holds_and_how_to_load_it():
    state, _ = group()
    text = sql.to_sql(state, now_ms=NOW)
    assert text == sql.to_sql(state, now_ms=NOW, lang="fr")
    nb = "\u00a0"
    assert comments(text) == [
        f"-- Cellules FWB{nb}: fichier pour Supabase (PostgreSQL), fait le jeudi 29 janvier 2026 à 11{nb}h par le",
        f"-- groupe de référence {state.instance_id}.",
        "-- Il contient 3 cellules et 1 atelier, les supprimés compris (pour que leur suppression arrive aussi",
        "-- dans la base).",
        f"-- Pour le charger{nb}: dans Supabase, menu «{nb}SQL Editor{nb}», une nouvelle requête («{nb}New "
        f"query{nb}»), collez",
        f"-- tout ce fichier et cliquez «{nb}Run{nb}». Les tables doivent exister{nb}: la personne qui a installé "
        "la base",
        "-- les a créées une fois (docs/supabase.md du projet Cellules FWB).",
        "-- Le charger encore une fois, ou charger les fichiers des autres appareils dans n’importe quel ordre,",
        f"-- ne crée aucun doublon{nb}: chaque champ garde sa valeur la plus récente, comme quand on fusionne "
        "dans",
        "-- l’application.",
    ]


def test_in_english_only_the_comments_change():
    state, _ = group()
    french, english = sql.to_sql(state, now_ms=NOW), sql.to_sql(state, now_ms=NOW, lang="en")
    assert body(english) == body(french)
    assert comments(english)[:2] == [
        "-- Cellules FWB: file for Supabase (PostgreSQL), made on Thursday, 29 January 2026 at 11 am by the",
        f"-- group with reference {state.instance_id}."]
    assert "-- click “Run”. The tables must exist: the person who set up the database created them once" in \
        comments(english)


def test_ateliers_left_out_are_counted_and_named_in_the_users_language():
    state, ids = group()
    orphaned = dc_replace(state, cellules={k: v for k, v in state.cellules.items() if k != ids[0]})
    (atelier,) = orphaned.ateliers
    for lang in ("fr", "en"):
        lines = comments(sql.to_sql(orphaned, now_ms=NOW, lang=lang))
        assert " ".join(line[3:] for line in lines[-2:]) == i18n.t("supabase_file.left_out", lang, n=1, ids=atelier)
    assert comments(sql.to_sql(orphaned, now_ms=NOW))[-2:] == [
        "-- Laissés de côté\u00a0: 1 atelier dont ce groupe n’a pas la cellule (jamais montrés dans "
        "l’application)\u00a0:",
        f"-- {atelier}"]
    assert f"(E'{atelier}'" not in sql.to_sql(orphaned, now_ms=NOW)


@settings(max_examples=40, deadline=None)
@given(states(name="Nord'); DROP TABLE public.cellules; --"))
def test_every_comment_line_is_a_comment_and_names_nothing_a_user_typed(state):
    for lang in ("fr", "en"):
        text = sql.to_sql(state, now_ms=NOW, lang=lang)
        lines = comments(text)
        assert lines and all(line.startswith("-- ") and len(line) <= 3 + sql.HEADER_WIDTH for line in lines)
        assert "DROP TABLE" not in "\n".join(lines)
        assert body(text) == body(sql.to_sql(state, now_ms=NOW, lang="fr"))
