"""The live handshake code: five fields of a Chromium session description, packed into `FWBW:…`
that one QR code of version ≤ 10 at level M carries; expiry, single use, damage refused by code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import live_code as lc
from app.core import qr
from app.core.base45 import b45decode, b45encode
from app.core.errors import CellulesError, LiveError

# Chromium 156's offer is the recorded sample app.core.live_code keeps (its descriptions are built on
# it); the answer is the other context's, to that offer: the same lines but for these.
CHROMIUM_OFFER = lc.CHROMIUM_OFFER
CHROMIUM_ANSWER = CHROMIUM_OFFER
for offered, answered in (
        ("5301711696680972756", "5713051684549595645"),
        ("1203344697 1 udp 2113937151 5533b25e-d100-4725-b9df-ed31f927a12e.local 54515",
         "4044866606 1 udp 2113937151 5533b25e-d100-4725-b9df-ed31f927a12e.local 57545"),
        ("2363446489 1 udp 2113942271 dd349a61-3f39-4500-bb6b-60a4042f6264.local 52614",
         "4133857438 1 udp 2113942271 dd349a61-3f39-4500-bb6b-60a4042f6264.local 43019"),
        ("ice-ufrag:budZ", "ice-ufrag:aMWq"), ("ice-pwd:yZoYVnzRdU4mFc8zSc/zS/s4", "ice-pwd:1N62s32BgB47Ci75ZOvEJbwZ"),
        ("D1:FB:1E:A2:49:75:83:29:09:89:32:C5:A0:73:85:19:F9:7D:A7:78:FF:3C:4D:AC:1B:0B:80:55:A8:25:0E:B9",
         "49:93:66:D3:9E:A2:CE:BF:41:BC:D7:45:0C:22:BB:E6:CF:B4:96:A4:34:82:BF:0B:86:F0:77:2B:12:5C:2C:60"),
        ("setup:actpass", "setup:active")):
    assert CHROMIUM_ANSWER.count(offered) == 1
    CHROMIUM_ANSWER = CHROMIUM_ANSWER.replace(offered, answered)
# The same browser with --disable-features=WebRtcHideLocalIpsWithMdns (what a phone holding the
# camera permission shows): real addresses, the media section's default address filled in.
CHROMIUM_OFFER_ADDRESSES = CHROMIUM_OFFER.replace(
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0",
    "m=application 41705 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 192.0.2.2").replace(
    "5533b25e-d100-4725-b9df-ed31f927a12e.local 54515", "192.0.2.2 41705").replace(
    "dd349a61-3f39-4500-bb6b-60a4042f6264.local 52614", "fd00::2 36102")
# A phone on a dual-stack Wi-Fi: UDP and TCP on IPv4, a global and a temporary IPv6 address, and a
# server-reflexive candidate (more than any offer made with `iceServers: []` holds).
PHONE_CANDIDATES = (
    "a=candidate:1 1 udp 2122260223 192.168.1.23 50001 typ host generation 0 network-id 1 network-cost 10\r\n"
    "a=candidate:2 1 udp 2122197247 2a02:a03f:1234:5600:1c2d:3e4f:5a6b:7c8d 50002 typ host generation 0\r\n"
    "a=candidate:3 1 udp 2122131711 2a02:a03f:1234:5600:9e8d:7c6b:5a4f:3e2d 50003 typ host generation 0\r\n"
    "a=candidate:4 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0\r\n"
    "a=candidate:5 1 tcp 1518217471 2a02:a03f:1234:5600:1c2d:3e4f:5a6b:7c8d 9 typ host tcptype active "
    "generation 0\r\n"
    "a=candidate:6 1 tcp 1518151935 2a02:a03f:1234:5600:9e8d:7c6b:5a4f:3e2d 9 typ host tcptype active "
    "generation 0\r\n"
    "a=candidate:7 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.168.1.23 rport 50001 generation 0\r\n"
    "a=candidate:8 1 udp 41885439 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport 61000 generation 0\r\n"
    "a=candidate:9 1 udp 2122063615 fe80::1c2d:3e4f:5a6b:7c8d 50004 typ host generation 0\r\n"
    "a=candidate:10 1 udp 2122000000 0123abcd-0000-4000-8000-0123456789ab.local 50005 typ host generation 0\r\n"
    "a=candidate:11 1 udp 2121990000 0123abcd-0000-4000-8000-0123456789ac.local 50006 typ host generation 0\r\n"
)
CHROMIUM_OFFER_PHONE = CHROMIUM_OFFER.replace(
    CHROMIUM_OFFER[CHROMIUM_OFFER.index("a=candidate:"):CHROMIUM_OFFER.index("a=ice-ufrag")], PHONE_CANDIDATES)

NOW = 1_769_594_400_000  # 2026-01-28T10:00:00Z
SESSION = bytes.fromhex("0123456789abcdef")


def offer_code(sdp=CHROMIUM_OFFER, now=NOW):
    return lc.make_offer(sdp, session=SESSION, now_ms=now)


def refused(run) -> tuple[str, dict]:
    with pytest.raises(CellulesError) as err:
        run()
    for lang in ("fr", "en"):
        assert err.value.message(lang) and not err.value.message(lang).startswith(("Erreur", "Error")), err.value.code
    return err.value.code, err.value.params


def test_the_five_fields_of_a_chromium_offer_are_read():
    h = lc.parse_sdp(CHROMIUM_OFFER)
    assert (h.ufrag, h.pwd, h.setup) == ("budZ", "yZoYVnzRdU4mFc8zSc/zS/s4", "actpass")
    assert h.fingerprint.hex().upper() == "D1FB1EA249758329098932C5A0738519F97DA778FF3C4DAC1B0B8055A8250EB9"
    assert [c.line() for c in h.candidates] == [
        "candidate:1203344697 1 udp 2113937151 5533b25e-d100-4725-b9df-ed31f927a12e.local 54515 typ host "
        "generation 0",
        "candidate:2363446489 1 udp 2113942271 dd349a61-3f39-4500-bb6b-60a4042f6264.local 52614 typ host "
        "generation 0"]
    assert lc.parse_sdp(CHROMIUM_ANSWER).setup == "active"


def test_the_rebuilt_description_is_chromiums_with_the_five_fields():
    """What setRemoteDescription gets: Chromium's own offer, line for line, but for its o= number,
    the `network-cost` extension of the candidates (which the handshake does not need: measured,
    Chromium 156 accepted the rebuilt description and the channel opened, mDNS names and real
    addresses alike)."""
    code = lc.decode(lc.encode(offer_code()), now_ms=NOW)
    rebuilt = lc.description(code)
    assert rebuilt["type"] == "offer"
    expected = CHROMIUM_OFFER.replace("5301711696680972756", str(int.from_bytes(SESSION, "big") & (2**62 - 1)))
    assert rebuilt["sdp"] == expected.replace(" network-cost 999", "")
    assert lc.parse_sdp(rebuilt["sdp"]) == lc.parse_sdp(CHROMIUM_OFFER)


@pytest.mark.parametrize("sdp", [CHROMIUM_OFFER, CHROMIUM_ANSWER, CHROMIUM_OFFER_ADDRESSES])
def test_a_code_round_trips_and_fits_a_version_10_qr_code_at_level_m(sdp):
    code = offer_code(sdp)
    text = lc.encode(code)
    assert text.startswith("FWBW:") and len(text) <= lc.MAX_CODE_CHARS
    assert lc.decode(text, now_ms=NOW) == code
    symbol = qr.make(text)
    assert symbol.version <= 10 and symbol.error == "M"
    assert symbol.mode == "alphanumeric"  # the prefix and Base45 are QR's alphanumeric set


def test_measured_sizes_of_chromiums_codes():
    """Chromium's 700-byte descriptions become codes of 170-200 characters: QR version 7 or 8."""
    sizes = {name: (len(sdp), len(text := lc.encode(offer_code(sdp))), qr.make(text).version)
             for name, sdp in (("offer", CHROMIUM_OFFER), ("answer", CHROMIUM_ANSWER),
                               ("addresses", CHROMIUM_OFFER_ADDRESSES))}
    assert sizes == {"offer": (716, 197, 8), "answer": (715, 197, 8), "addresses": (654, 172, 7)}


