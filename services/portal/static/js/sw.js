// The portal's service worker (served as /sw.js, scope "/"): keeps the portal's pages and static files
// so a teacher can open a journal and type with no network (issue 21). The API is never cached: saves
// wait in the page's IndexedDB outbox (grid-save.mjs) and reads need the server.
//
// Pages: network first, the cache when the network fails (a page that was fetched before, or one the
// teacher's open journals were fetched into by offline.mjs). Static files: the cache first, refreshed
// in the background. Everything lives in one cache, which offline.mjs deletes at sign-out and when
// another person signs in (and sign-out also answers Clear-Site-Data).
//
// Versions: the server serves this file with ASSETS set to a digest of the portal's static files
// (services/portal/app.py), so a deploy that changes any script changes this file: the browser
// installs the new worker, which fills a cache of the new name; on activation every older
// "ejournal-portal-*" cache is deleted (its pages came with the old scripts; offline.mjs fetches the
// open journals again). Until the new worker takes over, the old one must not serve its old scripts
// to a page of the new deploy: each page says its asset version (the X-Asset-Version header), and a
// page that is not this worker's version gets its static files from the network.

const ASSETS = "dev"; // replaced when served as /sw.js
const CACHE = `ejournal-portal-${ASSETS}`;
const STATIC = [
  "/static/portal.css",
  "/static/js/api.mjs",
  "/static/js/grid.mjs",
  "/static/js/grid-save.mjs",
  "/static/js/outbox.mjs",
  "/static/js/offline.mjs",
  "/static/js/attendance.mjs",
  "/static/js/terms.mjs",
];
let newerDeploy = false; // a page of another asset version was seen: the cache's scripts are old

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

async function dropOldCaches() {
  for (const name of await caches.keys()) {
    if (name.startsWith("ejournal-portal-") && name !== CACHE) await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const version = response.headers.get("X-Asset-Version");
    if (version && version !== ASSETS) {
      newerDeploy = true; // its scripts come from the network; the new worker is fetched now
      self.registration.update().catch(() => undefined);
      return response; // not kept: it belongs with the new worker's cache
    }
    // Only a complete page of the signed-in person: not an error, not the sign-in page a redirect led to.
    if (response.ok && response.status === 200 && !response.redirected) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  if (newerDeploy) return fetch(request).catch(() => caches.match(request));
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (kept) {
    fresh.catch(() => undefined); // offline: the kept copy serves
    return kept;
  }
  return fresh;
}

// offline.mjs names the pages of the teacher's open journals: fetched here, not by the page, so the
// page's own network stays quiet while they load.
async function keep(paths) {
  const cache = await caches.open(CACHE);
  for (const path of paths) {
    const response = await fetch(path, { credentials: "same-origin" }).catch(() => null);
    const current = !response?.headers.get("X-Asset-Version") || response.headers.get("X-Asset-Version") === ASSETS;
    if (response && response.ok && !response.redirected && current) await cache.put(path, response);
  }
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "keep" && Array.isArray(event.data.paths)) {
    const own = event.data.paths.filter((path) => typeof path === "string" && path.startsWith("/teacher/"));
    event.waitUntil(keep(own));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || (request.headers.get("Accept") || "").includes("text/html")) {
    event.respondWith(networkFirst(request));
  }
});
