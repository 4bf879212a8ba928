"""« Sources »: a source first loaded with « Charger » remembers its address; « Actualiser » / « Tout
actualiser » load sources again from their addresses, through one preview, with the errors of a first
load; two groups called « Alice » told apart; after removing every source the page does not say nothing
was ever imported.

The sources arrive as a volunteer's do, in « Échanger »: Alice, Bob and Dora by « Charger » from two
local servers (Bob's file first pasted, then loaded from its address: nothing new, the address is kept),
the other « Alice » pasted (no address). Dora's site then stops allowing other pages to read it (CORS)."""

from __future__ import annotations

from conftest import Server, boot
from driver import next_frames, paste, shoot
from peers import NODE

from app.core import actions, document, i18n, merge, names
from app.core.errors import CellulesError
from app.core.report import COUNT_KEYS

T0 = 1_769_594_400_000


def seeded(seed: str) -> bytes:
    return (seed.encode() * 16)[:16]


def group(name: str, seed: str, *titles: str):
    state = actions.new_state(name=name, random_bytes=seeded(seed))
    for i, title in enumerate(titles):
        state, _ = actions.create_cellule(state, {"name": title, "nodeId": NODE}, now_ms=T0 + i,
                                          random_bytes=seeded(f"{seed}{i}"))
    return state


def add(state, title: str, seed: str):
    return actions.create_cellule(state, {"name": title, "nodeId": NODE}, now_ms=T0 + 50_000,
                                  random_bytes=seeded(seed))[0]


def dumps(state, now: int = T0 + 1000) -> str:
    return document.dumps(document.to_document(state, now_ms=now))


def publish(folder, name: str, state) -> None:
    (folder / f"{name}.json").write_text(dumps(state, T0 + 60_000), "utf-8")


def message(code: str, **params) -> str:
    return CellulesError(code, **params).message("fr")


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect();"
                                           " return r.top >= 0 && r.top < innerHeight && r.height > 0; }")