def test_a_crowded_phone_offer_keeps_the_most_useful_candidates_within_version_10():
    code = offer_code(CHROMIUM_OFFER_PHONE)
    assert len(code.handshake.candidates) == 11
    text = lc.encode(code)
    kept = lc.decode(text, now_ms=NOW).handshake.candidates
    assert qr.make(text).version <= 10
    assert all(c.protocol == "udp" for c in kept)  # TCP ones go first
    assert [c.foundation for c in kept] == [c.foundation for c in code.handshake.candidates
                                            if c.foundation in {k.foundation for k in kept}]  # order kept
    dropped = [c for c in code.handshake.candidates if c not in kept]
    assert min(c.priority for c in kept if c.protocol == "udp") >= max(
        c.priority for c in dropped if c.protocol == "udp")  # then the lowest priorities
    srflx = next(c for c in code.handshake.candidates if c.type == "srflx")
    alone = lc.Handshake(ufrag="abcd", pwd="p" * 24, fingerprint=bytes(32), setup="actpass", candidates=(srflx,))
    back = lc.decode(lc.encode(lc.LiveCode(kind="offer", session=SESSION, expires_ms=NOW // 1000 * 1000 + lc.TTL_MS,
                                           handshake=alone)), now_ms=NOW)
    assert back.handshake.candidates == (srflx,)
    assert srflx.line() == "candidate:7 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.168.1.23 " \
                           "rport 50001 generation 0"


