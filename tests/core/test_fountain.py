"""Fountain-coded frames: any sufficient set of frames decodes, never to wrong data, and
frames of two transfers never mix."""

from __future__ import annotations

import math
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import fountain, payload, qr
from app.core.errors import DocumentError
from app.core.transfer import Receiver, read_any


def transfer(size: int, block: int, seed: int = 0) -> tuple[bytes, fountain.Transfer]:
    data = random.Random(seed).randbytes(size)
    return data, fountain.Transfer.of(data, block_size=block)


def decode(frames) -> tuple[bytes | None, int]:
    """Feed frames until done: (payload or None, frames used)."""
    receiver = Receiver()
    for n, text in enumerate(frames, 1):
        if receiver.feed(text).status == "done":
            return receiver.result(), n
    return None, len(frames)


def reference_rank(texts) -> int:
    """The GF(2) rank of the frames' subsets, computed apart from the Decoder (a plain basis of
    masks): the frames decode exactly when it reaches K."""
    basis: dict[int, int] = {}
    for text in texts:
        frame = fountain.parse(text)
        mask = fountain.subset(frame.tid, frame.count, frame.seq)
        while mask:
            top = mask.bit_length() - 1
            if top not in basis:
                basis[top] = mask
                break
            mask ^= basis[top]
    return len(basis)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 3000), block=st.integers(8, 300), seed=st.integers(0, 2**32), keep=st.floats(0, 1))