def test_refresh_one_and_all_through_one_preview_with_errors_namesakes_and_none_left(make_context, server, tmp_path):
    hosted = tmp_path / "hosted"
    hosted.mkdir()
    open_site, closed_site = Server(hosted, cors=True), Server(hosted, cors=True)  # the second closes below
    try:
        alice, bob, dora = group("Alice", "alice", "Jardin"), group("Bob", "bob", "Vélo"), group("Dora", "dora", "Four")
        twin = group("Alice", "twin", "Chorale")  # another group called « Alice », received as a file
        mine = group("Carla", "carla")  # what the page's instance knows, as the core labels it
        for peer in (alice, bob, dora, twin):
            mine = merge.import_text(mine, dumps(peer), now_ms=T0 + 2000)[0]
        labels = names.labels(mine)
        for name, peer in (("alice", alice), ("bob", bob), ("dora", dora)):
            publish(hosted, name, peer)

        context, page, watch = boot(make_context, server, allowed=(open_site.url, closed_site.url),
                                    viewport={"width": 1280, "height": 800})
        watch.expect_errors(  # what Chromium logs for the refusals provoked below
            "has been blocked by CORS policy", "Failed to load resource: net::ERR_FAILED",
            "Failed to load resource: the server responded with a status of 404",
            "Failed to load resource: net::ERR_INTERNET_DISCONNECTED")
        page.click("#tab-exchange")

        def merged(load) -> None:
            load()
            page.wait_for_selector("#do-merge")
            page.click("#do-merge")
            page.wait_for_selector("#report")

        def charger(url: str) -> None:
            page.fill("#import-url", url)
            page.click("#import-url-go")

        merged(lambda: charger(open_site.url + "alice.json"))
        merged(lambda: paste(page, dumps(bob)))  # pasted: no address yet
        merged(lambda: charger(open_site.url + "bob.json"))  # the same file by its address: nothing new
        assert page.text_content("#report-summary").startswith("Rien de nouveau")
        merged(lambda: charger(closed_site.url + "dora.json"))
        merged(lambda: paste(page, dumps(twin)))
        closed_site.stop()  # Dora's site no longer lets other pages read it
        closed_site.cors = False
        closed_site.start()
        publish(hosted, "alice", add(alice, "Potager", "pot"))
        page.click("#tab-sources")
        page.wait_for_selector("#source-list")

        # Each source by its label; the namesakes with their reference; the address, or why there is none
        cards = page.locator("li.source")
        shown = [(c.get_attribute("data-id"), c.locator(".source-name").text_content(),
                  c.locator(".source-ref").count(), c.locator(".source-url").text_content(),
                  c.locator("[data-action=refresh-source]").count()) for c in cards.all()]
        expected = {alice.instance_id: (labels[alice.instance_id], 1, i18n.t("s.address",
                                                                            url=open_site.url + "alice.json"), 1),
                    twin.instance_id: (labels[twin.instance_id], 1, i18n.t("s.no_address"), 0),
                    bob.instance_id: ("Bob", 0, i18n.t("s.address", url=open_site.url + "bob.json"), 1),
                    dora.instance_id: ("Dora", 0, i18n.t("s.address", url=closed_site.url + "dora.json"), 1)}
        assert {s[0]: s[1:] for s in shown} == expected
        assert sorted(labels[i] for i in (alice.instance_id, twin.instance_id)) == ["Alice", "Alice (2)"]
        assert page.locator(f"li.source[data-id={twin.instance_id}] .source-ref").text_content() == \
            " · " + i18n.t("s.reference", id=twin.instance_id)
        shoot(page, "sources-list", "#source-list")

        # « Tout actualiser »: one preview, per source what would change or why it could not be read
        # (Dora's site refuses to be read from another page: CORS), the focus on it
        page.click("#refresh-all")
        page.wait_for_selector("#refresh-card")
        assert page.evaluate("document.activeElement.id") == "refresh-card"
        sections = page.locator("section.refresh-source")
        assert [s.get_attribute("data-source") for s in sections.all()] == [
            alice.instance_id, bob.instance_id, dora.instance_id]
        counts = {"new": 1, "changed": 0, "conflict": 0, "deleted": 0, "unchanged": 1}
        assert [s.locator("p").first.text_content() for s in sections.all()] == [
            i18n.t("s.source_changes", name=labels[alice.instance_id], **counts),
            i18n.t("s.source_nothing", name="Bob"),
            i18n.t("s.source_failed", name="Dora", error=message("url.cors", url=closed_site.url + "dora.json"))]
        assert sections.first.locator(".plan-label").all_text_contents() == ["Potager"]
        shoot(page, "sources-refresh-preview", "#refresh-card")
        page.click("#refresh-cancel")
        assert page.locator("#refresh-card").count() == 0
        assert page.evaluate("document.activeElement.id") == "refresh-all"

        # Not found: said for that source, the others still listed
        (hosted / "bob.json").unlink()
        page.click("#refresh-all")
        page.wait_for_selector("#refresh-card")
        failed = page.locator("section.refresh-source .error-text")
        assert failed.all_text_contents() == [
            i18n.t("s.source_failed", name="Bob", error=message("url.http", url=open_site.url + "bob.json",
                                                                 status=404)),
            i18n.t("s.source_failed", name="Dora", error=message("url.cors", url=closed_site.url + "dora.json"))]
        # unticked, then a fast double click on « Fusionner »: nothing imported from Alice, one journal entry
        page.uncheck(f"[data-refresh-source={alice.instance_id}][data-refresh-plan]")
        page.dblclick("#refresh-merge")
        page.wait_for_selector("#refresh-card", state="detached")
        page.wait_for_function("document.getElementById('status').textContent.includes('Fusion')")
        page.click("#tab-cellules")
        assert sorted(page.locator(".cellule-name").all_text_contents()) == ["Chorale", "Four", "Jardin", "Vélo"]
        page.click("#tab-exchange")
        page.wait_for_selector("#journal li")
        assert page.locator("#journal li").count() == 6  # five imports, then this refresh: once

        publish(hosted, "bob", add(bob, "Repair café", "rep"))
        page.click("#tab-sources")

        # Offline: every address says so
        context.set_offline(True)
        page.click(f"li.source[data-id={alice.instance_id}] [data-action=refresh-source]")
        page.wait_for_selector("#refresh-card")
        assert page.locator("section.refresh-source .error-text").all_text_contents() == [
            i18n.t("s.source_failed", name=labels[alice.instance_id],
                   error=i18n.error_text("fetch.offline", url=open_site.url + "alice.json"))]
        assert page.text_content("#refresh-ended") == i18n.t("s.all_failed")
        assert page.locator("#refresh-merge").count() == 0
        context.set_offline(False)

        # On a phone: the preview and, after « Fusionner », the report are in sight
        page.set_viewport_size({"width": 390, "height": 844})
        page.click(f"li.source[data-id={bob.instance_id}] [data-action=refresh-source]")
        page.wait_for_function("document.querySelector('#refresh-card section.refresh-source .plan-label')")
        next_frames(page)
        assert in_view(page, "#refresh-card")
        shoot(page, "sources-refresh-phone", "#refresh-card")
        page.click("#refresh-merge")
        page.wait_for_function("document.getElementById('status').textContent.includes('Bob')")
        next_frames(page)
        assert in_view(page, "#status")
        assert page.text_content("#status").startswith(i18n.report_summary(
            "fr", "merge", "Bob", {k: 1 if k in ("added", "unchanged") else 0 for k in COUNT_KEYS})[:20])

        # Removing every source: the page does not say nothing was ever imported
        page.set_viewport_size({"width": 1280, "height": 800})
        for source_id in (alice.instance_id, bob.instance_id, dora.instance_id, twin.instance_id):
            page.click(f"li.source[data-id={source_id}] [data-action=drop-source][data-step=ask]")
            page.click("#drop-yes")
            page.wait_for_selector(f"li.source[data-id={source_id}]", state="detached")
        assert page.text_content("#sources-empty") == i18n.t("s.none_left")
        assert page.locator("#refresh-all").count() == 0
        shoot(page, "sources-none-left", "#sources-empty")
    finally:
        open_site.stop()
        closed_site.stop()

