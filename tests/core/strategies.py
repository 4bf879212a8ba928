"""Hypothesis strategies: states built by random sequences of real user actions."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from app.core import actions, document
from app.core.errors import CellulesError

NODES = ["871fa4c5bffffff", "871fa4c58ffffff", "881fa4c5b1fffff", "87194ad32ffffff"]
T0 = 1_769_594_400_000  # 2026-01-28T10:00:00Z
NOW = T0 + 10**7  # "now" of the trust tests: well after every stamp the strategies make


def doc_of(state, kind="full", now=NOW):
    return document.parse_text(document.dumps(document.to_document(state, kind=kind, now_ms=now)))


def read(doc):
    return document.read_document(document.check_document(doc))


def export(state, kind="full", now=NOW):
    return read(doc_of(state, kind, now))


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip())
multiline = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zl", "Zp"),
                                            blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                            "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                            "\x1e\x1f\x7f"), max_size=80)


def rand(seed: int | str) -> bytes:
    return random.Random(str(seed)).randbytes(16)


@st.composite
def states(draw, name: str = "Alice", seed: int | None = None, max_ops: int = 12):
    seed = draw(st.integers(0, 2**32)) if seed is None else seed
    state = actions.new_state(name=name, random_bytes=rand(f"{name}-{seed}"))
    now = T0
    for i in range(draw(st.integers(0, max_ops))):
        now += draw(st.integers(0, 5000))
        live_c = [c.id for c in state.live_cellules()]
        live_a = [a.id for a in state.live_ateliers()]
        op = draw(st.sampled_from(["cellule", "cellule", "atelier", "edit", "delete", "edit_atelier"]))
        try:
            if op == "cellule" or not live_c:
                state, _ = actions.create_cellule(
                    state, {"nodeId": draw(st.sampled_from(NODES)), "name": draw(text),
                            "description": draw(multiline), "contact": draw(st.sampled_from(["", "a@b.be"]))},
                    now_ms=now, random_bytes=rand(f"{name}-{seed}-{i}"))
            elif op == "atelier":
                state, _ = actions.create_atelier(
                    state, {"celluleId": draw(st.sampled_from(live_c)), "title": draw(text),
                            "startsAt": f"2026-03-0{draw(st.integers(1, 9))}T18:00:00Z",
                            "place": draw(st.sampled_from(["", "Maison de quartier"]))},
                    now_ms=now, random_bytes=rand(f"{name}-{seed}-{i}"))
            elif op == "edit":
                state, _ = actions.edit(state, "cellule", draw(st.sampled_from(live_c)),
                                        {draw(st.sampled_from(["name", "description"])): draw(text)}, now_ms=now)
            elif op == "edit_atelier" and live_a:
                state, _ = actions.edit(state, "atelier", draw(st.sampled_from(live_a)), {"title": draw(text)},
                                        now_ms=now)
            elif op == "delete":
                state = actions.delete(state, "cellule", draw(st.sampled_from(live_c)), now_ms=now)
        except CellulesError:
            pass
    return state
