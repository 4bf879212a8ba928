"""QR codes made by the app decode with an independent decoder (zxing-cpp) back to the same cellule."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import zxingcpp
from PIL import Image

from app.cli import main
from app.core import document, fountain, i18n, payload, qr, transfer

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][99][0]


def run(*argv) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return exit_.code


def decode_png(path: Path) -> str:
    found = zxingcpp.read_barcodes(Image.open(path).convert("L"))
    # zxing once reported two results for one fountain frame: one distinct QR text is what
    # matters — an image holding two different codes still fails.
    texts = {b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode}
    assert len(texts) == 1, [(b.format, b.text[:40]) for b in found]
    return texts.pop()


def test_a_typical_cellule_fits_one_code_of_version_20_or_less_and_decodes_back(tmp_path, capsys):
    state = tmp_path / "s.json"
    run("init", state, "--name", "Alice")
    capsys.readouterr()
    description = ("Réparations de vélos, prêt d’outils et café le samedi matin à la maison de quartier. " * 5)[:300]
    run("cellule", "add", state, "--name", "Cellule Vélo Outremeuse", "--node", NODE, "--description", description,
        "--contact", "velo.outremeuse@example.be")
    cid = capsys.readouterr().out.strip()
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    assert run("qr", state, cid, "-o", png) == 0
    assert run("qr", state, cid, "-o", svg) == 0
    out = capsys.readouterr().out
    assert svg.read_text().startswith("<svg")
    text = decode_png(png)
    version = qr.make(text).version
    assert version <= 20
    assert out == f"QR version {version}-M : {png}\nQR version {version}-M : {svg}\n"
    assert text.startswith("FWB1:")
    incoming = document.read_document(document.parse_text(transfer.read_any(text)))
    original = document.loads_state(state.read_bytes()).cellules[cid]
    assert incoming.cellules[cid] == original
    # and it imports into another instance as that very cellule
    other = tmp_path / "o.json"
    run("init", other, "--name", "Bob")
    (tmp_path / "scan.txt").write_text(text)
    assert run("import", other, tmp_path / "scan.txt") == 0
    assert document.loads_state(other.read_bytes()).cellules[cid].name == "Cellule Vélo Outremeuse"


def test_with_link_base_the_code_holds_the_app_link_so_any_camera_app_opens_the_preview(tmp_path, capsys):
    state = tmp_path / "s.json"
    run("init", state, "--name", "Alice")
    description = ("Réparations de vélos, prêt d’outils et café le samedi matin à la maison de quartier. " * 5)[:300]
    run("cellule", "add", state, "--name", "Cellule Vélo", "--node", NODE, "--description", description,
        "--contact", "velo@example.be")
    cid = capsys.readouterr().out.strip().splitlines()[-1]
    png = tmp_path / "link.png"
    assert run("qr", state, cid, "-o", png, "--link-base", "https://cellules.example.be/app/") == 0
    version = int(capsys.readouterr().out.split("version ")[1].split("-")[0])
    assert version <= 20
    text = decode_png(png)
    base, key, tail = text.partition("#import=")
    assert base == "https://cellules.example.be/app/" and key
    assert set(tail) <= set(payload.ALPHABET) and " " not in tail  # a valid URL, alphanumeric QR mode
    incoming = document.read_document(document.parse_text(transfer.read_any(text)))
    assert incoming.cellules[cid] == document.loads_state(state.read_bytes()).cellules[cid]
    # not a web address: a French message, nothing written
    assert run("qr", state, cid, "-o", tmp_path / "x.png", "--link-base", "javascript:alert(1)") == 1
    assert "http" in capsys.readouterr().err and not (tmp_path / "x.png").exists()


def test_link_segments_cost_less_than_a_byte_mode_link():
    import segno

    text = payload.encode({"version": "1.0", "blob": "x" * 400, "n": list(range(150))})
    link = payload.make_link("https://cellules.example.be/", text)
    assert transfer.read_any(link) == payload.decode(text)
    assert qr.make(link).version < segno.make(link, error="m").version


def test_a_whole_export_becomes_fountain_frames_and_a_gif_any_sufficient_subset_imports(tmp_path, capsys):
    state = tmp_path / "s.json"
    run("init", state, "--name", "Alice")
    for i in range(40):
        run("cellule", "add", state, "--name", f"Cellule numéro {i}", "--node", NODE,
            "--description", f"Description {i} " + "".join(random.Random(i).choices("abcdefghij ", k=i * 40)))
    capsys.readouterr()
    frames = tmp_path / "frames"
    assert run("qr", state, "--all", "-o", frames, "--fps", "6") == 0
    out = capsys.readouterr().out
    pngs = sorted(frames.glob("frame-*.png"))
    texts = [decode_png(p) for p in pngs]
    assert out == "\n".join([i18n.t("cli.qr_frames", n=len(texts), path=frames, half=math.ceil(len(texts) / 2)),
                             f"animation : {frames / 'qr-anime.gif'} (6 images par seconde)", ""])
    assert texts == (frames / "frames.txt").read_text().split("\n")[:-1]
    plain = fountain.parse(texts[0]).count
    assert plain >= 2 and len(texts) == plain + max(4, plain)  # K plain frames, then K combinations (≥ 4)
    for text in texts:
        assert text.startswith("FWBF:") and set(text) <= set(payload.ALPHABET)
        assert qr.make_frame(text).version <= 20 and qr.make_frame(text).error == "L"
    # The GIF shows the same frames, in the same order, at the asked speed.
    gif = Image.open(frames / "qr-anime.gif")
    assert (gif.n_frames, gif.info["duration"]) == (len(texts), 160)  # 1000 / 6 ms, as whole 1/100 s of a GIF
    for i in (0, plain, len(texts) - 1):
        gif.seek(i)
        assert zxingcpp.read_barcodes(gif.convert("L"))[0].text == texts[i]
    # A third of the frames lost, the rest shuffled: it still imports, every cellule.
    rnd = random.Random(3)
    kept = [t for t in texts if rnd.random() > 0.33]
    rnd.shuffle(kept)
    scanned = tmp_path / "scanned.txt"
    scanned.write_text("\n".join(kept) + "\n")
    other = tmp_path / "o.json"
    run("init", other, "--name", "Bob")
    assert run("import", other, scanned) == 0
    assert len(document.loads_state(other.read_bytes()).live_cellules()) == 40
    # Too few frames: how far it got, nothing written.
    scanned.write_text("\n".join(texts[: plain // 2]) + "\n")
    before = other.read_bytes()
    assert run("import", other, scanned) == 1
    assert "continuez à scanner" in capsys.readouterr().err
    assert other.read_bytes() == before
    # Only the GIF, and « Cellules seules »
    assert run("qr", state, "--all", "--cellules", "-o", tmp_path / "anim.gif") == 0
    assert Image.open(tmp_path / "anim.gif").n_frames >= 2
    assert run("qr", state, "--all", "-o", tmp_path / "x.gif", "--fps", "0") == 1
    assert "--fps" in capsys.readouterr().err and not (tmp_path / "x.gif").exists()


def test_without_pillow_the_frames_are_written_and_the_gif_is_explained(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    state = tmp_path / "s.json"
    run("init", state, "--name", "Alice")
    capsys.readouterr()
    monkeypatch.setattr(builtins, "__import__", no_pil)
    assert run("qr", state, "--all", "-o", tmp_path / "f") == 0
    assert "pip install 'cellules-fwb[gif]'" in capsys.readouterr().out
    assert (tmp_path / "f" / "frames.txt").exists() and not (tmp_path / "f" / "qr-anime.gif").exists()
    assert run("qr", state, "--all", "-o", tmp_path / "a.gif") == 1
    assert "Pillow" in capsys.readouterr().err and not (tmp_path / "a.gif").exists()


def test_a_cellule_code_falls_back_from_link_to_bare_payload_to_frames_never_beyond_version_20():
    rnd = random.Random(6)
    alphabet = payload.ALPHABET

    def body(n):
        return "FWB1:" + "".join(rnd.choice(alphabet) for _ in range(n))

    base = "https://cellules.example.be/une/adresse/assez/longue/"
    small, medium, large = body(300), body(940), body(3000)
    assert qr.cellule_frames(small, base) == [payload.make_link(base, small)]
    assert qr.make(payload.make_link(base, medium)) is None and qr.make(medium) is not None
    assert qr.cellule_frames(medium, base) == [medium]  # the app's scanner still reads it
    frames = qr.cellule_frames(large, base)
    assert len(frames) > 1 and all(qr.make(f).version <= 20 for f in frames)
    assert payload.assemble(reversed(frames)) == large
    assert qr.cellule_frames(small) == [small]  # no known address (CLI without --link-base)
