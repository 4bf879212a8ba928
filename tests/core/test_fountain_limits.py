"""Receiving multi-code transfers under attack: caps before any decoding, a damaged transfer said
as damaged, a newer format said as such, and neighbours' transfers that can neither push out nor
replace the one being scanned. Costs are measured by counts and sizes (what was decoded), never
by time."""

from __future__ import annotations

import json
import random
import zlib

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import base45, document, fountain, parts, payload, qr
from app.core.errors import DocumentError
from app.core.transfer import MAX_FRAMES, MAX_TRANSFERS, Receiver, check_lines, decode_lines, read_any


def transfer(size: int, block: int, seed: int = 0) -> tuple[bytes, fountain.Transfer]:
    data = random.Random(seed).randbytes(size)
    return data, fountain.Transfer.of(data, block_size=block)


def framed(version: int, tid: bytes, length: int, count: int, seq: int, block: bytes) -> str:
    """A frame with a valid CRC whatever its header says (a forger's frame)."""
    body = fountain._HEAD.pack(version, tid, length, count, seq) + block
    return fountain.PREFIX + base45.b45encode(body + zlib.crc32(body).to_bytes(4, "big"))


def newer_frames(count: int) -> list[str]:
    """Frames of a version-2 sender (as a v1 reader sees them: a version byte of 2)."""
    _, t = transfer(800, 100, seed=11)
    out = []
    for seq in range(count):
        f = fountain.parse(t.frame(seq))
        out.append(framed(2, f.tid, f.length, f.count, f.seq, f.block))
    return out


@pytest.fixture
def decoded(monkeypatch) -> list[int]:
    """The length of every Base45 text decoded (frames, parts, codes), and of every frame parsed
    as -1 (a parse that begins), from here on."""
    seen: list[int] = []

    def b45(text, real=base45.b45decode):
        seen.append(len(text))
        return real(text)

    def parse(text, real=fountain.parse):
        seen.append(-1)
        return real(text)

    monkeypatch.setattr(base45, "b45decode", b45)
    monkeypatch.setattr(fountain, "b45decode", b45)
    monkeypatch.setattr(fountain, "parse", parse)
    monkeypatch.setattr("app.core.transfer.parse", parse)  # the Receiver's reader of frames
    return seen


# --- caps before any decoding -----------------------------------------------------------------

