// The portal's service worker (served as /sw.js, scope "/"): keeps the portal's pages and static files
// so a teacher can open a journal and type with no network (issue 21). The API is never cached: saves
// wait in the page's IndexedDB outbox (grid-save.mjs) and reads need the server.
//
// Pages: network first, the cache when the network fails (a page that was fetched before, or one the
// teacher's open journals were fetched into by offline.mjs). Static files: the cache first, refreshed
// in the background. Everything lives in one cache, which offline.mjs deletes at sign-out and when
// another person signs in (and sign-out also answers Clear-Site-Data).

const CACHE = "ejournal-portal-v1";
const STATIC = [
  "/static/portal.css",
  "/static/js/api.mjs",
  "/static/js/grid.mjs",
  "/static/js/grid-save.mjs",
  "/static/js/outbox.mjs",
  "/static/js/offline.mjs",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
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
    if (response && response.ok && !response.redirected) await cache.put(path, response);
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
