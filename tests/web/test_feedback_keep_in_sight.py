"""The view's sticky message never covers what the user needs right then (app/web/feedback.py
uncovering_scroll): how far the page scrolls so that an element stuck under the message (« 5 cellules »
after a save on a phone) shows just below it, and that it does not scroll when nothing is covered."""

from __future__ import annotations

import pytest


@pytest.fixture
def feedback(browserless):
    return browserless("app.web.feedback")


def test_an_element_under_the_message_is_brought_just_below_it(feedback):
    # the message stuck at the top of the screen (0–42 px), the count's line at 10–34 px: up by 36 px
    assert feedback.uncovering_scroll((0, 42), (10, 34)) == -36
    assert feedback.uncovering_scroll((0, 42), (-12, 12), gap=8) == -62  # half above the screen, under it
    assert feedback.uncovering_scroll((0, 42), (41, 65)) == -5  # one pixel under: still brought below


def test_nothing_moves_when_the_message_covers_nothing(feedback):
    assert feedback.uncovering_scroll((0, 42), (42, 66)) == 0  # just below it
    assert feedback.uncovering_scroll((0, 42), (-400, -376)) == 0  # scrolled far above the screen
    assert feedback.uncovering_scroll((0, 0), (10, 34)) == 0  # no message (no height)
    assert feedback.uncovering_scroll((0, 42), (0, 0)) == 0  # the element is not shown (hidden view)
