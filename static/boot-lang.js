/* The loading screen in the language the user chose (localStorage "cellules-lang"), before Python runs:
 * index.html's [data-i18n] texts and [data-i18n-label] labels get the words the app kept the last time it
 * ran (app/web/feedback.py footer_words -> localStorage "cellules-boot-words"; every word lives in
 * app/core/i18n.py). A first visit has none kept: the page's own French. Runs at once, before the page is
 * painted, so French never flashes before English. */
(() => {
  try {
    const lang = localStorage.getItem("cellules-lang") || "fr";
    const kept = JSON.parse(localStorage.getItem("cellules-boot-words") || "null");
    if (!kept || kept.lang !== lang || typeof kept.words !== "object") return;
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const text = kept.words[node.dataset.i18n];
      if (typeof text === "string") node.textContent = text;
    }
    for (const node of document.querySelectorAll("[data-i18n-label]")) {
      const text = kept.words[node.dataset.i18nLabel];
      if (typeof text === "string") node.setAttribute("aria-label", text);
    }
  } catch (e) { /* damaged or unreadable: the page's own French */ }
})();
