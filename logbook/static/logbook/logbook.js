// Satu Pintu, catatan kegiatan: the device's outbox.
// Every activity is first written to IndexedDB with an id made here (crypto.randomUUID), then
// sent to the API. A lost answer is retried with the same id, which the server recognises, so
// nothing is stored twice; a refusal (409 month closed, 400 invalid) stays on screen with its
// reason until the facilitator removes it, so nothing disappears unread.
(function () {
  "use strict";
  const root = document.getElementById("logbook");
  if (!root) return;
  const API = root.dataset.api;
  const USER = root.dataset.user;
  const DB_NAME = "satupintu-kegiatan";
  const STORE = "outbox";
  let sending = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => {});
  }

  function db() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "uid" });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  async function tx(mode, fn) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const t = conn.transaction(STORE, mode);
      const result = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      t.onerror = () => reject(t.error);
    });
  }
  const all = () => tx("readonly", (s) => s.getAll()).then((rows) => rows.filter((r) => r.user === USER));
  const put = (row) => tx("readwrite", (s) => s.put(row));
  const remove = (uid) => tx("readwrite", (s) => s.delete(uid));

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function text(el, value) { el.textContent = value; return el; }
  function item(row) {
    const li = document.createElement("li");
    const head = document.createElement("b");
    text(head, `${row.date} · ${row.type_name} · ${row.village_name}`);
    li.append(head, document.createElement("br"));
    li.append(document.createTextNode(`${row.clients_served} dilayani · ${row.duration_minutes} menit`));
    if (row.reason) {
      const why = document.createElement("p");
      why.className = "lb-error";
      text(why, row.reason);
      li.append(why);
      const drop = document.createElement("button");
      drop.type = "button"; drop.className = "link";
      text(drop, "Hapus dari daftar ini");
      drop.addEventListener("click", () => remove(row.uid).then(render));
      li.append(drop);
    }
    return li;
  }
  async function render() {
    const rows = await all();
    for (const [id, state] of [["outbox", "waiting"], ["refused", "refused"]]) {
      const box = document.getElementById(id);
      const mine = rows.filter((r) => r.state === state).sort((a, b) => a.saved_at - b.saved_at);
      box.hidden = mine.length === 0;
      text(box.querySelector("[data-count]"), String(mine.length));
      const list = box.querySelector("[data-list]");
      list.replaceChildren(...mine.map(item));
    }
    status();
  }
  function status(note) {
    const badge = document.getElementById("net-status");
    const online = navigator.onLine;
    text(badge, online ? badge.dataset.online : badge.dataset.offline);
    badge.className = "badge " + (online ? "ok" : "pending");
    if (note !== undefined) text(document.querySelector("#outbox [data-note]"), note);
  }
  function reasonOf(body) {
    const errors = (body && body.errors) || {};
    const parts = [];
    for (const key of Object.keys(errors)) parts.push(...[].concat(errors[key]));
    return parts.join(" ") || "Ditolak server.";
  }

  async function send(row) {
    const data = new FormData();
    for (const key of ["uid", "engagement", "date", "village", "activity_type", "clients_served", "duration_minutes", "note"]) {
      data.append(key, row[key] == null ? "" : row[key]);
    }
    if (row.attachment) data.append("attachment", row.attachment, row.attachment_name || "lampiran");
    const response = await fetch(API, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    });
    const json = (response.headers.get("content-type") || "").includes("json");
    if (!json) return { kind: "session" };
    const body = await response.json();
    if (response.status === 201 || response.status === 200) return { kind: "stored" };
    if (response.status === 409 || response.status === 400) return { kind: "refused", reason: reasonOf(body) };
    if (response.status === 401 || response.status === 403) return { kind: "session" };
    return { kind: "later" };
  }

  async function flush() {
    if (sending || !navigator.onLine) { status(); return; }
    sending = true;
    let stored = 0;
    let note = "";
    try {
      for (const row of await all()) {
        if (row.state !== "waiting") continue;
        let outcome;
        try { outcome = await send(row); } catch (e) { outcome = { kind: "later" }; }
        if (outcome.kind === "stored") { await remove(row.uid); stored += 1; }
        else if (outcome.kind === "refused") { row.state = "refused"; row.reason = outcome.reason; await put(row); }
        else if (outcome.kind === "session") { note = "Sesi berakhir: masuk lagi untuk mengirim. Kegiatan tetap tersimpan di perangkat."; break; }
        else { note = "Belum terkirim; dicoba lagi saat sinyal ada."; break; }
      }
    } finally { sending = false; }
    await render();
    status(note);
    if (stored && !note) window.location.reload();
  }

  function formRow(form) {
    const f = new FormData(form);
    const pick = (name) => form.querySelector(`[name="${name}"]`);
    const village = pick("village"), type = pick("activity_type");
    const file = pick("attachment") && pick("attachment").files[0];
    return {
      uid: uuid(), user: USER, state: "waiting", saved_at: Date.now(),
      engagement: f.get("engagement"), date: f.get("date"), village: f.get("village"),
      village_name: village.selectedOptions[0] ? village.selectedOptions[0].text : "",
      activity_type: f.get("activity_type"),
      type_name: type.selectedOptions[0] ? type.selectedOptions[0].text : "",
      clients_served: f.get("clients_served"), duration_minutes: f.get("duration_minutes"),
      note: f.get("note") || "", attachment: file || null, attachment_name: file ? file.name : "",
    };
  }
  function check(form) {
    const missing = [...form.querySelectorAll("[required]")].filter((el) => !el.value);
    if (missing.length) {
      const label = form.querySelector(`label[for="${missing[0].id}"]`);
      return `Isi dulu: ${label ? label.textContent : missing[0].name}.`;
    }
    for (const el of form.querySelectorAll("input[type=number]")) {
      if (!el.checkValidity()) {
        const label = form.querySelector(`label[for="${el.id}"]`);
        return `${label ? label.textContent : el.name}: isi angka ${el.min}–${el.max}.`;
      }
    }
    return "";
  }

  for (const form of document.querySelectorAll("form[data-outbox]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector("[data-error]");
      const problem = check(form);
      text(error, problem);
      if (problem) return;
      await put(formRow(form));
      form.querySelector('[name="note"]').value = "";
      form.querySelector('[name="clients_served"]').value = "";
      const file = form.querySelector('[name="attachment"]');
      if (file) file.value = "";
      await render();
      flush();
    });
  }
  for (const filter of document.querySelectorAll(".lb-filter")) {
    filter.addEventListener("input", () => {
      const select = document.getElementById(filter.dataset.filterFor);
      const q = filter.value.trim().toLowerCase();
      let first = null;
      for (const opt of select.querySelectorAll("option")) {
        if (!opt.value) continue;
        const show = !q || opt.text.toLowerCase().includes(q);
        opt.hidden = !show;
        if (show && !first) first = opt;
      }
      if (q && first && (!select.selectedOptions[0] || select.selectedOptions[0].hidden)) select.value = first.value;
    });
  }
  document.querySelector("#outbox [data-send]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => status());
  setInterval(flush, 30000);
  render().then(flush);
})();
