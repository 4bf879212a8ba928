"""Group names as a reader tells them apart: two groups both called « Alice » read « Alice » and « Alice (2) ».

Every group this instance knows has a name: itself, its sources (`federatedSources`) and the authors
it only knows through a relay (`peerNames`). Names are free text, so two groups may share one; each
place that names a group (the Sources list, conflict marks, « par … » on a card, the CSV's provenance)
then shows its *label*: the name alone when no other known group has it (letters compared without
case or surrounding spaces), else the name followed by a number, « Alice (2) », the same number
everywhere and on every visit. Within one name this instance comes first (it keeps its name), then its
sources, then the authors known through a relay, each by reference (a stable order: the numbers never
move when one of them is imported again); a number already taken by another group's real name
(« Alice (2) » exists) is skipped. The Sources list shows, next to a numbered label, the reference and
where the data comes from (its address), so the user can tell which is which.

Labels are computed for the whole state at once and kept for the last state asked (the state is
immutable): naming a thousand cards costs one pass over the known groups.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from app.core import i18n
from app.core.actions import first_device_id
from app.core.brussels import local
from app.core.i18n import t
from app.core.model import State

_cache: list[Any] = [None, None, None, None, {}]  # (sources, extra, instance id, instance name) -> labels


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def known_names(state: State) -> dict[str, str]:
    """instance id -> name, for every group this state knows (itself, its sources, relayed authors)."""
    names: dict[str, str] = {}
    relayed = state.extra.get("peerNames")  # free-form data of the state file: trust nothing
    if isinstance(relayed, Mapping):
        for instance, name in relayed.items():
            if isinstance(instance, str) and isinstance(name, str) and name.strip():
                names[instance] = name
    for source in state.sources.values():
        names[source.id] = source.name
    names[state.instance_id] = state.instance_name
    return names


def _order(state: State, instance: str) -> tuple[int, str]:
    if instance == state.instance_id:
        return (0, instance)
    return (1 if instance in state.sources else 2, instance)


def labels(state: State) -> dict[str, str]:
    """instance id -> the label that names it here (the name, numbered when another group has it too)."""
    key = (state.sources, state.extra, state.instance_id, state.instance_name)
    if all(a is b for a, b in zip(_cache[:4], key, strict=True)):
        return _cache[4]
    names = known_names(state)
    groups: dict[str, list[str]] = {}
    for instance, name in names.items():
        groups.setdefault(fold(name), []).append(instance)
    out = dict(names)
    taken = set(groups)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda i: _order(state, i))
        n = 1
        for instance in group[1:]:
            n += 1
            name = names[instance].strip()
            while fold(f"{name} ({n})") in taken:
                n += 1
            out[instance] = f"{name} ({n})"
            taken.add(fold(out[instance]))
    _cache[:] = [*key, out]
    return out


def label(state: State, instance: str) -> str:
    """The label of one group: its name, numbered when shared; an unknown group is its reference."""
    return labels(state).get(instance, instance)


def shared(state: State, instance: str) -> bool:
    """Another known group has this one's name (its label carries a number, or another's does)."""
    names = known_names(state)
    name = names.get(instance)
    return name is not None and sum(fold(n) == fold(name) for n in names.values()) > 1


_LABEL_NUMBER = re.compile(r"( \(\d+\))?")  # « Alice (2) »: the number `labels` gives a shared name


def shown_name(lang: str, name: str) -> str:
    """A group's name or label as the interface shows it: the app's default name, which a group keeps
    until it is given one, reads in `lang` whichever language gave it (« Mon association (2) » is
    “My association (2)” in English); any other name as typed, never translated."""
    for other in i18n.CATALOGUES:
        default = t("instance.default_name", other)
        if name.startswith(default) and _LABEL_NUMBER.fullmatch(name[len(default):]):
            return t("instance.default_name", lang) + name[len(default):]
    return name


def this_device_wrote(state: State, node: str) -> bool:
    """A stamp with this node is a write of this very device: its node, or the group's id on the device
    that made the group (it wrote with the group's id until its first full export gave it a node of its
    own, drawn from that id); on a device restored from a backup, the group's id is the first device's."""
    return node == state.device or (node == state.instance_id and state.device == first_device_id(state.instance_id))


# --- export file names (the browser's and the CLI's) ------------------------------------------------
def device_label(state: State) -> str:
    """The device in a backup's file name: "" on the device that made the group (its stamp node is drawn
    from the group's id, or is that id in a state stored before devices had nodes), else this device's
    stamp node (« Cdyt7coz », as the history names its writes), drawn when it was restored."""
    return "" if state.device in (state.instance_id, first_device_id(state.instance_id)) else state.device


def _numbered(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}-{n}.{ext}" if dot else f"{name}-{n}"


def export_file_name(state: State, lang: str, kind: str, now_ms: int, given: Collection[str] = (), *,
                     safe_name: str) -> str:
    """The name of an export of `state` made at `now_ms` (Brussels time), in `lang`:
    « Asso-sauvegarde-2026-01-29-11h00.json » (full), « Asso-cellules-2026-01-29.json »,
    « Asso-supabase-2026-01-29.sql »; an unnamed group is « groupe ». A full backup made on a device
    restored from the group's backup names that device (« …-11h00-appareil-Cdyt7coz.json »): two devices
    of one group never give one name. `safe_name`: the group's name made safe for a file name
    (app.core.formats.safe_filename; its "instance", a name of no letters, is « groupe »). `given`: names
    already given (this device's last backups, the files of a folder); when the name is among them it gets
    the next number after the highest given (« …-11h00-2.json », « …-11h00-3.json »): two backups made in
    the same minute never share a name."""
    group = "" if safe_name == "instance" else safe_name
    device = device_label(state) if kind == "full" else ""
    if device:
        when = local(now_ms)
        name = t("file.backup_device", lang, name=group or t("file.default_name", lang),
                 date=when.strftime("%Y-%m-%d"), time=when.strftime("%Hh%M"), device=device)
    else:
        name = i18n.export_file_name(lang, kind, group, local(now_ms))
    stem, dot, ext = name.rpartition(".")
    numbered = re.compile(re.escape(stem) + r"-([1-9][0-9]{0,5})" + re.escape(dot + ext))
    highest = 1 if name in given else 0
    for other in given:
        found = numbered.fullmatch(other)
        if found:
            highest = max(highest, int(found[1]))
    return _numbered(name, highest + 1) if highest else name
