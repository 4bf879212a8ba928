/* Cellules FWB service worker: makes the app work offline after the first visit.
 *
 * Theory of operation. The build writes BUILD and PRECACHE (every served file with its SRI hash).
 * install : fetch each file with {integrity}, so a half-deployed server can never be cached as a
 *           mixed set, into the cache named after this build. Does not take over by itself.
 * activate: delete every older "cellules-fwb-" cache, then claim the open pages.
 * fetch   : same-origin GETs are answered from this build's cache first (navigations get "./"),
 *           everything else goes to the network. A page is thus always served by exactly one build.
 * message : "skip-waiting" from the page's "Recharger" button lets a waiting build take over.
 */
const BUILD = "__BUILD_ID__";
const PRECACHE = __PRECACHE__;
const CACHE = `cellules-fwb-${BUILD}`;
const SCOPE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        PRECACHE.map(async ([url, integrity]) => {
          const response = await fetch(url, { integrity });
          if (!response.ok) throw new Error(`precache ${url}: HTTP ${response.status}`);
          await cache.put(url, response);
        })
      )
    )
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
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const key = request.mode === "navigate" ? "./" : request.url;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(key, { ignoreSearch: request.mode === "navigate" }).then((hit) => hit || fetch(request))
    )
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "build") event.source.postMessage({ build: BUILD });
});
