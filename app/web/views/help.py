"""« Aide »: step-by-step guides for the real situations (meeting without internet, monthly sync,
backup, migration to Supabase)."""

from __future__ import annotations

from app.web.context import Context
from app.web.dom import el

HELP = (
    ("Réunion sans internet", "Meeting without internet", (
        "Chacun·e ouvre l’application (elle fonctionne hors ligne) et crée ses cellules et ateliers.",
        "À la fin, chaque personne va dans « Échanger » et clique « Tout exporter » : un fichier .json est "
        "téléchargé.",
        "Partagez les fichiers (clé USB, e-mail, Signal…) ou, sans réseau, « Copier » puis collez le texte.",
        "Entre deux téléphones, sans réseau : sur une cellule, « QR Code » ; l’autre personne le lit avec "
        "« Scanner avec la caméra » (dans « Échanger ») ou avec l’appareil photo de son téléphone, qui ouvre "
        "l’application sur l’aperçu.",
        "Chacun·e importe les fichiers des autres : déposez-le sur la page ou « Choisir un fichier », vérifiez "
        "l’aperçu, puis « Fusionner ».",
        "Les cellules des autres apparaissent avec le badge FÉDÉRÉ et le nom de leur auteur.",
    )),
    ("Synchronisation mensuelle entre associations", "Monthly sync between associations", (
        "Chaque association garde sa propre instance (donnez-lui un nom dans « Cette instance »).",
        "Une fois par mois, chacune exporte « Cellules seules » (partage léger) ou « Tout exporter ».",
        "Déposez le fichier reçu, lisez l’aperçu (nouveau, modifié, conflit, supprimé), décochez ce que vous ne "
        "voulez pas, puis « Fusionner ». Importer deux fois le même fichier ne change rien.",
        "« Sources » montre qui vous a donné quoi ; « Supprimer cette source » retire ce qu’une association vous "
        "a donné, sans rien effacer chez elle.",
    )),
    ("Sauvegarde", "Backup", (
        "Dans « Échanger », cliquez « Tout exporter » : le fichier contient tout, suppressions comprises.",
        "Rangez-le dans votre cloud personnel ou sur une clé USB. Un rappel apparaît si la dernière sauvegarde "
        "date de plus de 30 jours.",
        "Sur un nouvel appareil : ouvrez l’application, déposez la sauvegarde, puis « Restaurer une sauvegarde » : "
        "l’appareil devient votre instance (vos cellules restent les vôtres).",
        "Sur l’appareil habituel, « Remplacer » reprend le contenu d’une sauvegarde ; « Annuler le dernier import » "
        "revient en arrière.",
    )),
    ("Migration vers Supabase", "Migration to Supabase", (
        "La personne qui installe Supabase crée les tables une fois : elle colle le fichier "
        "supabase/migrations/…_init.sql du projet dans l’éditeur SQL de Supabase (« SQL Editor ») et clique « Run ».",
        "Sur chaque instance, dans « Échanger », cliquez « Exporter pour Supabase » : un fichier .sql est "
        "téléchargé. Envoyez-le à cette personne.",
        "Elle colle chaque fichier .sql dans l’éditeur SQL et clique « Run », dans n’importe quel ordre. Recharger "
        "un fichier ne crée pas de doublons : la version la plus récente de chaque champ est gardée, comme dans "
        "l’application.",
        "Pour revenir au mode autonome : « select public.fwb_export_v1() » dans l’éditeur SQL donne un export à "
        "enregistrer en .json, que l’application importe comme les autres.",
        "Gardez aussi vos exports « Tout exporter » : ils restent lisibles par l’application.",
    )),
)


class HelpView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def render(self) -> None:
        en = self.ctx.lang == "en"
        sections = [el("section", {"class": "card"}, el("h3", {"text": title_en if en else title_fr}),
                       el("ol", {}, [el("li", {"text": step}) for step in steps]))
                    for title_fr, title_en, steps in HELP]
        self.ctx.fill("help", el("h2", {"text": self.ctx.t("tab.help")}),
                      el("p", {"class": "muted", "text": self.ctx.t("h.intro")}), sections)
