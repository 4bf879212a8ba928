"""The page `app serve --lan` serves at a meeting says it is the meeting's temporary copy (its data lives at the
laptop's address), offers « Tout exporter », and asks before it closes only while a change is not exported;
« Aide » explains the meeting step by step and which hosts let the app load a file by its address.
A LAN name is simulated with Chromium's host resolver (cellules.lan -> 127.0.0.2): plain http, not local, as a
phone sees http://192.168.x.y:8000/."""

from __future__ import annotations

import pytest
from conftest import wait_ready
from driver import create_cellule, lan_page, shoot

from app.core import i18n


@pytest.fixture
def meeting_page(playwright, site):
    with lan_page(playwright, site, meeting=True) as (page, origin, errors, dialogs):
        yield page, origin, dialogs
        assert errors == []


def test_the_meeting_copy_says_so_asks_to_export_and_asks_before_leaving_only_with_changes(meeting_page, tmp_path):
    page, origin, dialogs = meeting_page
    page.goto(origin)
    wait_ready(page)
    host = origin.split("/")[2]
    assert page.is_visible("#meeting-banner")
    assert page.text_content("#meeting-title") == i18n.t("meet.title", "fr")
    assert page.locator("#meeting-banner p").all_text_contents()[:2] == [
        i18n.t("meet.where", "fr", address=host), i18n.t("meet.ask", "fr")]
    assert page.text_content("#meeting-export") == i18n.t("x.export_full", "fr")
    assert page.text_content("#meeting-state") == i18n.t("meet.exported", "fr")  # nothing of one's own yet
    assert page.evaluate("document.documentElement.dataset.offline") == "unavailable"  # plain http: no worker
    page.click("#tab-help")  # the meeting, step by step, and the hosts that allow loading by address
    titles = page.locator("#view-help h3").all_text_contents()
    assert i18n.t("h.meeting.title", "fr") in titles and i18n.t("h.links.title", "fr") in titles
    assert "raw.githubusercontent.com" in page.text_content("#view-help")
    page.click("#tab-cellules")
    page.reload()  # nothing of one's own yet: the page closes without asking
    wait_ready(page)
    assert dialogs == []

    create_cellule(page, "Cellule de la réunion")
    assert page.text_content("#meeting-state") == i18n.t("meet.unexported", "fr")
    shoot(page, "meeting-copy-unexported")
    page.reload()  # a change not exported: the browser asks first (accepted here)
    wait_ready(page)
    assert dialogs == ["beforeunload"]
    assert page.text_content("#meeting-state") == i18n.t("meet.unexported", "fr")  # still known after the reload
    with page.expect_download() as info:
        page.click("#meeting-export")
    assert info.value.suggested_filename.endswith(".json")
    page.wait_for_function("document.getElementById('meeting-state').textContent === "
                           f"{i18n.t('meet.exported', 'fr')!r}")
    assert page.is_visible("#view-exchange")  # « Échanger », where the export's message is
    page.click("#tab-cellules")  # the user acted on this page (a browser asks only then)
    page.reload()
    wait_ready(page)
    assert dialogs == ["beforeunload"]  # exported: no question this time
    assert page.locator("#cellule-list .cellule-name").all_text_contents() == ["Cellule de la réunion"]
    shoot(page, "meeting-copy-exported")
