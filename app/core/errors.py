"""One error hierarchy for the whole app; every message exists in French (first) and English.

Errors carry a code and parameters; the text comes from the MESSAGES table, so the UI can show
the user's language and tests can check codes rather than sentences. `str(error)` is French.
The UI and the CLI catch `CellulesError` only: anything else is a bug.
"""

from __future__ import annotations

from typing import Any

# code -> (French, English). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    "field.required": ("Le champ « {label} » est obligatoire.", "The field “{label_en}” is required."),
    "field.type": ("Le champ « {label} » doit être {expected}.", "The field “{label_en}” must be {expected_en}."),
    "field.too_long": (
        "Le champ « {label} » dépasse {limit} caractères ({length}).",
        "The field “{label_en}” is longer than {limit} characters ({length}).",
    ),
    "field.too_short": (
        "Le champ « {label} » doit contenir au moins {limit} caractère(s).",
        "The field “{label_en}” needs at least {limit} character(s).",
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
        "Le nœud « {node} » n’existe pas dans la grille FWB.",
        "Node “{node}” is not in the FWB grid.",
    ),
    "time.invalid": (
        "La date « {value} » n’est pas une date UTC RFC 3339 (ex. 2026-01-28T18:30:00Z).",
        "“{value}” is not a UTC RFC 3339 date (e.g. 2026-01-28T18:30:00Z).",
    ),
    "time.order": (
        "La fin de l’atelier doit venir après son début.",
        "The workshop must end after it starts.",
    ),
    "clock.invalid": ("Horloge de synchronisation illisible : « {value} ».", "Unreadable sync clock: “{value}”."),
    "clock.future": (
        "Horodatage trop loin dans le futur : « {value} » (l’horloge de l’appareil qui l’a écrit est-elle juste ?).",
        "Timestamp too far in the future: “{value}” (is the writing device's clock right?).",
    ),
    "instance.id": (
        "Identifiant d’instance invalide « {value} » : « C » suivi de 7 lettres minuscules ou chiffres.",
        "Invalid instance id “{value}”: “C” followed by 7 lowercase letters or digits.",
    ),
    "record.unknown": ("{kind_fr} introuvable : « {id} ».", "{kind_en} not found: “{id}”."),
    "record.deleted": ("{kind_fr} « {id} » est supprimé(e).", "{kind_en} “{id}” is deleted."),
    "atelier.orphan": (
        "L’atelier « {id} » renvoie à une cellule inconnue « {cellule} ».",
        "Workshop “{id}” points to an unknown cellule “{cellule}”.",
    ),
    "doc.json": (
        "Ce texte n’est pas du JSON valide (ligne {line}, colonne {col}) : {detail}.",
        "This text is not valid JSON (line {line}, column {col}): {detail}.",
    ),
    "doc.encoding": ("Le fichier n’est pas encodé en UTF-8.", "The file is not UTF-8 encoded."),
    "doc.too_large": (
        "Document trop volumineux : {size} octets (maximum {limit}).",
        "Document too large: {size} bytes (maximum {limit}).",
    ),
    "doc.not_object": (
        "Ce n’est pas un export Cellules FWB : un objet JSON est attendu.",
        "Not a Cellules FWB export: a JSON object is expected.",
    ),
    "doc.version_missing": (
        "Ce n’est pas un export Cellules FWB : le champ « version » manque.",
        "Not a Cellules FWB export: the “version” field is missing.",
    ),
    "doc.version_unsupported": (
        "Version de format {version} non prise en charge : cette application lit la version 1.x. "
        "Mettez l’application à jour.",
        "Format version {version} is not supported: this app reads version 1.x. Update the app.",
    ),
    "doc.schema": ("Document invalide à {where} : {detail}.", "Invalid document at {where}: {detail}."),
    "doc.duplicate": (
        "Identifiant en double dans le document : « {id} ».",
        "Duplicate id in the document: “{id}”.",
    ),
    "doc.limit": (
        "Trop de {what} dans le document : {count} (maximum {limit}).",
        "Too many {what_en} in the document: {count} (maximum {limit}).",
    ),
    "doc.depth": (
        "Document trop imbriqué (plus de {limit} niveaux).",
        "Document nested too deeply (more than {limit} levels).",
    ),
    # --- issue 12: intake & outputs ---
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
    "undo.nothing": ("Rien à annuler.", "Nothing to undo."),
    "payload.prefix": (
        "Ce texte n’est ni un export JSON, ni un code Cellules FWB (« FWB1:… »), ni un lien d’import.",
        "This text is neither a JSON export, nor a Cellules FWB code (“FWB1:…”), nor an import link.",
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
        "Les morceaux assemblés ne correspondent pas à leur empreinte : rescannez-les.",
        "The assembled parts do not match their checksum: scan them again.",
    ),
    "payload.parts_limit": ("Trop de morceaux : {count} (maximum {limit}).",
                            "Too many parts: {count} (maximum {limit})."),
    "qr.too_big": (
        "Cette cellule est trop grande pour un seul QR code ({chars} caractères) : utilisez « qr --all » "
        "(plusieurs images) ou un export fichier.",
        "This cellule is too large for a single QR code ({chars} characters): use “qr --all” or a file export.",
    ),
    "qr.format": ("Format d’image inconnu « {name} » : .png ou .svg.", "Unknown image format “{name}”: .png or .svg."),
    "state.empty": ("Aucune donnée enregistrée.", "No stored data."),
}


class CellulesError(Exception):
    """Base of every error the user may see. `str()` gives the French message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        fr, en = MESSAGES.get(self.code, ("Erreur : {code}", "Error: {code}"))
        template = en if lang == "en" else fr
        try:
            return template.format(code=self.code, **self.params)
        except (KeyError, IndexError):
            return template


class ValidationError(CellulesError):
    """A value breaks a rule of the model (names the field)."""


class DocumentError(CellulesError):
    """An incoming document cannot be read: JSON, encoding, version, schema, limits."""


class ClockError(CellulesError):
    """A sync clock is unreadable or implausible."""


class NotFoundError(CellulesError):
    """An operation names a record that does not exist (or is deleted)."""
