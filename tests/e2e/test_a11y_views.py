"""axe-core on every view and every dialog: no serious or critical violation, on a desktop and a phone;
and on the phone, nothing wider than the screen and no tap target under 44×44 px.

One walk per screen size (tests/e2e/views.py) reaches each screen as a user does, in a profile holding one
cellule with one atelier, and runs axe-core (node_modules/axe-core, injected into the page) on the whole
document as it stands, the open dialog included; each screen is then its own test case.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from driver import new_app
from views import AXE_PATH, LAYOUT, STATES, prepare, walk, walk_page

AXE = (ROOT / AXE_PATH).read_text()
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"""

# Violations that need a change of markup in app/web (not CSS): strict, so each flips to a failure once fixed.
KNOWN: dict[str, str] = {}


def violations(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE)
    return page.evaluate(RUN)


@pytest.fixture(scope="module")
def found(request):
    out = {}
    for size, (width, height) in SIZES.items():
        with walk_page(request, bypass_csp=True, viewport={"width": width, "height": height}) as page:
            prepare(page)
            out.update({(state, size): v for state, v in walk(page, lambda p, w=width: check(p, w)).items()})
    return out


def check(page, width: int) -> dict:
    return {"axe": violations(page), "layout": page.evaluate(LAYOUT, width)}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=KNOWN[s]))
                                   if s in KNOWN else s for s in STATES])
def test_no_serious_or_critical_violation(found, state, size):
    assert isinstance(found[state, size], dict), found[state, size]  # else: why the walk did not get there
    assert found[state, size]["axe"] == []


@pytest.mark.parametrize("state", STATES)
def test_on_a_phone_nothing_is_wider_than_the_screen_and_every_tap_target_is_44_px(found, state):
    layout = found[state, "phone"]["layout"]
    assert layout["scrollWidth"] <= 390 and layout["wide"] == [], layout
    assert layout["small"] == [], layout["small"]


def test_the_check_sees_a_violation(make_context, server):
    """The walk is not blind: an unlabelled button inside the open view is reported."""
    context, page, watch = new_app(make_context, server, bypass_csp=True)
    page.evaluate("document.getElementById('view-cellules').append(Object.assign("
                  "document.createElement('button'), {id: 'nameless'}))")
    assert any(v.startswith("button-name (critical)") and "#nameless" in v for v in violations(page))