candidates = st.builds(
    lc.Candidate,
    foundation=st.one_of(st.integers(0, 2**32 - 1).map(str), st.text("abcXYZ019+/", min_size=1, max_size=8)),
    component=st.sampled_from([1, 2]), protocol=st.sampled_from(["udp", "tcp"]), priority=st.integers(0, 2**32 - 1),
    address=st.one_of(st.ip_addresses().map(str), st.uuids().map(lambda u: f"{u}.local"),
                      st.sampled_from(["phone.lan", "laptop-7.home"])),
    port=st.integers(0, 65535), type=st.sampled_from(lc.TYPES),
    tcptype=st.just(""), related_address=st.sampled_from(["", "10.0.0.1", "fd00::1"]), related_port=st.just(0),
).map(lambda c: c if not c.related_address else lc.Candidate(**{**c.__dict__, "related_port": 9}))
ice = st.text("ABCxyz0189+/", min_size=1, max_size=lc.MAX_ICE_CHARS)


@given(ufrag=ice, pwd=ice, fingerprint=st.binary(min_size=32, max_size=32), setup=st.sampled_from(lc.SETUPS),
       kind=st.sampled_from(lc.KINDS), session=st.binary(min_size=8, max_size=8),
       found=st.lists(candidates, min_size=1, max_size=3))
