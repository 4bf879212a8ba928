"""The command line's words are catalogue entries: its --help (`cli.help.*`), the labels and details of its
errors (`label.cli.*`, `d.cli.*`, rendered in the reader's language), and, where loading an address fails
as it fails in the browser (no connection, a file over the cap), the browser's own entries (`fetch.*`)."""

from __future__ import annotations

import argparse
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import cli
from app.core import document, i18n
from app.core.i18n import words
from tests.cli.cli_runs import run

pytestmark = pytest.mark.usefixtures("cli_clock")


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def _help_texts() -> set[str]:
    """Every text --help shows that the CLI writes itself (argparse's own words are `cli.args.*`)."""
    texts = set()
    with cli.argparse_in("fr"):
        parsers = list(_parsers(cli.build_parser()))
        own = i18n.t("cli.args.help")
    for parser in parsers:
        texts.add(parser.description)
        for action in parser._actions:
            texts.update({action.help, action.metavar} - {own})
            if isinstance(action, argparse._SubParsersAction):
                texts.update(choice.help for choice in action._choices_actions)
    return {text for text in texts if text}


def test_every_help_text_is_a_catalogue_entry_and_every_entry_shows():
    entries = {i18n.t(key) for key in i18n.TEXTS if key.startswith("cli.help.")}
    metavars = {i18n.t(key) for key in i18n.TEXTS if key.startswith("cli.metavar.")}
    assert _help_texts() == entries | metavars
    assert len(entries) == len([key for key in i18n.TEXTS if key.startswith("cli.help.")])  # none says the same
    assert i18n.t("cli.help.cellule") == "ajoute, modifie ou supprime une cellule"
    assert i18n.t("cli.help.init_name") == "nom de l’instance (ex. « Asso Quartier Nord »)"  # plain spaces
    assert i18n.t("cli.help.init_name", "en") == "name of the instance (e.g. “Asso Quartier Nord”)"


def test_the_help_of_a_command_shows_its_entries(capsys):
    code, out, err = run(capsys, "qr", "--help")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    for key in ("cli.help.qr_all", "cli.help.qr_cellules", "cli.help.qr_fps", "cli.help.qr_link_base"):
        assert i18n.t(key) in flat


def test_an_error_of_the_cli_reads_in_each_language(tmp_path, capsys):
    state = tmp_path / "state.json"
    assert run(capsys, "init", state)[:2] == (1, "")  # neither --name nor --from
    refused = cli.CliError("field.required", label=words("label.cli.name_or_backup"))
    assert refused.message("fr") == "Le champ «\u00a0--name (ou --from SAUVEGARDE.json)\u00a0» est obligatoire."
    assert refused.message("en") == "The field “--name (or --from)” is required."
    assert run(capsys, "init", state, "--name", "Asso")[0] == 0
    assert run(capsys, "qr", state, "--all", "--fps", "99", "-o", tmp_path / "x.gif") == (
        1, "", "erreur : Le champ « --fps » n’a pas le bon format : entre 1 et 30 images par seconde.")
    fps = cli.CliError("field.format", label="--fps", detail=words("d.cli.fps"))
    assert fps.message("en") == "The field “--fps” is malformed: between 1 and 30 images per second."
    existing = cli.CliError("doc.schema", where="state.json", detail=words("d.cli.state_exists"))
    assert run(capsys, "init", state, "--name", "Asso") == (1, "", "erreur : " + " ".join(
        str(existing).replace("state.json", str(state)).split()))
    assert existing.message("en") == "Invalid document at state.json: this file already exists (nothing was written)."


