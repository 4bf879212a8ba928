"""`import` and `validate` of scanned animated-QR frames: a newer format asks for an update, a
damaged transfer says so, an oversized file is refused; one French line, nothing written."""

from __future__ import annotations

import random
import zlib

import pytest

from app.cli import main
from app.core import base45, document, fountain, payload


def run(*argv) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return exit_.code


def framed(version: int, frame: fountain.Frame, block: bytes | None = None) -> str:
    body = fountain._HEAD.pack(version, frame.tid, frame.length, frame.count, frame.seq) + (block or frame.block)
    return fountain.PREFIX + base45.b45encode(body + zlib.crc32(body).to_bytes(4, "big"))


def export_transfer() -> fountain.Transfer:
    doc = {"version": "1.0", "blob": random.Random(1).randbytes(1500).hex()}
    return fountain.Transfer.of(payload.compress(doc), block_size=200)


@pytest.fixture
def state(tmp_path, capsys):
    path = tmp_path / "s.json"
    assert run("init", path, "--name", "Alice") == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("command", ["import", "validate"])
def test_frames_of_a_newer_version_ask_for_an_update_not_for_more_frames(state, tmp_path, capsys, command):
    t = export_transfer()
    scanned = tmp_path / "frames.txt"
    scanned.write_text("\n".join(framed(2, fountain.parse(t.frame(seq))) for seq in range(2 * t.count)) + "\n")
    before = state.read_bytes()
    argv = ("import", state, scanned) if command == "import" else ("validate", scanned)
    assert run(*argv) == 1
    err = capsys.readouterr().err
    assert "mettez l’application à jour" in err and "format 2" in err and "%" not in err
    assert state.read_bytes() == before


def test_a_transfer_that_fails_its_sha_says_it_arrived_damaged(state, tmp_path, capsys):
    t = export_transfer()
    first = fountain.parse(t.frame(0))
    forged = framed(1, first, bytes([first.block[0] ^ 1]) + first.block[1:])
    scanned = tmp_path / "frames.txt"
    scanned.write_text("\n".join([forged] + t.frames(t.count)[1:]) + "\n")
    before = state.read_bytes()
    assert run("import", state, scanned) == 1
    err = capsys.readouterr().err
    assert "arrivé abîmé" in err and "Recommencez depuis le début" in err and "Pas encore assez" not in err
    assert state.read_bytes() == before


def test_a_frames_file_over_the_document_cap_is_refused_by_its_size(state, tmp_path, capsys):
    t = export_transfer()
    line = t.frame(0) + "\n"
    scanned = tmp_path / "frames.txt"
    scanned.write_text(line * (document.MAX_DOCUMENT_BYTES // len(line) + 1))
    size = scanned.stat().st_size
    before = state.read_bytes()
    assert run("import", state, scanned) == 1
    err = capsys.readouterr().err
    assert "Document trop volumineux" in err and f"{size} octets" in err
    assert state.read_bytes() == before