def test_any_handshake_round_trips_exactly(ufrag, pwd, fingerprint, setup, kind, session, found):
    handshake = lc.Handshake(ufrag=ufrag, pwd=pwd, fingerprint=fingerprint, setup=setup, candidates=tuple(found))
    code = lc.LiveCode(kind=kind, session=session, expires_ms=NOW // 1000 * 1000 + lc.TTL_MS, handshake=handshake)
    text = lc.encode(code)
    back = lc.decode(text, now_ms=NOW)
    assert back.kind == kind and back.session == session and back.handshake.ufrag == ufrag
    assert back.handshake.pwd == pwd and back.handshake.fingerprint == fingerprint and back.handshake.setup == setup
    assert set(back.handshake.candidates) <= set(found) and back.handshake.candidates  # those that fit
    if len(text) < lc.MAX_CODE_CHARS - 60:
        assert back.handshake.candidates == tuple(found)
    assert lc.parse_sdp(lc.build_sdp(back.handshake)) == back.handshake


def test_a_code_expires_after_ten_minutes_with_the_clocks_slack():
    text = lc.encode(offer_code())
    expires = (NOW + lc.TTL_MS) // 1000 * 1000
    assert lc.decode(text, now_ms=expires + lc.CLOCK_SLACK_MS).session == SESSION
    assert refused(lambda: lc.decode(text, now_ms=expires + lc.CLOCK_SLACK_MS + 1)) == (
        "live.code_expired", {"minutes": 10})
    assert lc.decode(text, now_ms=NOW - lc.CLOCK_SLACK_MS).session == SESSION  # the reader's clock is behind
    assert refused(lambda: lc.decode(text, now_ms=NOW - lc.CLOCK_SLACK_MS - 1000)) == ("live.code_future", {})


def test_the_issuer_refuses_an_answer_past_its_own_ten_minutes_and_a_second_answer():
    offer = offer_code()
    book = lc.CodeBook().issue(offer, now_ms=NOW)
    answer = lc.make_answer(CHROMIUM_ANSWER, lc.decode(lc.encode(offer), now_ms=NOW + 1000), now_ms=NOW + 60_000)
    assert answer.session == offer.session and answer.kind == "answer"
    read = lc.decode(lc.encode(answer), now_ms=NOW + 90_000)
    late = NOW // 1000 * 1000 + lc.TTL_MS + 1
    assert refused(lambda: book.take_answer(read, now_ms=late)) == ("live.code_expired", {"minutes": 10})
    used = book.take_answer(read, now_ms=late - 1)
    assert refused(lambda: used.take_answer(read, now_ms=late - 1)) == ("live.code_used", {})
    assert refused(lambda: lc.CodeBook().take_answer(read, now_ms=NOW)) == ("live.code_unknown", {})
    assert refused(lambda: book.take_answer(offer, now_ms=NOW)) == ("live.code_kind", {})
    assert refused(lambda: book.take_offer(offer, now_ms=NOW)) == ("live.code_own", {})
    assert lc.CodeBook.from_json(used.to_json()) == used
    assert lc.CodeBook.from_json({"offers": "?"}) == lc.CodeBook()


def test_the_reader_answers_an_offer_once():
    offer = lc.decode(lc.encode(offer_code()), now_ms=NOW)
    book = lc.CodeBook().take_offer(offer, now_ms=NOW + 1000)
    assert refused(lambda: book.take_offer(offer, now_ms=NOW + 2000)) == ("live.code_used", {})
    answer = lc.make_answer(CHROMIUM_ANSWER, offer, now_ms=NOW + 1000)
    assert refused(lambda: book.take_answer(answer, now_ms=NOW + 2000)) == ("live.code_own", {})
    assert refused(lambda: lc.make_answer(CHROMIUM_ANSWER, answer, now_ms=NOW)) == ("live.code_kind", {})
    # forgotten once expired: the book does not grow for ever
    later = book.issue(offer_code(now=NOW + lc.TTL_MS * 3), now_ms=NOW + lc.TTL_MS * 3)
    assert later.answered == {}


def test_damaged_oversized_and_foreign_codes_are_refused_by_code():
    text = lc.encode(offer_code())
    flipped = text[:40] + ("A" if text[40] != "A" else "B") + text[41:]
    assert refused(lambda: lc.decode(flipped, now_ms=NOW)) == ("live.code_damaged", {"part": "check"})
    assert refused(lambda: lc.decode(text[:-6], now_ms=NOW)) == ("live.code_damaged", {"part": "check"})
    assert refused(lambda: lc.decode(text[:-1], now_ms=NOW))[0] == "payload.base45"  # 3k+1 characters
    assert refused(lambda: lc.decode("FWBW:" + "0" * 400, now_ms=NOW)) == ("live.code_size",
                                                                          {"chars": 405, "limit": 311})
    assert refused(lambda: lc.decode("FWB1:ABC", now_ms=NOW)) == ("live.code_prefix", {})
    assert refused(lambda: lc.decode("FWBW:abc", now_ms=NOW))[0] == "payload.base45"
    # a mistyped or cut code is damaged, whatever its first byte says (not « from a newer version »)
    assert refused(lambda: lc.decode("FWBW:ABCDEF123", now_ms=NOW))[0] == "live.code_damaged"
    body = b45decode(text[5:])[1:-2]
    newer = bytes([2]) + body
    newer += (__import__("zlib").crc32(newer) & 0xFFFF).to_bytes(2, "big")  # a newer format, checked as every one
    assert refused(lambda: lc.decode("FWBW:" + b45encode(newer), now_ms=NOW)) == ("live.code_version",
                                                                                 {"version": 2})
    bomb = bytes([lc.FORMAT | lc.DEFLATED]) + __import__("zlib").compress(bytes(100_000), 9)[2:-4]
    assert refused(lambda: lc.decode("FWBW:" + b45encode(bomb), now_ms=NOW))[0] == "live.code_damaged"


def test_descriptions_missing_a_field_are_refused_by_code():
    assert refused(lambda: lc.parse_sdp(CHROMIUM_OFFER.replace("a=ice-pwd:", "a=ice-password:")))[0] == "live.sdp"
    assert refused(lambda: lc.parse_sdp(CHROMIUM_OFFER.replace("sha-256", "sha-1")))[0] == "live.sdp"
    assert refused(lambda: lc.parse_sdp(CHROMIUM_OFFER.replace("actpass", "holdconn")))[0] == "live.sdp"
    no_candidate = "".join(line + "\r\n" for line in CHROMIUM_OFFER.split("\r\n") if line
                           and not line.startswith("a=candidate"))
    assert refused(lambda: lc.parse_sdp(no_candidate)) == ("live.no_candidate", {})
    assert refused(lambda: lc.parse_candidate("a=candidate:1 1 udp x 1.2.3.4 9 typ host"))[0] == "live.sdp"
    assert isinstance(LiveError("live.sdp"), CellulesError)


def test_a_pasted_code_is_recognised_by_its_prefix():
    text = lc.encode(offer_code())
    assert lc.is_live_code("  " + text + "\n") and lc.is_live_code(text.lower())
    assert not lc.is_live_code("FWB1:" + text[5:]) and not lc.is_live_code('{"version": "1.0"}')
    assert lc.decode(" " + text + "\r\n", now_ms=NOW) == lc.decode(text, now_ms=NOW)
