// Satu Pintu, catatan kegiatan: keeps the logbook page and its shipped assets so that it opens
// without a connection. Entries made offline wait in the page's outbox (IndexedDB) and are sent
// by logbook.js when the connection returns; this worker never sends or drops them.
const CACHE = "{{ version }}";
const HOME = "{% url 'logbook:home' %}";
const SHELL = [HOME{% for a in assets %}, "{{ a }}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Network first, so the page is current whenever there is signal; the copy otherwise.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected && url.pathname.startsWith(HOME)) {
            const copy = response.clone();
            caches.open(CACHE).then((c) => c.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || caches.match(HOME)))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
