"""An atelier's time is Brussels time in the form as in the list, whatever time zone the device is set to
(a laptop left on UTC, a phone abroad): 14:00 typed shows « 14 h » and opens again as 14:00. An end added
later leaves « (vide) » in the history, in words (it read « ∅ »)."""

from __future__ import annotations

from driver import add_atelier, create_cellule, new_app


def test_a_time_typed_on_a_device_in_another_time_zone_is_the_time_shown(make_context, server):
    _, page, watch = new_app(make_context, server, timezone_id="America/New_York")
    create_cellule(page, "Repair Café")
    add_atelier(page, "Repair Café", "Hiver")  # 7 March 2030, 18:30: winter time in Brussels
    page.click("li.cellule [data-action=new-atelier]")
    page.fill("#f-title", "Été")
    page.fill("#f-startsAt", "2030-07-06T14:00")
    page.fill("#f-endsAt", "2030-07-06T17:00")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier .atelier-title:text-is('Été')")
    assert page.locator("li.atelier .atelier-when").all_inner_texts() == [
        "jeudi 7 mars 2030, 18\u00a0h\u00a030", "samedi 6 juillet 2030, de 14\u00a0h à 17\u00a0h"]
    page.click("li.atelier:has(.atelier-title:text-is('Été')) [data-action=edit-atelier]")
    assert (page.input_value("#f-startsAt"), page.input_value("#f-endsAt")) == ("2030-07-06T14:00", "2030-07-06T17:00")
    assert page.evaluate("new Date('2030-07-06T12:00:00Z').getTimezoneOffset()") == 240  # New York time
    page.click("[data-action=cancel-form]")
    page.click("li.atelier:has(.atelier-title:text-is('Hiver')) [data-action=edit-atelier]")
    page.fill("#f-endsAt", "2030-03-07T20:00")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")
    assert page.locator("li.atelier .atelier-when").all_inner_texts() == [
        "jeudi 7 mars 2030, de 18\u00a0h\u00a030 à 20\u00a0h", "samedi 6 juillet 2030, de 14\u00a0h à 17\u00a0h"]
    page.click("li.atelier:has(.atelier-title:text-is('Hiver')) [data-action=history-open]")
    page.wait_for_selector("#history-dialog[open]")
    assert page.locator("#history-dialog .history-field[data-field=endsAt] .history-value").all_text_contents() == [
        "(vide)"]
