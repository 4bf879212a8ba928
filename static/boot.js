/* Page-side glue the browser demands: service worker registration, the update prompt, the offline
 * state, and the boot watchdog (data-app-state="error" with a French message, never an endless spinner).
 *
 * The offline state: <html data-offline> and a "cellules-offline" event (app/web/views/settings.py says
 * it in the user's language, in the bar under the header and in the footer):
 *   "preparing"   the worker is downloading the app's files (a first visit): going offline now would
 *                 leave nothing to open;
 *   "ready"       the active worker answered that its cache holds every file of its build
 *                 (service-worker.js "offline-check"): a reload without network opens the app;
 *   "interrupted" the download stopped (no network, server gone) or a file could not be fetched again:
 *                 tried again when the network comes back (or the window is focused);
 *   "unavailable" no service worker here (plain http on a LAN: `app serve --lan`; old browsers).
 * No attribute until the first answer: a returning visitor is not told « Préparation » for nothing.
 *
 * Its words come from the catalogues (locale/): tools/build_site.py writes every language's templates of
 * the keys named by word("…") below in place of BOOT_WORDS (tests/lint/test_boot_words.py). */
(() => {
  const root = document.documentElement;
  const BOOT_TIMEOUT_MS = 120000;
  const WORDS = /* BOOT_WORDS */ null;

  /** The words of `key` in the user's language (French where it has none; the key itself if unknown),
   * each {name} filled from `params`. */
  function word(key, params = {}) {
    let lang = "fr";
    try { lang = localStorage.getItem("cellules-lang") || "fr"; } catch (e) { /* storage refused: French */ }
    const text = ((WORDS || {})[lang] || {})[key] ?? ((WORDS || {}).fr || {})[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  function fail(message) {
    if (root.dataset.appState !== "booting") return;
    root.dataset.appState = "error";
    document.getElementById("boot-status").hidden = true;
    document.getElementById("boot-error").hidden = false;
    document.getElementById("boot-error-message").textContent = message;
  }
  const failedOn = (detail) => fail(word("page.boot_error", { detail }));
  window.cellulesBootFail = failedOn;  // app/web/main.py: what stopped the boot (the message of its error)
  window.addEventListener("error", (e) => failedOn(e.message || e));
  window.addEventListener("unhandledrejection", (e) => failedOn((e.reason && e.reason.message) || e.reason));
  // A database held by an older tab (app/web/store.py open_db: #db-blocked) is named, not blamed on disk space.
  setTimeout(() => fail(root.dataset.dbBlocked ? document.getElementById("db-blocked").textContent
    : word("page.boot_slow")), BOOT_TIMEOUT_MS);

  // The memory snapshot of this build (static/pyboot.mjs), read and checked (SHA-256) while
  // PyScript's own modules load, in a worker: 31 MB hashed on the main thread was 0.45 s at CPU x4.
  // Only in secure contexts (no Cache Storage over plain http on a LAN).
  function snapshotReader() {  // runs in the worker
    onmessage = async ({ data: { name, key } }) => {
      try {
        const hit = await (await caches.open(name)).match(key);
        if (!hit) return postMessage({ reason: "no snapshot" });
        const bytes = await hit.arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
        postMessage({ bytes, build: hit.headers.get("x-build"), ok: sha256 === hit.headers.get("x-sha256") }, [bytes]);
      } catch (e) {
        postMessage({ reason: `unreadable: ${e}` });
      }
    };
  }
  window.cellulesSnapshotRead = (async () => {
    const name = `cellules-fwb-${root.dataset.build}`;
    if (!window.caches || !window.Worker || !(await caches.has(name))) return null;
    const url = URL.createObjectURL(new Blob([`(${snapshotReader})()`], { type: "text/javascript" }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    return new Promise((resolve) => {
      worker.onmessage = ({ data }) => { worker.terminate(); resolve(data); };
      worker.onerror = () => { worker.terminate(); resolve(null); };
      worker.postMessage({ name, key: new URL("./__snapshot__/pyodide.bin", document.baseURI).href });
    });
  })().catch(() => null);

  // Stored data before Python is ready: the last list, as plain text, saved by app/web/views/cellules.py.
  try {
    const preview = JSON.parse(localStorage.getItem("cellules-fwb-preview") || "null");
    const box = document.getElementById("boot-preview");
    if (preview && box && preview.items.length) {
      const title = document.createElement("h2");
      title.textContent = preview.title;
      const list = document.createElement("ul");
      for (const [name, place] of preview.items) {
        const li = document.createElement("li");
        li.textContent = place ? `${name} — ${place}` : name;
        list.appendChild(li);
      }
      box.replaceChildren(title, list);
      box.hidden = false;
      performance.mark("cellules-preview");  // bench/boot.py: the stored list is in the page
    }
  } catch (e) { /* a damaged preview is only a preview */ }

  // The tab bar before Python (index.html #boot-tabs): a click marks the tab at once, says what
  // is coming, and is remembered in data-boot-tab, where app/web/main.py opens that tab.
  const tabs = document.getElementById("boot-tabs");
  if (tabs) {
    tabs.addEventListener("click", (event) => {
      const tab = event.target.closest("[data-tab]");
      if (!tab || root.dataset.appState !== "booting") return;
      for (const other of tabs.querySelectorAll("[data-tab]")) {
        other.setAttribute("aria-selected", other === tab ? "true" : "false");
      }
      root.dataset.bootTab = tab.dataset.tab;
      const wait = document.getElementById("boot-tab-wait");
      const list = tab.dataset.tab === "cellules";
      wait.textContent = list ? "" : word("page.boot_tab_wait", { tab: tab.textContent });
      wait.hidden = list;
      const preview = document.getElementById("boot-preview");
      if (preview.childElementCount) preview.hidden = !list;  // the stored list belongs to « Cellules »
    });
    const drop = () => {
      if (root.dataset.appState === "booting") return false;
      const focused = tabs.contains(document.activeElement);
      tabs.remove();  // the app's own tabs (or the error) take their place
      const chosen = document.getElementById(`tab-${root.dataset.bootTab || "cellules"}`);
      if (focused && chosen) chosen.focus();
      return true;
    };
    if (!drop()) new MutationObserver((_, observer) => drop() && observer.disconnect())
      .observe(root, { attributes: true, attributeFilter: ["data-app-state"] });
  }

  // « Installer l'application »: the browser's offer may come before Python runs; keep it for
  // app/web/views/welcome.py, and tell it when the offer comes (or goes, once installed).
  window.cellulesInstallPrompt = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    window.cellulesInstallPrompt = event;
    window.dispatchEvent(new Event("cellules-install"));
  });
  window.addEventListener("appinstalled", () => {
    window.cellulesInstallPrompt = null;
    window.dispatchEvent(new Event("cellules-install"));
    // Installed: the moment to ask the browser to keep this site's data (app/web/views/settings.py says the answer).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  });

  function offline(state) {
    if (root.dataset.offline === state) return;
    root.dataset.offline = state;
    window.dispatchEvent(new Event("cellules-offline"));
  }
  if (!("serviceWorker" in navigator)) {
    offline("unavailable");
    return;
  }
  const sw = navigator.serviceWorker;
  let current = sw.controller;
  let reloading = false;
  sw.addEventListener("controllerchange", () => {
    // Reload only when a worker replaces another one: a new build, every tab reloads onto it so none
    // runs a half-old, half-new set. The first worker claiming a first-visit page serves the same
    // build: nothing to do. A worker that vanished (the browser cleared the site's storage, or
    // evicted it under pressure: the controller becomes null) is never a reason to reload: the page
    // may be in the middle of an import, and a reload would find the database gone too.
    const previous = current;
    current = sw.controller;
    if (!previous || !current || current === previous || reloading) return;
    reloading = true;
    location.reload();
  });

  function offer(worker) {
    const banner = document.getElementById("update-banner");
    banner.hidden = false;
    document.getElementById("update-reload").onclick = () => worker.postMessage("skip-waiting");
  }
  function watch(reg) {
    if (reg.waiting && sw.controller) offer(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const worker = reg.installing;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && sw.controller) offer(worker);
      });
    });
    const check = () => reg.update().catch(() => {});
    window.addEventListener("focus", check);
    window.addEventListener("online", check);
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && check());
    setInterval(check, 10 * 60 * 1000);
  }
  // "ready" only on the active worker's own word that its cache is complete.
  function ask(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = ({ data }) => resolve(data);
      worker.postMessage("offline-check", [channel.port2]);
    });
  }
  async function confirm(reg) {
    const answer = await ask(reg.active);
    offline(answer && answer.missing === 0 ? "ready" : "interrupted");
  }
  function follow(reg) {
    if (reg.active) return confirm(reg);
    const worker = reg.installing || reg.waiting;
    if (!worker) return offline("interrupted");
    offline("preparing");
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") confirm(reg);
      else if (worker.state === "redundant" && !reg.active) offline("interrupted");
    });
  }
  // Register once the app has booted: the worker's precache then revalidates what the page just
  // downloaded (304s) instead of downloading it a second time in parallel with the boot.
  // (a registration is always given; automation that blocks workers gives none)
  let registering = null;
  let watched = false;
  const register = () => {
    if (!sw.controller && root.dataset.offline !== "interrupted") offline("preparing");
    registering = registering || sw.register("./service-worker.js").then((reg) => {
      if (!reg) return offline("unavailable");  // automation that blocks workers
      if (!watched) watch(reg);
      watched = true;
      return follow(reg);
    }, (err) => {
      console.warn("service worker:", err);
      offline("interrupted");
    }).finally(() => { registering = null; });
    return registering;
  };
  const retry = () => root.dataset.offline === "interrupted" && register();
  window.addEventListener("online", retry);
  window.addEventListener("focus", retry);
  if (root.dataset.appState !== "booting") register();
  else new MutationObserver((_, observer) => {
    if (root.dataset.appState === "booting") return;
    observer.disconnect();
    register();
  }).observe(root, { attributes: true, attributeFilter: ["data-app-state"] });
})();
