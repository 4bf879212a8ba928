"""Two tabs of one device where one never hears the other (no BroadcastChannel: an old browser, or a
message lost while the tab slept): its next write still starts from what is stored, so neither tab's
work is lost."""

from __future__ import annotations

from conftest import boot, wait_ready
from driver import create_cellule, names

# The app's channel, in this tab only, goes nowhere: it neither hears the other tab nor is heard.
DEAF = """{ const Real = window.BroadcastChannel;
  window.BroadcastChannel = class extends Real {
    constructor(name) { super(name === 'cellules-fwb' ? 'cellules-fwb-deaf-' + Math.random() : name); } }; }"""


def test_a_tab_that_missed_the_others_write_reads_it_before_writing(make_context, server):
    context, deaf, watch = boot(make_context, server, init_scripts=(DEAF,))
    other = context.new_page()
    other.on("dialog", lambda d: d.accept())
    other.goto(server.url)
    wait_ready(other, watch=watch)
    create_cellule(other, "Cellule de l'autre onglet", place="mons")
    assert names(deaf) == []  # never told: its screen is as it was
    create_cellule(deaf, "Cellule de cet onglet", place="namur")
    assert names(deaf) == ["Cellule de cet onglet", "Cellule de l'autre onglet"]
    for page in (deaf, other):
        page.reload()
        wait_ready(page, watch=watch)
        assert names(page) == ["Cellule de cet onglet", "Cellule de l'autre onglet"]
