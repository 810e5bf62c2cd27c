// Offline support on every page of a signed-in person (issue 21):
// - registers the service worker (/sw.js, scope "/") that keeps pages and static files;
// - binds what the browser stores to the person: when someone else signs in on this browser, the
//   previous person's outbox databases and the page cache are deleted before anything is shown;
// - at sign-out deletes this person's outbox, the page cache and the worker (the server also answers
//   Clear-Site-Data); waiting saves are never dropped silently: the first click says how many would be
//   lost and a second click confirms;
// - sends the saves queued in the outbox (of every journal) from any page of the person, when online
//   (grid-save.mjs drainAll, under the same Web Lock as the grid and lesson pages' savers): a save
//   queued on a page closed offline does not wait for that journal's page to be opened again;
// - for a teacher, when online, fetches the pages of their open journals into the cache, so a journal
//   opens with no network even if it was not visited recently.

import { Outbox, deleteDatabase, outboxDatabases, DATABASE_PREFIX } from "./outbox.mjs";
import { currentTerm, termOn } from "./terms.mjs";

const CACHE_PREFIX = "ejournal-";
const PREFETCH_EVERY_MS = 15 * 60 * 1000;
const PREFETCH_DELAY_MS = 5000;
const PREFETCH_TERM_DAYS = 183; // how far back the schedule is read to tell the current term
const PREFETCH_LESSON_DAYS = 6; // attendance pages of today and the next six days

const body = document.body;
const person = body.dataset.person;
const texts = JSON.parse(body.dataset.offlineTexts || "{}");

async function deleteCaches() {
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
}

// Everything this portal keeps in the browser, of every person.
export async function wipe() {
  for (const name of await outboxDatabases()) await deleteDatabase(name);
  await deleteCaches();
  const registrations = navigator.serviceWorker ? await navigator.serviceWorker.getRegistrations() : [];
  await Promise.all(registrations.map((r) => r.unregister()));
}

// The person's outbox database is the binding: it is opened (so created) on every page of theirs.
// Finding another person's database means someone else used this browser since: their databases and
// the page cache go before anything of this person's is kept. (Not localStorage: a write to it just
// before the browser closes may be lost, and then the cache would be wiped for the same person.)
async function bindToPerson() {
  const others = (await outboxDatabases()).filter((name) => name !== DATABASE_PREFIX + person);
  if (others.length) {
    for (const name of others) await deleteDatabase(name);
    await deleteCaches();
  }
  (await Outbox.open(person)).close();
}

async function waitingSaves() {
  const outbox = await Outbox.open(person);
  try {
    const { pending, saves, held } = await outbox.counts();
    return pending + saves + held;
  } finally {
    outbox.close();
  }
}

// The journal a saver of this page sends itself (grid or lesson page): left to it.
function ownJournals() {
  return ["grid", "attendance"].map((id) => document.getElementById(id)?.dataset.journal).filter(Boolean);
}

let sending = null;
// The queued saves of every other journal; grid-save.mjs (with api.mjs) is loaded only when some wait.
export function sendQueued() {
  if (sending || !navigator.onLine) return sending;
  sending = (async () => {
    const outbox = await Outbox.open(person);
    let saves = 0;
    try {
      ({ saves } = await outbox.counts());
    } finally {
      outbox.close();
    }
    if (!saves) return null;
    const { drainAll } = await import("./grid-save.mjs");
    return drainAll(person, { except: ownJournals() });
  })().finally(() => {
    sending = null;
  });
  return sending;
}

function guardSignOut() {
  const form = document.querySelector("form.sign-out");
  if (!form) return;
  let warned = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = await waitingSaves().catch(() => 0);
    if (waiting && !warned) {
      warned = true;
      const status = document.getElementById("status");
      status.textContent = (texts.signout_waiting || "").replace("%(n)s", String(waiting));
      return;
    }
    await wipe().catch(() => undefined);
    form.submit();
  });
}

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function read(path) {
  const answer = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!answer.ok) throw new Error(`${path}: ${answer.status}`);
  return answer.json();
}

// The teacher's lessons over half a year back and a month ahead (every page of the list).
async function lessonsAround(teacherId) {
  const lessons = [];
  let token = "";
  for (let page = 0; page < 10; page += 1) {
    const query = `teacher_id=${encodeURIComponent(teacherId)}&from_date=${day(-PREFETCH_TERM_DAYS)}&to_date=${day(30)}&page_size=1000`;
    const answer = await read(`/api/v1/lessons?${query}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`);
    lessons.push(...(answer.lessons || []));
    token = answer.next_page_token || "";
    if (!token) break;
  }
  return lessons;
}

// The term whose dates hold today, from the person's university's calendar (WhoAmI names the
// university; every person may read its academic years).
async function calendarTerm() {
  const me = await read("/api/v1/session/me");
  if (!me.university_id) return "";
  const { academic_years: years = [] } = await read(`/api/v1/academic-years?university_id=${encodeURIComponent(me.university_id)}`);
  return termOn(years, day(0));
}

// What a teacher needs with no network, into the worker's cache (the worker fetches the pages): the
// open journals of the current term (not locked, some section still open) — the grid page carries the
// roster with names and the scale — and the attendance pages of the coming week's lessons.
export async function prefetchPaths(teacherId) {
  const [{ journals = [] }, lessons] = await Promise.all([
    read("/api/v1/my/journals?page_size=1000"),
    lessonsAround(teacherId),
  ]);
  const term = (await calendarTerm().catch(() => "")) || currentTerm(lessons, day(0));
  const terms = new Set(term ? [term] : []);
  const closed = (j) => (j.sections || []).length > 0 && j.sections.every((s) => s.closed_at);
  const open = journals.filter((j) => terms.has(j.term_id) && !j.locked_at && !closed(j));
  const byUnit = new Map(open.map((j) => [`${j.course_unit_id}|${j.group_id}|${j.subgroup_id || ""}`, j]));
  const [from, to] = [day(0), day(PREFETCH_LESSON_DAYS)];
  const lessonPages = lessons
    .filter((l) => l.date >= from && l.date <= to)
    .map((l) => [byUnit.get(`${l.course_unit_id}|${l.group_id}|${l.subgroup_id || ""}`), l])
    .filter(([j]) => j)
    .map(([j, l]) => `/teacher/journals/${j.journal_id}/lessons/${l.id}`);
  return ["/teacher/journals", "/teacher/today", ...open.map((j) => `/teacher/journals/${j.journal_id}`), ...lessonPages];
}

async function prefetchJournals() {
  const stamp = `ejournal:prefetched:${person}`;
  if (!navigator.onLine) return;
  // A new deploy's worker starts with an empty cache: fetch again at once rather than in 15 minutes.
  const emptied = !(await caches.match("/teacher/journals"));
  if (!emptied && Date.now() - Number(localStorage.getItem(stamp) || 0) < PREFETCH_EVERY_MS) return;
  const paths = await prefetchPaths(person);
  const worker = (await navigator.serviceWorker.ready).active;
  worker?.postMessage({ type: "keep", paths });
  localStorage.setItem(stamp, String(Date.now()));
}

async function start() {
  if (!person) return;
  await bindToPerson();
  guardSignOut();
  window.addEventListener("online", () => sendQueued()?.catch(() => undefined));
  sendQueued()?.catch(() => undefined);
  if ("serviceWorker" in navigator) await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (body.dataset.teacher === "true") {
    setTimeout(() => prefetchJournals().catch(() => undefined), PREFETCH_DELAY_MS);
  }
}

export const ready = start().catch(() => undefined);
