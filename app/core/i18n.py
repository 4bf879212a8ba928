"""Interface strings, French first and English second (a table: key -> (fr, en))."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "tab.cellules": ("Cellules", "Cellules"),
    "tab.map": ("Carte", "Map"),
    "tab.settings": ("Cette instance", "This instance"),
    "tab.exchange": ("Échanger", "Exchange"),
    "tab.sources": ("Sources", "Sources"),
    "tab.help": ("Aide", "Help"),
    "x.export": ("Exporter", "Export"),
    "x.export_full": ("Tout exporter", "Export everything"),
    "x.export_cellules": ("Cellules seules", "Cellules only"),
    "x.copy": ("Copier", "Copy"),
    "x.export_sql": ("Exporter pour Supabase", "Export for Supabase"),
    "x.copied": ("Export copié dans le presse-papiers ({n} caractères) : collez-le dans votre messagerie.",
                 "Export copied to the clipboard ({n} characters): paste it into your chat app."),
    "x.copy_failed": ("Le navigateur a refusé l’accès au presse-papiers : utilisez « Tout exporter ».",
                      "The browser refused clipboard access: use “Export everything”."),
    "x.exported": ("Fichier « {name} » téléchargé.", "File “{name}” downloaded."),
    "x.never_backed_up": ("Aucune sauvegarde complète encore : pensez à « Tout exporter ».",
                          "No full backup yet: remember “Export everything”."),
    "x.last_backup": ("Dernière sauvegarde complète il y a {days} jour(s).", "Last full backup {days} day(s) ago."),
    "x.last_backup_old": ("Dernière sauvegarde il y a {days} jours — Tout exporter",
                          "Last backup {days} days ago — Export everything"),
    "x.import": ("Importer", "Import"),
    "x.drop_hint": ("Glissez-déposez un fichier .json n’importe où sur la page, choisissez-le, collez le texte reçu "
                    "ou donnez l’adresse d’un fichier en ligne. Rien n’est enregistré avant votre choix.",
                    "Drop a .json file anywhere on the page, pick it, paste the text you received, or give the "
                    "address of a file online. Nothing is saved before you choose."),
    "x.file": ("Choisir un fichier", "Pick a file"),
    "x.paste": ("Coller le texte reçu (JSON)", "Paste the text you received (JSON)"),
    "x.analyse": ("Analyser le texte collé", "Analyse the pasted text"),
    "x.url": ("Charger depuis une URL (http ou https)", "Load from a URL (http or https)"),
    "x.load": ("Charger", "Load"),
    "x.loading": ("Chargement de {url}…", "Loading {url}…"),
    "x.pasted": ("texte collé", "pasted text"),
    "x.preview": ("Aperçu avant import", "Preview before import"),
    "x.preview_summary": ("Fichier de « {name} » ({id}) : {new} nouveau(x), {changed} modifié(s), {conflict} "
                          "conflit(s), {deleted} supprimé(s), {unchanged} inchangé(s).",
                          "File from “{name}” ({id}): {new} new, {changed} changed, {conflict} conflict(s), "
                          "{deleted} deleted, {unchanged} unchanged."),
    "x.preview_more": ("Les {n} autres éléments ne sont pas listés un par un ; ils seront importés aussi.",
                       "The {n} other items are not listed one by one; they will be imported too."),
    "x.nothing_new": ("Rien de nouveau dans ce fichier.", "Nothing new in this file."),
    "x.kind.cellule": ("cellule", "cellule"),
    "x.kind.atelier": ("atelier", "workshop"),
    "x.merge": ("Fusionner", "Merge"),
    "x.replace": ("Remplacer", "Replace"),
    "x.modes": ("Fusionner garde tout (les éléments décochés sont laissés de côté). Remplacer écrase vos données "
                "par celles du fichier ; « Annuler le dernier import » permet de revenir en arrière.",
                "Merge keeps everything (unticked items are left out). Replace overwrites your data with the "
                "file's; “Undo the last import” brings it back."),
    "x.confirm_replace": ("Remplacer toutes vos données par celles du fichier ? (Vous pourrez annuler.)",
                          "Replace all your data with the file's? (You can undo.)"),
    "x.report": ("Rapport d’import", "Import report"),
    "x.journal": ("Journal des imports", "Import journal"),
    "x.undo": ("Annuler le dernier import", "Undo the last import"),
    "x.undone": ("Dernière opération annulée : les données d’avant sont rétablies.",
                 "Last operation undone: the data from before is back."),
    "x.nothing_to_undo": ("Rien à annuler.", "Nothing to undo."),
    "s.explain": ("Les instances dont vous avez importé des données. Supprimer une source retire de cet appareil ce "
                  "qu’elle seule vous a donné (et leurs ateliers), sans rien effacer chez elle ; un nouvel import "
                  "le ramène.",
                  "Instances you imported data from. Removing a source takes off this device what only it gave "
                  "you (with their workshops), without deleting anything there; importing again brings it back."),
    "s.none": ("Aucune source : rien n’a encore été importé d’une autre instance.",
               "No source: nothing was imported from another instance yet."),
    "s.counts": ("Dernier import {at} · {cellules} cellule(s), {ateliers} atelier(s)",
                 "Last import {at} · {cellules} cellule(s), {ateliers} workshop(s)"),
    "s.drop": ("Supprimer cette source", "Remove this source"),
    "s.confirm": ("Retirer de cet appareil ce que « {name} » vous a donné : {cellules} cellule(s) et {ateliers} "
                  "atelier(s) ? Rien n’est supprimé chez les autres, et vous pourrez annuler.",
                  "Take off this device what “{name}” gave you: {cellules} cellule(s) and {ateliers} workshop(s)? "
                  "Nothing is deleted elsewhere, and you can undo."),
    "h.intro": ("Quatre situations réelles, pas à pas. Les boutons sont nommés comme dans l’application.",
                "Four real situations, step by step (the buttons are named as in the French interface)."),
    "lang.other": ("English", "Français"),
    "instance.label": ("Instance « {name} » · {id}", "Instance “{name}” · {id}"),
    "list.title": ("Cellules", "Cellules"),
    "list.filter": ("Filtrer (nom, description, commune)", "Filter (name, description, commune)"),
    "list.commune": ("Commune", "Commune"),
    "list.all_communes": ("Toutes les communes", "All communes"),
    "list.fed": ("Provenance", "Origin"),
    "list.fed.all": ("Toutes", "All"),
    "list.fed.local": ("Créées ici", "Made here"),
    "list.fed.federated": ("FÉDÉRÉ (d’autres instances)", "FÉDÉRÉ (from other instances)"),
    "list.empty": ("Aucune cellule pour l’instant. Créez la première !", "No cellule yet. Create the first one!"),
    "list.none_match": ("Aucune cellule ne correspond au filtre.", "No cellule matches the filter."),
    "list.count": ("{n} cellule(s)", "{n} cellule(s)"),
    "cellule.new": ("Nouvelle cellule", "New cellule"),
    "cellule.edit": ("Modifier", "Edit"),
    "cellule.delete": ("Supprimer", "Delete"),
    "cellule.confirm_delete": ("Supprimer la cellule « {name} » et ses ateliers ?",
                               "Delete cellule “{name}” and its workshops?"),
    "cellule.deleted": ("Cellule « {name} » supprimée.", "Cellule “{name}” deleted."),
    "cellule.saved": ("Cellule « {name} » enregistrée.", "Cellule “{name}” saved."),
    "cellule.node": ("Lieu (nœud de la grille)", "Place (grid node)"),
    "cellule.node_search": ("Chercher une commune, une localité ou un code postal",
                            "Search a commune, locality or postal code"),
    "cellule.node_pick_map": ("Choisir sur la carte", "Pick on the map"),
    "cellule.node_none": ("Aucun lieu choisi", "No place chosen"),
    "cellule.node_chosen": ("Lieu choisi : {label}", "Chosen place: {label}"),
    "cellule.ateliers": ("Ateliers", "Workshops"),
    "field.name": ("Nom", "Name"),
    "field.description": ("Description", "Description"),
    "field.contact": ("Contact (facultatif)", "Contact (optional)"),
    "field.title": ("Titre", "Title"),
    "field.startsAt": ("Début", "Start"),
    "field.endsAt": ("Fin (facultatif)", "End (optional)"),
    "field.place": ("Lieu (facultatif)", "Place (optional)"),
    "form.save": ("Enregistrer", "Save"),
    "form.cancel": ("Annuler", "Cancel"),
    "atelier.new": ("Nouvel atelier", "New workshop"),
    "atelier.none": ("Aucun atelier prévu.", "No workshop planned."),
    "atelier.saved": ("Atelier « {title} » enregistré.", "Workshop “{title}” saved."),
    "atelier.deleted": ("Atelier « {title} » supprimé.", "Workshop “{title}” deleted."),
    "atelier.confirm_delete": ("Supprimer l’atelier « {title} » ?", "Delete workshop “{title}”?"),
    "atelier.past": ("passé", "past"),
    "badge.federated": ("FÉDÉRÉ", "FÉDÉRÉ"),
    "map.title": ("Carte de la grille FWB", "FWB grid map"),
    "map.help": ("Glisser ou flèches pour déplacer, molette, pincement ou +/− pour zoomer, "
                 "Entrée pour choisir le nœud au centre.",
                 "Drag or arrow keys to pan, wheel, pinch or +/− to zoom, Enter to pick the node at the centre."),
    "map.search": ("Trouver un lieu", "Find a place"),
    "map.selected": ("Nœud {id} — {label}", "Node {id} — {label}"),
    "map.no_cellule": ("Aucune cellule sur ce nœud.", "No cellule on this node."),
    "map.use_node": ("Créer une cellule ici", "Create a cellule here"),
    "map.choose_node": ("Choisir ce nœud", "Choose this node"),
    "map.legend": ("{nodes} nœuds · {busy} avec des cellules", "{nodes} nodes · {busy} with cellules"),
    "settings.name": ("Nom de cette instance (visible par ceux avec qui vous échangez)",
                      "Name of this instance (seen by those you exchange with)"),
    "settings.id": ("Identifiant", "Id"),
    "settings.storage": ("Stockage", "Storage"),
    "settings.persisted": ("Stockage persistant accordé : le navigateur ne videra pas vos données.",
                           "Persistent storage granted: the browser will not clear your data."),
    "settings.not_persisted": ("Stockage non persistant : le navigateur pourrait vider ces données s’il manque "
                               "de place. Exportez régulièrement.",
                               "Storage not persistent: the browser may clear this data when space runs short. "
                               "Export regularly."),
    "settings.usage": ("{used} utilisés sur {quota} disponibles", "{used} used of {quota} available"),
    "settings.saved": ("Nom enregistré.", "Name saved."),
    "preview.title": ("« {name} » : {n} cellule(s) — aperçu pendant le chargement",
                      "“{name}”: {n} cellule(s) — preview while loading"),
    "q.show": ("QR Code", "QR code"),
    "q.title": ("QR code de « {name} »", "QR code of “{name}”"),
    "q.alt": ("QR code de la cellule {name}", "QR code of cellule {name}"),
    "q.single": ("Scannez ce code avec l’application sur un autre téléphone (QR version {version}, correction M).",
                 "Scan this code with the app on another phone (QR version {version}, error correction M)."),
    "q.frames": ("Trop de données pour un seul code : {n} images défilent, scannez jusqu’à les avoir toutes.",
                 "Too much data for one code: {n} images loop, scan until you have them all."),
    "q.frame": ("Image {i} / {n}", "Image {i} / {n}"),
    "q.close": ("Fermer", "Close"),
    "q.link": ("Lien d’import (à envoyer par une messagerie)", "Import link (to send through a chat app)"),
    "q.scan_title": ("Scanner un QR code", "Scan a QR code"),
    "q.camera": ("Scanner avec la caméra", "Scan with the camera"),
    "q.stop": ("Arrêter la caméra", "Stop the camera"),
    "q.image": ("Lire un QR code depuis une photo ou une capture d’écran", "Read a QR code from a photo or screenshot"),
    "q.aim": ("Visez le QR code…", "Aim at the QR code…"),
    "q.progress": ("{got} image(s) sur {total} reçue(s)", "{got} of {total} image(s) received"),
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
    # --- issue 17: QR animé ---
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
    "q.anim.size": ("{kb} Ko compressés : environ {k} images suffisent, dans n’importe quel ordre (≈ {seconds} s).",
                    "{kb} KB compressed: about {k} frames are enough, in any order (≈ {seconds} s)."),
    "q.anim.frame": ("Image {i} / {n}", "Frame {i} / {n}"),
    "q.anim.alt": ("QR code animé de l’export", "Animated QR code of the export"),
    "q.anim.progress": ("{percent} % — gardez le téléphone face à l’écran",
                        "{percent} % — keep the phone facing the screen"),
    "q.anim.progress_label": ("Réception du QR animé", "Receiving the animated QR"),
    "q.anim.other": ("{percent} % — un autre QR animé est aussi visible : ses images sont mises à part",
                     "{percent} % — another animated QR is visible too: its frames are kept apart"),
    "error.prefix": ("Erreur : ", "Error: "),
    # --- issue 15: formats ---
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
    "fmt.col.node": ("Nœud de la grille", "Grid node"),
    "fmt.col.id": ("Identifiant", "Id"),
    "fmt.col.cellule_id": ("Identifiant de la cellule", "Cellule id"),
    "fmt.mine": ("cette instance ({name})", "this instance ({name})"),
    "fmt.federated": ("FÉDÉRÉ : de {author}", "FEDERATED: from {author}"),
    "fmt.federated_via": ("FÉDÉRÉ : de {author}, via {via}", "FEDERATED: from {author}, via {via}"),
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
    "fmt.print.subtitle": ("Liste imprimée le {date} · {n} cellule(s) · heures de Belgique",
                           "List printed on {date} · {n} cellule(s) · Belgian time"),
    "fx.title": ("Tableur, carte, agenda", "Spreadsheet, map, calendar"),
    "fx.hint": ("Pour ouvrir vos cellules et ateliers dans un tableur (LibreOffice, Excel), une carte (uMap, QGIS) "
                "ou un agenda (Google Agenda, Outlook, Thunderbird). Les éléments supprimés n’y figurent pas. "
                "Ces fichiers ne sont pas des sauvegardes : pour cela, « Tout exporter ».",
                "To open your cellules and workshops in a spreadsheet (LibreOffice, Excel), a map (uMap, QGIS) "
                "or a calendar (Google Calendar, Outlook, Thunderbird). Deleted items are left out. These files "
                "are not backups: for that, “Export everything”."),
    "fx.csv_cellules": ("Tableur des cellules (CSV)", "Cellules spreadsheet (CSV)"),
    "fx.csv_ateliers": ("Tableur des ateliers (CSV)", "Workshops spreadsheet (CSV)"),
    "fx.geojson": ("Carte (GeoJSON)", "Map (GeoJSON)"),
    "fx.ics": ("Agenda (iCalendar)", "Calendar (iCalendar)"),
    "fx.ics_title": ("Agenda", "Calendar"),
    "fx.ics_which": ("Ateliers de", "Workshops of"),
    "fx.ics_all": ("Toutes les cellules", "All cellules"),
    "fx.print_title": ("Imprimer", "Print"),
    "fx.print_qr": ("avec le QR code de chaque cellule", "with each cellule’s QR code"),
    "fx.print": ("Imprimer la liste", "Print the list"),
    "fx.printing": ("Liste de {n} cellule(s) prête à imprimer (A4).", "List of {n} cellule(s) ready to print (A4)."),
    "fx.print_contact": ("Contact : {contact}", "Contact: {contact}"),
    "fx.print_preparing": ("Préparation de la liste : {i} / {n} cellule(s)…",
                           "Preparing the list: {i} / {n} cellule(s)…"),
    "fx.print_qr_too_big": ("(QR code trop grand pour cette cellule)", "(QR code too big for this cellule)"),
    # --- issue 12: browser ---
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
    "r.detail": ("Détail technique (pour qui vous aide) : {detail}",
                 "Technical detail (for whoever helps you): {detail}"),
    "r.export": ("Exporter les données brutes", "Export the raw data"),
    "r.export_help": ("Un fichier .json avec tout ce qui est enregistré, tel quel, à garder ou à envoyer à "
                      "quelqu’un qui peut aider.",
                      "A .json file with everything stored, as it is, to keep or to send to someone who can help."),
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
                     "« Restaurer une sauvegarde ».",
                     "Erases this browser's data (export it first). You can then “Restore a backup”."),
    "r.erase_confirm": ("Effacer définitivement les données illisibles de ce navigateur ? Tapez EFFACER :",
                        "Erase the unreadable data of this browser for good? Type ERASE:"),
    "r.done": ("C’est fait : l’application redémarre…", "Done: the app restarts…"),
    "x.preview_refused": ("{n} élément(s) refusé(s) : ils ne seront pas importés (raison indiquée ci-dessous).",
                          "{n} item(s) refused: they will not be imported (reason given below)."),
    "x.replace_title": ("Si vous choisissez « Remplacer »", "If you choose “Replace”"),
    "x.replace_summary": ("{cellules} cellule(s) et {ateliers} atelier(s) de cet appareil seront supprimés :",
                          "{cellules} cellule(s) and {ateliers} workshop(s) of this device will be removed:"),
    "x.replace_none": ("Rien de ce qui est sur cet appareil ne serait supprimé.",
                       "Nothing on this device would be removed."),
    "x.confirm_replace_counts": ("Remplacer vos données par celles du fichier ? {cellules} cellule(s) et {ateliers} "
                                 "atelier(s) seront supprimés de cet appareil ; {new} élément(s) seront ajoutés et "
                                 "{changed} modifiés. (Vous pourrez annuler.)",
                                 "Replace your data with the file's? {cellules} cellule(s) and {ateliers} "
                                 "workshop(s) will be removed from this device; {new} item(s) added and {changed} "
                                 "changed. (You can undo.)"),
    "x.restore": ("Restaurer une sauvegarde", "Restore a backup"),
    "x.restore_explain": ("« Restaurer une sauvegarde » : cet appareil, encore vide, devient l’instance « {name} » "
                          "de la sauvegarde — vos cellules restent les vôtres (pas FÉDÉRÉ), vos sources et "
                          "l’historique sont repris.",
                          "“Restore a backup”: this device, still empty, becomes the backup's instance “{name}” — "
                          "your cellules stay yours (not FÉDÉRÉ), your sources and history come along."),
    "x.undo_kept": ("Rien n’a été annulé.", "Nothing was undone."),
    "c.mark_seen": ("J’ai vu", "Seen"),
    "c.history": ("Historique", "History"),
    "hi.title": ("Historique de « {name} »", "History of “{name}”"),
    "hi.explain": ("Les valeurs remplacées (par vous ou par un import) restent ici. Rétablir l’une d’elles est une "
                   "nouvelle modification, transmise aux autres au prochain échange.",
                   "Replaced values (by you or by an import) stay here. Restoring one is a new edit, passed on to "
                   "the others at the next exchange."),
    "hi.current": ("Valeur actuelle : {value}", "Current value: {value}"),
    "hi.none": ("Aucune ancienne valeur enregistrée pour cet élément.", "No earlier value stored for this item."),
    "hi.entry": ("écrite le {when} par {who}", "written {when} by {who}"),
    "hi.restore": ("Rétablir cette valeur", "Restore this value"),
    "hi.restored": ("« {field} » rétabli : {value}", "“{field}” restored: {value}"),
    "hi.close": ("Fermer", "Close"),
    # --- issue 12: merge ---
    "m.status.new": ("nouveau", "new"),
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
    "m.reason.clock.future": ("horodatage trop loin dans le futur ({value}) : l’horloge de l’appareil qui l’a "
                              "écrit est sans doute fausse", "timestamp too far in the future ({value}): the "
                              "writing device's clock is probably wrong"),
    "m.reason.clock.invalid": ("horodatage illisible ({value})", "unreadable timestamp ({value})"),
    "m.reason.identity.origin": ("cet élément existe déjà ici, écrit par {held} ; le fichier prétend qu’il a été "
                                 "écrit par {claimed}", "this item already exists here, written by {held}; the file "
                                 "claims it was written by {claimed}"),
    "m.reason.identity.created": ("cet élément existe déjà ici, créé le {held} ; le fichier lui donne une autre "
                                  "date de création ({claimed})", "this item already exists here, created on "
                                  "{held}; the file gives it another creation date ({claimed})"),
    "m.reason.parent.refused": ("sa cellule « {cellule} » est refusée", "its cellule “{cellule}” is refused"),
    "m.report.merge": ("Fusion depuis « {name} » : {added} ajouté(s), {updated} mis à jour, {unchanged} "
                       "inchangé(s), {conflicts} conflit(s) résolu(s), {deleted} supprimé(s)",
                       "Merge from “{name}”: {added} added, {updated} updated, {unchanged} unchanged, "
                       "{conflicts} conflict(s) resolved, {deleted} deleted"),
    "m.report.replace": ("Remplacement depuis « {name} » : {added} ajouté(s), {updated} mis à jour, {unchanged} "
                         "inchangé(s), {conflicts} conflit(s) résolu(s), {deleted} supprimé(s)",
                         "Replace from “{name}”: {added} added, {updated} updated, {unchanged} unchanged, "
                         "{conflicts} conflict(s) resolved, {deleted} deleted"),
    "m.report.restore": ("Sauvegarde de « {name} » restaurée : {added} élément(s), cet appareil est maintenant "
                         "« {name} »", "Backup of “{name}” restored: {added} item(s), this device is now “{name}”"),
    "m.report.drop": ("Source « {name} » supprimée : {removed} élément(s) retiré(s) de cet appareil.",
                      "Source “{name}” removed: {removed} item(s) taken off this device."),
    "m.report.undo": ("Annulé : {reverts} élément(s) remis comme avant ; ce que vous avez fait depuis est gardé.",
                      "Undone: {reverts} item(s) put back as before; what you did since is kept."),
    "m.report.removed": (", {n} retiré(s)", ", {n} removed"),
    "m.undo.lost_field": ("perdu : {kind} {id} « {label} » : {field} = {value}",
                          "lost: {kind} {id} “{label}”: {field} = {value}"),
    "m.undo.lost_record": ("perdu : {kind} {id} « {label} » (ajouté depuis l’import)",
                           "lost: {kind} {id} “{label}” (added since the import)"),
    "m.report.skipped": (", {n} laissé(s) de côté", ", {n} left out"),
    "m.report.refused": (", {n} refusé(s)", ", {n} refused"),
    "err.import.self": ("Ce fichier vient de cette instance-ci (« {name} », {id}) : une instance ne fusionne pas "
                        "avec elle-même. Pour reprendre une sauvegarde sur un nouvel appareil, utilisez « Restaurer "
                        "une sauvegarde » sur une instance vide.",
                        "This file comes from this very instance (“{name}”, {id}): an instance does not merge with "
                        "itself. To bring a backup to a new device, use “Restore a backup” on an empty instance."),
    "err.restore.not_empty": ("On ne restaure une sauvegarde que sur une instance vide : « {name} » contient déjà "
                              "des données (exportez-les puis effacez-les d’abord, ou utilisez Fusionner).",
                              "A backup is restored only on an empty instance: “{name}” already holds data "
                              "(export then erase it first, or use Merge)."),
    "err.restore.not_backup": ("Ce fichier de « {name} » n’est pas une sauvegarde complète (« Tout exporter ») : "
                               "importez-le avec Fusionner.",
                               "This file from “{name}” is not a full backup (“Export everything”): import it "
                               "with Merge."),
    "err.undo.would_lose": ("Annuler retirerait aussi {n} modification(s) faite(s) depuis l’import ({what}). "
                            "Confirmez pour annuler quand même.",
                            "Undoing would also take away {n} change(s) made since the import ({what}). Confirm "
                            "to undo anyway."),
    "err.undo.other_instance": ("Cette annulation appartient à une autre instance ({id}) : rien n’a été changé.",
                                "This undo belongs to another instance ({id}): nothing was changed."),
    "err.undo.unreadable": ("Annulation illisible ({detail}) : rien n’a été changé.",
                            "Unreadable undo ({detail}): nothing was changed."),
    "err.history.unknown": ("Cette valeur n’est plus dans l’historique de « {label} ».",
                            "This value is no longer in the history of “{label}”."),
    # --- issue 14: carte ---
    "map.node.commune": ("Commune : {commune}", "Municipality: {commune}"),
    "map.node.postcode": ("Code postal : {codes}", "Postcode: {codes}"),
    "map.node.postcodes": ("Codes postaux : {codes}", "Postcodes: {codes}"),
    "map.node.cellules": ("{n} cellule(s) ici :", "{n} cellule(s) here:"),
    "map.unknown_node": ("lieu absent de la grille", "place not on the grid"),
    "map.kind.commune": ("Commune", "Municipality"),
    "map.kind.locality": ("Localité", "Locality"),
    "map.kind.postcode": ("Code postal", "Postcode"),
    "map.search_hint": ("Une commune, une localité ou un code postal ; Entrée choisit le premier résultat.",
                        "A municipality, a locality or a postcode; Enter picks the first result."),
    "map.no_hit": ("Aucun lieu ne correspond à « {q} ».", "No place matches “{q}”."),
    "map.near_me": ("Autour de moi", "Near me"),
    "map.locating": ("Recherche de votre position…", "Finding your position…"),
    "map.geo.found": ("Le nœud le plus proche de vous : {label}.", "The node nearest to you: {label}."),
    "map.geo.far": ("Vous êtes hors de Bruxelles et de la Wallonie ; le nœud le plus proche : {label}.",
                    "You are outside Brussels and Wallonia; the nearest node: {label}."),
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
    "map.pick": ("Choisissez le lieu de “{name}”", "Choose the place of “{name}”"),
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
    "map.key": ("Traits : limites de communes (fins), de provinces (épais), de la FWB (plus épais) · jaune : "
                "nœud avec des cellules (leur nombre en zoomant)",
                "Lines: municipal borders (thin), provinces (thick), FWB (thicker) · yellow: node with cellules "
                "(their number as you zoom in)"),
}


def t(key: str, lang: str = "fr", **params: object) -> str:
    fr, en = TEXTS.get(key, (key, key))
    text = en if lang == "en" else fr
    return text.format(**params) if params else text
