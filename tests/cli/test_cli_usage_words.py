"""argparse's own words in the CLI's French: the usage line, the help's headings and every usage error
the parser can give (app/cli.py argparse_in_french, the `cli.args.*` entries of app/core/i18n.py)."""

from __future__ import annotations

import argparse
import re

import pytest

from app import cli
from app.cli import main
from app.core import i18n

NB = "\u00a0"  # French typography: the space before « : » and inside guillemets does not break
ROOT_USAGE = f"utilisation{NB}: python -m app [-h] COMMANDE ..."
COMMANDS = "'init', 'cellule', 'atelier', 'list', 'validate', 'export', 'to-sql', 'import', 'sources', " \
           "'drop-source', 'undo', 'qr', 'serve'"
INIT_USAGE = f"utilisation{NB}: python -m app init [-h] [--name NOM] [--from SAUVEGARDE.json]\n" \
             "                                 ÉTAT"
EXPORT_USAGE = "\n".join([
    f"utilisation{NB}: python -m app export [-h] [-o SORTIE] [--cellules-only]",
    "                                   [--format {json,csv,geojson,ics}]",
    "                                   [--table {cellules,ateliers}]",
    "                                   [--cellule ID_CELLULE]",
    "                                   ÉTAT",
])


@pytest.fixture(autouse=True)
def columns(monkeypatch):
    """argparse wraps the usage at the terminal's width: 80 columns, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "80")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse refusals and -h
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "usage", "error"), [
    ([], ROOT_USAGE, f"il manque{NB}: COMMANDE"),
    (["frob"], ROOT_USAGE, f"argument COMMANDE{NB}: choix impossible{NB}: «{NB}frob{NB}» (au choix{NB}: {COMMANDS})"),
    (["list", "s.json", "--bogus", "extra"], ROOT_USAGE, f"arguments inconnus{NB}: --bogus extra"),
    (["init"], INIT_USAGE, f"il manque{NB}: ÉTAT"),
    (["init", "s.json", "--name"], INIT_USAGE, f"argument --name{NB}: une valeur est attendue"),
    (["export"], EXPORT_USAGE, f"il manque{NB}: ÉTAT"),
    (["export", "s.json", "-o", "x.pdf", "--format", "pdf"], EXPORT_USAGE,
     f"argument --format{NB}: choix impossible{NB}: «{NB}pdf{NB}» (au choix{NB}: 'json', 'csv', 'geojson', 'ics')"),
    (["export", "s.json", "-o", "x.json", "--c"], EXPORT_USAGE,
     f"option ambiguë{NB}: --c peut être --cellules-only, --cellule"),
    (["qr", "s.json", "--fps", "vite", "-o", "x"],
     f"utilisation{NB}: python -m app qr [-h] [--all] [--cellules] [--fps N] -o SORTIE\n"
     "                               [--link-base URL]\n"
     "                               ÉTAT [ID_CELLULE]",
     f"argument --fps{NB}: valeur impossible pour le type int{NB}: «{NB}vite{NB}»"),
    (["sources", "s.json", "--json=oui"],
     f"utilisation{NB}: python -m app sources [-h] [--json] [--refresh [ID_SOURCE]]\n"
     "                                    [--dry-run]\n"
     "                                    ÉTAT",
     f"argument --json{NB}: cette option ne prend pas de valeur («{NB}oui{NB}»)"),
])
def test_a_usage_error_is_the_french_usage_then_one_french_line_and_status_1(capsys, tmp_path, monkeypatch, argv,
                                                                            usage, error):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *argv) == (1, "", f"{usage}\nerreur : {error}\n")
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_help_speaks_french_and_argparse_is_english_again_afterwards(capsys):
    assert run(capsys, "undo", "-h") == (0, "\n".join([
        f"utilisation{NB}: python -m app undo [-h] [--force] ÉTAT",
        "",
        "arguments:",
        "  ÉTAT",
        "",
        "options:",
        "  -h, --help  affiche cette aide et s’arrête",
        "  --force     annule même si cela retire des modifications faites depuis",
        "              (listées)",
        "",
    ]), "")
    assert argparse.ArgumentParser(prog="p").format_usage() == "usage: p [-h]\n"  # other parsers keep their words


def test_every_argparse_entry_has_the_same_fields_in_french_as_argparse_s_english():
    """argparse fills the French with the values it has for its English: the same %-fields, in any
    order, a value argparse quotes with repr (`%r`) shown between guillemets in French (`« %s »`)."""
    entries = {key: pair for key, pair in i18n.TEXTS.items() if key.startswith("cli.args.")}
    assert len(entries) == 12
    for key, (fr, en) in entries.items():
        assert sorted(FIELD.findall(fr)) == sorted(FIELD.findall(en)), key


FIELD = re.compile(r"%(\(\w+\))?[sr]")


def _actions(parser: argparse.ArgumentParser):
    """Every argument of the parser and of its commands, with the parser that holds it."""
    for action in parser._actions:
        yield parser, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_value_an_argument_takes_is_named_by_a_metavar_entry(lang):
    """No name of a value is argparse's default (the argument's name: `state`, `NAME`): each is a
    `cli.metavar.*` entry in the reader's language; only a closed list of values typed as they are
    (--format's, --table's) shows itself. Every entry is used."""
    metavars = {i18n.t(key, lang): key for key in i18n.TEXTS if key.startswith("cli.metavar.")}
    used, literal = set(), []
    for parser, action in _actions(cli.build_parser(lang)):
        if action.nargs == 0:  # -h and the flags: no value
            continue
        if action.metavar is None and action.choices and not isinstance(action, argparse._SubParsersAction):
            continue
        if action.metavar in metavars:
            used.add(metavars[action.metavar])
        else:
            literal.append((parser.prog, action.dest, action.metavar))
    assert literal == []
    assert used == set(metavars.values())


def test_the_help_reads_in_english_with_english_names_of_values_and_words():
    with cli.argparse_in("en"):
        text = cli.build_parser("en")._subparsers._group_actions[0].choices["atelier"] \
            ._subparsers._group_actions[0].choices["add"].format_help()
    assert text == "\n".join([
        "usage: python -m app atelier add [-h] --cellule CELLULE_ID --title TITLE",
        "                                 --starts START [--ends END] [--place PLACE]",
        "                                 [--description TEXT]",
        "                                 STATE",
        "",
        "positional arguments:",
        "  STATE",
        "",
        "options:",
        "  -h, --help            show this help message and exit",
        "  --cellule CELLULE_ID  the atelier's cellule (the ID `list` shows)",
        "  --title TITLE         title of the atelier",
        "  --starts START        start, date and time (e.g. 2026-01-28T18:30:00Z)",
        "  --ends END            end, date and time (e.g. 2026-01-28T20:00:00Z)",
        "  --place PLACE         where the atelier takes place (address, room…)",
        "  --description TEXT    description (free text)",
        "",
    ])


def test_a_command_s_actions_are_named_and_said(capsys):
    assert run(capsys, "cellule", "-h") == (0, "\n".join([
        f"utilisation{NB}: python -m app cellule [-h] ACTION ...",
        "",
        "arguments:",
        "  ACTION",
        "    add       ajoute une cellule",
        "    edit      modifie les champs donnés d’une cellule",
        "    delete    supprime une cellule",
        "",
        "options:",
        "  -h, --help  affiche cette aide et s’arrête",
        "",
    ]), "")
    assert run(capsys, "atelier", "frob") == (1, "", "\n".join([
        f"utilisation{NB}: python -m app atelier [-h] ACTION ...",
        f"erreur : argument ACTION{NB}: choix impossible{NB}: «{NB}frob{NB}» (au choix{NB}: 'add', 'edit', 'delete')",
        "",
    ]))