def _closed_port() -> int:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_port():
    """A local port that listens but whose queue of connections is full: a connection gets no answer at
    all. It is full once a connection has timed out (Linux drops what comes next, as a far host would)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    queued = []
    for _ in range(16):
        try:
            queued.append(socket.create_connection(("127.0.0.1", port), timeout=0.5))
        except TimeoutError:
            break
    else:
        pytest.fail("the queue of connections never filled")
    yield port
    for sock in queued:
        sock.close()
    server.close()


def test_an_address_nothing_answers_says_why_in_the_browser_s_sentence(tmp_path, capsys, monkeypatch, silent_port):
    """No such domain, a port where nothing listens, a host that never answers: the browser's sentence
    for no connection (« Pas de connexion : … est injoignable »), its parenthesis saying which, in French
    and English; nothing written."""
    state = tmp_path / "state.json"
    run(capsys, "init", state, "--name", "Asso")
    before = state.read_bytes()
    monkeypatch.setattr(cli, "MAX_URL_SECONDS", 1)
    advice = "Réessayez une fois connecté·e, ou demandez le fichier par un autre moyen."
    refused = f"http://127.0.0.1:{_closed_port()}/x.json"
    unknown = "http://cellules-fwb.invalid/x.json"  # .invalid never resolves (RFC 2606)
    silent = f"http://127.0.0.1:{silent_port}/x.json"
    for url, why in ((refused, "connexion refusée"), (unknown, "nom de domaine introuvable"),
                     (silent, "délai dépassé : aucune réponse en 1 s")):
        assert run(capsys, "import", state, url) == (
            1, "", f"erreur : Pas de connexion : « {url} » est injoignable ({why}). {advice}")
    assert state.read_bytes() == before
    english = {"d.cli.refused": "connection refused", "d.cli.no_domain": "domain name not found",
               "d.cli.no_network": "network unreachable"}
    for key, why in english.items():
        assert cli.CliError("url.not_reached", url="u", detail=words(key)).message("en") == (
            f"No connection: “u” cannot be reached ({why}). Try again once connected, or ask for the file "
            "another way.")
    assert cli.CliError("url.not_reached", url="u", detail=words("d.cli.no_answer", seconds=30)).message("en") \
        == "No connection: “u” cannot be reached (timed out: no answer in 30 s). Try again once connected, or " \
        "ask for the file another way."
    browser = " ".join(i18n.error_text("fetch.offline", "fr", url="u").split())
    assert browser == f"Pas de connexion : « u » est injoignable (appareil hors ligne ou site éteint). {advice}"


def test_no_network_is_named_as_such(monkeypatch):
    """A machine without a network (no route: the error the system gives, which a test cannot make)."""
    import errno

    def no_route(*_args, **_kwargs):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", no_route)
    with pytest.raises(cli.CliError) as refused:
        cli.fetch_url("http://192.0.2.1/x.json")
    assert " ".join(str(refused.value).split()) == (
        "Pas de connexion : « http://192.0.2.1/x.json » est injoignable (réseau inaccessible). Réessayez une "
        "fois connecté·e, ou demandez le fichier par un autre moyen.")


@pytest.fixture
def big_file_site():
    """A site whose file is 5 000 bytes, with or without announcing its length."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            if self.path == "/announced.json":
                self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b" " * 5000)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_file_over_the_cap_says_what_the_browser_says(tmp_path, capsys, monkeypatch, big_file_site):
    state = tmp_path / "state.json"
    run(capsys, "init", state, "--name", "Asso")
    before = state.read_bytes()
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", 4000)
    for path in ("/announced.json", "/streamed.json"):
        url = big_file_site + path
        assert run(capsys, "import", state, url) == (1, "", "erreur : Le fichier à « " + url + " » dépasse "
                                                     "4 ko : chargement arrêté, rien n’a changé.")
        assert i18n.error_text("fetch.too_large", "fr", url=url, limit=i18n.fmt_size("fr", 4000)) == \
            "Le fichier à «\u00a0" + url + "\u00a0» dépasse 4\u202fko\u00a0: chargement arrêté, rien n’a changé."
    assert state.read_bytes() == before


def test_the_cli_keeps_its_own_words_only_where_it_knows_more():
    """A deadline, a cut body, a redirect elsewhere, undecodable data: the browser's words tell its user to
    drop the file on the page, or cannot name what the CLI sees (the redirect's target, the bytes announced)."""
    assert {"url.timeout", "url.incomplete", "url.redirect", "url.encoding", "url.unreachable"} <= set(i18n.ERRORS)
    assert "url.too_large" not in i18n.ERRORS
    assert "url.not_reached" in i18n.ERRORS  # the browser's sentence, the cause named
    assert "glissez-le ici" in i18n.ERRORS["fetch.deadline"][0] and "glissez-le ici" in i18n.ERRORS["fetch.broken"][0]