@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_text_over_the_document_cap_is_refused_before_anything_is_decoded(decoded, as_bytes):
    _, t = transfer(2_000, 373, seed=1)
    frame = t.frame(0)
    lines = (document.MAX_DOCUMENT_BYTES // (len(frame) + 1)) + 1
    text = "\n".join([frame] * lines)
    assert len(text) == lines * (len(frame) + 1) - 1 > document.MAX_DOCUMENT_BYTES
    with pytest.raises(DocumentError) as err:
        read_any(text.encode("ascii") if as_bytes else text)
    assert (err.value.code, err.value.params) == ("doc.too_large", {"size": len(text),
                                                                     "limit": document.MAX_DOCUMENT_BYTES})
    assert decoded == []
    assert str(err.value) == f"Document trop volumineux\u00a0: {len(text)} octets (maximum 20971520)."


@pytest.mark.parametrize("prefix", ["FWB1:", "FWBP:1/2/0A0B0C0D:"])
def test_a_code_or_parts_over_the_document_cap_are_refused_before_anything_is_decoded(decoded, prefix):
    text = prefix + "A" * document.MAX_DOCUMENT_BYTES
    with pytest.raises(DocumentError) as err:
        read_any(text)
    assert err.value.code == "doc.too_large" and decoded == []


def test_more_frames_than_the_longest_loop_are_refused_before_any_is_decoded(decoded):
    data, t = transfer(100, 373, seed=2)
    frame = t.frame(0)
    with pytest.raises(DocumentError) as err:
        read_any("\n".join([frame] * (MAX_FRAMES + 1)))
    assert (err.value.code, err.value.params) == ("fountain.frame_count",
                                                  {"count": MAX_FRAMES + 1, "limit": MAX_FRAMES})
    assert decoded == []
    assert "2001 images de QR" in str(err.value) and "maximum 2000" in str(err.value)
    # At the cap, the text is read: one frame parsed (header, then the whole), then it decoded.
    assert decode_lines([frame] * MAX_FRAMES + [""] * 5) == data
    assert decoded == [-1, fountain._HEAD_CHARS, len(frame) - len(fountain.PREFIX)]


@pytest.mark.parametrize("where", [0, 7, 19])
def test_a_line_longer_than_a_qr_code_holds_is_refused_before_any_frame_is_decoded(decoded, where):
    _, t = transfer(3_000, 200, seed=3)
    lines = t.frames(20)
    lines[where] = fountain.PREFIX + "A" * (fountain.MAX_FRAME_CHARS - len(fountain.PREFIX) + 1)
    with pytest.raises(DocumentError) as err:
        read_any("\n".join(lines))
    assert (err.value.code, err.value.params) == ("fountain.line_size", {
        "line": where + 1, "chars": fountain.MAX_FRAME_CHARS + 1, "limit": fountain.MAX_FRAME_CHARS})
    assert decoded == []
    # Parts are held to the same caps.
    code = payload.encode({"version": "1.0", "blob": random.Random(5).randbytes(2000).hex()})
    split = payload.split(code, 200)
    split[1] = split[1] + "A" * fountain.MAX_FRAME_CHARS
    with pytest.raises(DocumentError) as err:
        read_any("\n".join(split))
    assert err.value.code == "fountain.line_size" and err.value.params["line"] == 2 and decoded == []


def test_the_caps_are_what_a_qr_code_holds_and_the_longest_loop_the_app_sends():
    """MAX_FRAME_CHARS is the capacity of the largest QR code (version 40-L, alphanumeric); the
    app's largest transfer (MAX_BLOCKS blocks) loops over exactly MAX_FRAMES frames, each far
    under the cap, and its frames text passes the caps."""
    biggest = segno.make([("A" * fountain.MAX_FRAME_CHARS, segno.consts.MODE_ALPHANUMERIC)], error="L",
                         boost_error=False, micro=False)
    assert biggest.version == 40
    with pytest.raises(segno.encoder.DataOverflowError):
        segno.make([("A" * (fountain.MAX_FRAME_CHARS + 1), segno.consts.MODE_ALPHANUMERIC)], error="L",
                   boost_error=False, micro=False)
    largest = fountain.Transfer.of(bytes(fountain.MAX_BLOCKS * 10), block_size=10)
    assert largest.count == fountain.MAX_BLOCKS and qr.loop_length(largest) == MAX_FRAMES
    frames = largest.frames(qr.loop_length(largest))
    check_lines(frames)
    assert decode_lines(frames) == bytes(fountain.MAX_BLOCKS * 10)
    assert len(fountain.Transfer.of(bytes(1), block_size=qr.FRAME_BLOCK).frame(0)) <= qr.FRAME_CHARS


def test_a_scanned_text_longer_than_a_qr_code_holds_is_ignored_undecoded(decoded):
    receiver = Receiver()
    for text in (fountain.PREFIX + "A" * fountain.MAX_FRAME_CHARS, "FWBP:1/1/0A0B0C0D:" + "A" * 5000):
        assert receiver.feed(text).status == "damaged"
    assert decoded == [] and receiver.decoders == {}
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert err.value.code == "fountain.frame_size"


@pytest.mark.parametrize(("count", "length", "why"), [
    (0, 10, "no block"),
    (fountain.MAX_BLOCKS + 1, 10, "more blocks than a transfer may have"),
    (3, 3 * 50 + 1, "more data than its blocks carry"),
    (3, 2 * 50, "so little data that a block would be empty"),
    (1000, 2**32 - 1, "a length of 4 GB"),
])
def test_a_frame_declaring_sizes_it_cannot_carry_is_refused_on_its_header_alone(decoded, count, length, why):
    text = framed(1, bytes(8), length, count, 0, bytes(50))
    receiver = Receiver()
    assert receiver.feed(text).status == "damaged", why
    assert decoded == [-1, fountain._HEAD_CHARS]  # the header's characters only: the block is never decoded
    assert receiver.decoders == {}
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert err.value.code == "fountain.frame"


# --- a transfer that does not check out -------------------------------------------------------

def forged_set() -> tuple[bytes, fountain.Transfer, list[str]]:
    """K frames of one transfer, the first with a block altered and its CRC recomputed."""
    data, t = transfer(3_000, 100, seed=9)
    first = fountain.parse(t.frame(0))
    lie = bytes([first.block[0] ^ 0x80]) + first.block[1:]
    return data, t, [framed(1, first.tid, first.length, first.count, 0, lie)] + t.frames(t.count)[1:]


def test_a_set_that_passes_the_crc_but_not_the_sha_says_the_transfer_is_damaged():
    _, t, frames = forged_set()
    with pytest.raises(DocumentError) as err:
        read_any("\n".join(frames))
    assert err.value.code == "fountain.checksum"
    french = err.value.message("fr").replace("\u00a0", " ")
    assert french == ("Ce QR animé est arrivé abîmé : les images reçues ne redonnent pas l’export envoyé. "
                      "Recommencez depuis le début : relancez l’envoi et le scan.")
    assert err.value.message("en") == ("This animated QR arrived damaged: the frames received do not give back the "
                                       "export that was sent. Start again from the beginning: restart the sending "
                                       "and the scan.")
    # More frames after the damage that still fall short: still « damaged », not « not enough yet ».
    with pytest.raises(DocumentError) as err:
        decode_lines(frames + t.frames(t.count // 2, start=t.count))
    assert err.value.code == "fountain.checksum"


def test_after_a_damaged_decode_the_honest_frames_that_follow_still_decode():
    data, t, frames = forged_set()
    assert decode_lines(frames + t.frames(t.count)) == data


def test_parts_that_do_not_fit_together_say_so_when_scanned():
    code = payload.encode({"version": "1.0", "blob": random.Random(6).randbytes(300).hex()})
    split = payload.split(code, 100)
    altered = split[1][:-1] + ("B" if split[1][-1] != "B" else "C")
    receiver = Receiver()
    statuses = [receiver.feed(p).status for p in [split[0], altered] + split[2:]]
    assert statuses == ["new"] * (len(split) - 1) + ["failed"] and receiver.current().rank == 0
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert err.value.code == "payload.checksum"
    assert [receiver.feed(p).status for p in split] == ["new"] * (len(split) - 1) + ["done"]
    assert payload.inflate(receiver.result()) == payload.decode(code)


# --- a newer format ---------------------------------------------------------------------------

def test_frames_of_a_newer_version_ask_for_an_update_in_the_paste_and_the_file():
    text = "\n".join(newer_frames(8))
    for form in (text, text.encode("ascii")):
        with pytest.raises(DocumentError) as err:
            read_any(form)
        assert (err.value.code, err.value.params) == ("fountain.version", {"version": 2})
        assert "mettez l’application à jour" in err.value.message("fr")
        assert "update the app" in err.value.message("en")


@pytest.mark.parametrize(("newer", "older", "code"), [
    (4, 3, "fountain.version"),   # what is being scanned is mostly the newer sender
    (3, 3, "fountain.version"),
    (2, 3, "fountain.missing"),   # a stray newer frame beside the transfer being scanned
])
def test_newer_frames_beside_readable_ones_ask_for_an_update_when_they_are_what_is_scanned(newer, older, code):
    _, t = transfer(3_000, 100, seed=4)
    receiver = Receiver()
    for text in newer_frames(newer) + t.frames(older):
        receiver.feed(text)
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert err.value.code == code


# --- neighbours' transfers --------------------------------------------------------------------

def test_four_interleaved_foreign_transfers_cannot_push_out_the_one_being_scanned():
    """Each real frame followed by one frame of each of four other transfers: past the bound,
    the newcomer replaces a neighbour, never the transfer being scanned; it decodes at its K-th
    frame and is the one offered; what is shown never goes back."""
    data, real = transfer(6_000, 100, seed=20)
    foreign = [transfer(5_000, 100, seed=30 + i)[1] for i in range(4)]
    receiver, shown = Receiver(), []
    for seq in range(real.count):
        receiver.feed(real.frame(seq))
        shown.append(receiver.current().rank)
        for other in foreign:
            receiver.feed(other.frame(seq))
            assert len(receiver.decoders) <= MAX_TRANSFERS
            assert receiver.current().tid == real.tid.hex()
    assert receiver.complete and receiver.result() == data
    assert shown == list(range(1, real.count + 1))


def test_a_smaller_neighbour_that_decodes_first_is_not_offered():
    data, real = transfer(4_000, 100, seed=21)
    small_data, small = transfer(150, 100, seed=22)
    assert (real.count, small.count) == (40, 2)
    receiver = Receiver()
    order = [real.frame(0), real.frame(1), small.frame(0), real.frame(2), small.frame(1)]
    assert [receiver.feed(text).status for text in order] == ["new", "new", "new", "new", "done"]
    assert receiver.decoders[fountain.parse(small.frame(0)).key].result() == small_data  # decoded, kept apart
    assert not receiver.complete and receiver.current().rank == 3
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert (err.value.code, err.value.params) == ("fountain.missing", {"percent": 7})
    for seq in range(3, real.count):
        receiver.feed(real.frame(seq))
    assert receiver.result() == data


def test_the_camera_turned_from_a_neighbour_to_the_sender_follows_the_sender():
    """Five frames of a neighbour first, then the sender: the sender is followed from its sixth
    frame (more frames than the neighbour), and it is what is offered."""
    data, real = transfer(3_000, 100, seed=23)
    _, neighbour = transfer(3_000, 100, seed=24)
    receiver = Receiver()
    for seq in range(5):
        receiver.feed(neighbour.frame(seq))
    followed = []
    for seq in range(real.count):
        receiver.feed(real.frame(seq))
        followed.append(receiver.current().tid == real.tid.hex())
    assert followed == [False] * 5 + [True] * (real.count - 5)
    assert receiver.result() == data


def test_parts_of_two_sets_are_kept_apart_and_the_one_being_scanned_is_offered():
    doc_a = {"version": "1.0", "who": random.Random(7).randbytes(600).hex()}
    doc_b = {"version": "1.0", "who": random.Random(8).randbytes(60).hex()}
    code_a, code_b = payload.encode(doc_a), payload.encode(doc_b)
    parts_a, parts_b = payload.split(code_a, 30), payload.split(code_b, 30)
    assert len(parts_b) < len(parts_a)
    receiver = Receiver()
    mixed = [p for pair in zip(parts_a, parts_b, strict=False) for p in pair] + parts_a[len(parts_b):]
    for text in mixed:
        progress = receiver.feed(text)
        assert progress.kind == "parts" and receiver.current().tid == parts.set_id(code_a)
    assert json.loads(payload.inflate(receiver.result())) == doc_a


@settings(max_examples=40, deadline=None)
@given(neighbours=st.integers(1, 9), sizes=st.lists(st.integers(1, 3_000), min_size=9, max_size=9),
       real_size=st.integers(1, 4_000), seed=st.integers(0, 2**16))
def test_any_number_of_neighbours_in_turn_never_push_out_or_replace_the_one_being_scanned(neighbours, sizes,
                                                                                           real_size, seed):
    """Law: the sender's frames in turn with one frame of each of 1–9 neighbours (any sizes, smaller
    ones decoding first): at most MAX_TRANSFERS kept, the sender followed throughout, decoded at
    its K-th plain frame, and its data is what is offered."""
    def distinct(i: int, size: int) -> tuple[bytes, fountain.Transfer]:  # data of its own, however short
        data = bytes([i]) + random.Random(seed + i).randbytes(size - 1)
        return data, fountain.Transfer.of(data, block_size=100)

    data, real = distinct(0, real_size)
    others = [distinct(i, size)[1] for i, size in enumerate(sizes[:neighbours], 1)]
    receiver = Receiver()
    for seq in range(real.count):
        assert not receiver.complete
        receiver.feed(real.frame(seq))
        for other in others:
            receiver.feed(other.frame(seq))
            assert len(receiver.decoders) <= MAX_TRANSFERS
            assert receiver.current().tid == real.tid.hex() and receiver.current().rank == seq + 1
    assert receiver.result() == data


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=1, max_size=120))
def test_whatever_the_order_the_transfer_being_scanned_is_never_dropped(order):
    """Law: frames of up to eight transfers in any order: at most MAX_TRANSFERS are kept, and the
    one followed before a frame is still kept after it."""
    transfers = [transfer(2_000, 100, seed=40 + i)[1] for i in range(8)]
    receiver, sent = Receiver(), [0] * 8
    for which in order:
        before = receiver.followed
        receiver.feed(transfers[which].frame(sent[which]))
        sent[which] += 1
        assert len(receiver.decoders) <= MAX_TRANSFERS
        assert before is None or any(d is before for d in receiver.decoders.values())