def test_whatever_arrives_in_whatever_order_a_decode_is_the_exact_payload(size, block, seed, keep):
    """Law: the progress after each frame is the rank of the frames so far (computed apart), so it
    only grows and says 100 % exactly when decoded; the decode happens exactly at rank K and gives
    the sent bytes; short of it, the result says how far it got; all plain frames always decode."""
    data, t = transfer(size, block, seed)
    rnd = random.Random(seed)
    frames = [f for f in t.frames(3 * t.count) if rnd.random() < keep]
    rnd.shuffle(frames)
    receiver = Receiver()
    for n, text in enumerate(frames, 1):
        progress = receiver.feed(text)
        rank = reference_rank(frames[:n])
        assert (progress.rank, progress.count) == (rank, t.count)
        assert (progress.percent == 100) == (rank == t.count) == receiver.complete
    rank = reference_rank(frames)
    if rank == t.count:
        assert receiver.result() == data
    else:
        with pytest.raises(DocumentError) as err:
            receiver.result()
        assert (err.value.code, err.value.params) == ("fountain.missing", {"percent": rank * 100 // t.count})
    plain = t.frames(t.count)
    random.Random(seed).shuffle(plain)
    assert decode(plain) == (data, t.count)


def test_any_subset_of_ceil_1_1_k_plus_3_frames_decodes_with_high_probability():
    """300 random subsets (the bench runs 1,000) of ceil(1.1 K) + 3 frames out of the first 3 K:
    the theory bounds a failure by 2^-(0.1 K + 3) (≈ 0.2 % for K = 50); these 300 all decode, and
    each exactly when its rank (computed apart) reaches K."""
    data, t = transfer(30_000, 611, seed=7)
    assert t.count == 50
    pool = t.frames(3 * t.count)
    size = math.ceil(t.count * 1.1) + 3
    for trial in range(300):
        subset = random.Random(trial).sample(pool, size)
        got, used = decode(subset)
        assert got == data
        assert reference_rank(subset[:used - 1]) == t.count - 1 and reference_rank(subset[:used]) == t.count


def test_the_senders_loop_shows_every_plain_frame_each_pass_and_never_a_combination_twice():
    for count in (1, 3, 35, 200):
        length = qr.loop_length(fountain.Transfer.of(bytes(count * 10), block_size=10))
        shown = [qr.loop_seq(count, p) for p in range(5 * length)]
        for turn in range(5):
            assert shown[turn * length:turn * length + count] == list(range(count))
        repairs = [s for s in shown if s >= count]
        assert len(repairs) == len(set(repairs)) == 5 * (length - count)


@pytest.mark.parametrize("loss", [0.1, 0.2, 0.3])
def test_the_senders_loop_with_frames_lost_decodes_with_a_few_frames_beyond_k(loss):
    """What a scanner sees: the sender's loop, each frame lost with probability `loss`, the
    scanner starting anywhere; the overhead (frames received beyond K) stays small."""
    data, t = transfer(25_000, 611, seed=3)
    length = qr.loop_length(t)
    overheads = []
    for trial in range(40):
        rnd = random.Random(trial)
        start = rnd.randrange(length)
        shown = [t.frame(qr.loop_seq(t.count, start + i)) for i in range(4 * length)]
        got, used = decode([f for f in shown if rnd.random() >= loss])
        assert got == data
        overheads.append(used - t.count)
    assert sorted(overheads)[len(overheads) // 2] == 2  # median: two frames beyond K, at each loss rate


def test_two_interleaved_transfers_never_mix_and_the_one_being_scanned_is_offered():
    """A (K = 45) and B (K = 35) in turn, A first: they tie on frames, so A — the first seen — is
    the transfer being scanned. B decodes first (its 35th plain frame) but is not offered; A is,
    at its 45th; what the scanner shows (A's progress) never goes back."""
    data_a, a = transfer(9_000, 200, seed=1)
    data_b, b = transfer(7_000, 200, seed=2)
    assert (a.count, b.count) == (45, 35)
    frames_a, frames_b = a.frames(2 * a.count), b.frames(2 * b.count)
    mixed = [f for pair in zip(frames_a, frames_b, strict=False) for f in pair] + frames_a[len(frames_b):]
    receiver, decoded, shown = Receiver(), [], []
    for n, text in enumerate(mixed):
        progress = receiver.feed(text)
        assert progress.count == (a.count if n % 2 == 0 else b.count)
        current = receiver.current()
        assert current.tid == a.tid.hex()
        shown.append(current.fraction)
        if progress.status == "done":
            decoded.append((n, receiver.decoders[fountain.parse(text).key].result()))
        if receiver.complete:
            break
    assert decoded == [(2 * 34 + 1, data_b), (2 * 44, data_a)]
    assert receiver.result() == data_a  # not the smaller neighbour that decoded first
    assert shown == sorted(shown) and shown[-1] == 1.0
    # The same payload cut into other blocks is another transfer too (same id, other K).
    c = fountain.Transfer.of(data_a, block_size=150)
    assert c.tid == a.tid and fountain.parse(c.frame(0)).key != fountain.parse(a.frame(0)).key
    one = fountain.Decoder(fountain.parse(a.frame(0)).key)
    with pytest.raises(ValueError):
        one.feed(fountain.parse(b.frame(0)))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_truncated_or_altered_frame_is_ignored_and_never_decodes_to_wrong_data(data):
    sent, t = transfer(2_000, 100, seed=5)
    frames = t.frames(2 * t.count)
    i = data.draw(st.integers(0, len(frames) - 1))
    text = frames[i]
    body = text[len(fountain.PREFIX):]
    kind = data.draw(st.sampled_from(["truncate", "alter"]))
    if kind == "truncate":
        damaged = text[:data.draw(st.integers(0, len(text) - 1))]
    else:
        pos = data.draw(st.integers(0, len(body) - 1))
        char = data.draw(st.sampled_from([c for c in payload.ALPHABET if c != body[pos]]))
        damaged = fountain.PREFIX + body[:pos] + char + body[pos + 1:]
    with pytest.raises(DocumentError) as err:
        fountain.parse(damaged)
    assert err.value.code == "fountain.frame"  # never « newer version »: the CRC sees the damage first
    receiver = Receiver()
    assert receiver.feed(damaged).status == "damaged"
    got, _ = decode([damaged] + frames)
    assert got == sent


def test_a_forged_frame_with_a_valid_crc_cannot_produce_wrong_data():
    """A hostile frame that passes its CRC but lies about its block: the SHA-256 of the whole
    (the transfer id) refuses the result — « abîmé, recommencez », not « pas encore assez » —
    the decoder starts over, and the honest frames decode after."""
    sent, t = transfer(2_000, 100, seed=9)
    frame = fountain.parse(t.frame(0))
    lie = bytes([frame.block[0] ^ 1]) + frame.block[1:]
    body = fountain._HEAD.pack(fountain.VERSION, frame.tid, frame.length, frame.count, 0) + lie
    forged = fountain.PREFIX + payload.b45encode(body + zlib.crc32(body).to_bytes(4, "big"))
    receiver = Receiver()
    statuses = [receiver.feed(f).status for f in [forged] + t.frames(t.count)[1:]]
    assert statuses == ["new"] * (t.count - 1) + ["failed"] and receiver.done is None  # refused, not wrong
    assert receiver.current().rank == 0  # started over
    with pytest.raises(DocumentError) as err:
        receiver.result()
    assert err.value.code == "fountain.checksum"
    statuses = [receiver.feed(f).status for f in t.frames(t.count)]
    assert statuses == ["new"] * (t.count - 1) + ["done"] and receiver.result() == sent


def test_newer_versions_and_foreign_texts_are_named():
    _, t = transfer(500, 100)
    raw = payload.b45decode(t.frame(0)[len(fountain.PREFIX):])
    body = bytes([2]) + raw[1:-4]
    with pytest.raises(DocumentError) as err:
        fountain.parse(fountain.PREFIX + payload.b45encode(body + zlib.crc32(body).to_bytes(4, "big")))
    assert err.value.code == "fountain.version" and "2" in str(err.value)
    newer = fountain.PREFIX + payload.b45encode(body + zlib.crc32(body).to_bytes(4, "big"))
    receiver = Receiver()
    assert receiver.feed(newer).status == "newer" and (receiver.newer, receiver.newer_version) == (1, 2)
    with pytest.raises(DocumentError) as err:
        receiver.result()  # the scanner, the paste box and the CLI: « mettez l’application à jour »
    assert err.value.code == "fountain.version" and "mettez l’application à jour" in str(err.value)
    for text in ("FWB1:ABC", "FWBF:", "FWBF:ab", "hello"):
        assert Receiver().feed(text).status == "damaged"


def test_the_generator_is_the_documented_one():
    """Test vector of docs/format.md (another implementation must draw the same subsets)."""
    tid = bytes.fromhex("0123456789abcdef")
    assert [fountain.subset(tid, 10, s) for s in (0, 9)] == [1, 512]
    assert [format(fountain.subset(tid, 10, s), "010b")[::-1] for s in (10, 11, 12)] == VECTOR


VECTOR = ["0010110111", "0101011111", "0100110110"]  # block 0 first


def test_the_subsets_follow_the_written_rule():
    """docs/format.md, re-implemented from its words: splitmix64 seeded with id XOR (seq ×
    0xD1B54A32D192ED03 mod 2^64); 64-bit outputs fill the mask from block 0 up."""
    m = 2**64

    def reference(tid: bytes, k: int, seq: int) -> list[int]:
        state, bits = int.from_bytes(tid, "big") ^ (seq * 0xD1B54A32D192ED03 % m), []
        while len(bits) < k:
            state = (state + 0x9E3779B97F4A7C15) % m
            z = state
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 % m
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB % m
            z ^= z >> 31
            bits += [(z >> b) & 1 for b in range(64)]
        return [i for i in range(k) if bits[i]]

    rnd = random.Random(4)
    for _ in range(50):
        tid, k = rnd.randbytes(8), rnd.randrange(1, 200)
        seq = rnd.randrange(k, 10 * k)
        want = reference(tid, k, seq)
        mask = fountain.subset(tid, k, seq)
        assert [i for i in range(k) if mask >> i & 1] == (want or [seq % k])


def test_limits_and_read_any():
    with pytest.raises(DocumentError) as err:
        fountain.Transfer.of(bytes(fountain.MAX_BLOCKS * 10 + 1), block_size=10)
    assert err.value.code == "fountain.too_large"
    doc = {"version": "1.0", "blob": "é" * 3000}
    t = fountain.Transfer.of(payload.compress(doc), block_size=40)
    frames = t.frames(2 * t.count)
    random.Random(1).shuffle(frames)
    kept = frames[: t.count + 6]
    assert read_any("\n".join(kept)) == payload.decode(payload.encode(doc))
    with pytest.raises(DocumentError) as err:
        read_any("\n".join(frames[: t.count // 2]))
    assert err.value.code == "fountain.missing" and "%" in str(err.value)
