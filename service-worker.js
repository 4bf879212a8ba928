/* Cellules FWB service worker: makes the app work offline after the first visit.
 *
 * Theory of operation. The build writes BUILD and PRECACHE (every served file with its SRI hash).
 * install : fetch each file with {integrity}, so a half-deployed server can never be cached as a
 *           mixed set, into the cache named after this build. Does not take over by itself.
 * activate: delete every older "cellules-fwb-" cache, then claim the open pages.
 * fetch   : same-origin GETs are answered from this build's cache first (navigations get "./"),
 *           everything else goes to the network. A page is thus always served by exactly one build.
 *           A POST to ./share-target (the manifest's share_target: Android « Partager » from a
 *           chat app, with a .json file, a text or a URL) is put in the "fwb-share-inbox" cache and
 *           answered with a redirect to ./?share-target=1, where the page takes it to the import
 *           preview (never imported silently). The inbox is not a "cellules-fwb-" cache, so an
 *           update in between does not lose it.
 * message : "skip-waiting" from the page's "Recharger" button lets a waiting build take over.
 *           "offline-check" (with a MessagePort, from static/boot.js) is answered {build, missing, total}
 *           once this worker's cache holds every file of PRECACHE: an entry missing (the browser dropped
 *           it) is fetched again as at install; `missing` counts what still could not be (no network).
 *           The page says « Prête hors ligne » only on missing === 0.
 */
const BUILD = "__BUILD_ID__";
const PRECACHE = __PRECACHE__;
const CACHE = `cellules-fwb-${BUILD}`;
const SCOPE = new URL("./", self.location).href;
const SHARE_TARGET = `${SCOPE}share-target`;
const INBOX = "fwb-share-inbox";

async function receiveShare(request) {
  const form = await request.formData();
  const inbox = await caches.open(INBOX);
  const fields = {};
  for (const key of ["title", "text", "url"]) {
    const value = form.get(key);
    if (typeof value === "string" && value) fields[key] = value;
  }
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size) {
    const name = encodeURIComponent(file.name || "partage.json");
    await inbox.put(`${SCOPE}share-inbox/file`, new Response(file, { headers: { "x-file-name": name } }));
  } else {
    await inbox.delete(`${SCOPE}share-inbox/file`);
  }
  await inbox.put(`${SCOPE}share-inbox/fields`, new Response(JSON.stringify(fields)));
  return Response.redirect(`${SCOPE}?share-target=1`, 303);
}

async function precache(cache, url, integrity) {
  const response = await fetch(url, { integrity });
  if (!response.ok) throw new Error(`precache ${url}: HTTP ${response.status}`);
  await cache.put(url, response);
}

async function missingFiles() {
  const cache = await caches.open(CACHE);
  const missing = await Promise.all(PRECACHE.map(async ([url, integrity]) => {
    if (await cache.match(url)) return 0;
    try {
      await precache(cache, url, integrity);
      return 0;
    } catch (e) {
      return 1;
    }
  }));
  return missing.reduce((a, b) => a + b, 0);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => Promise.all(PRECACHE.map(([url, integrity]) => precache(cache, url, integrity))))
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("cellules-fwb-") && k !== CACHE).map((k) => caches.delete(k)))
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && request.url === SHARE_TARGET) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  // Opening the app (its address, or index.html, with any query) gets the cached page; any other
  // address is itself: a file of the app opened directly is that file, not the page under its name.
  const address = request.url.split(/[?#]/)[0];
  const app = request.mode === "navigate" && (address === SCOPE || address === `${SCOPE}index.html`);
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(app ? "./" : request.url, { ignoreSearch: app }).then((hit) => hit || fetch(request))
    )
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "build") event.source.postMessage({ build: BUILD });
  if (event.data === "offline-check" && event.ports[0]) {
    const port = event.ports[0];
    const total = PRECACHE.length;
    event.waitUntil(missingFiles().then((missing) => port.postMessage({ build: BUILD, missing, total }),
      () => port.postMessage({ build: BUILD, missing: total, total })));
  }
});
