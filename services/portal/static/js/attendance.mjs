// A lesson's attendance, online or not (issue 21). Without JavaScript the page is a form posted to the
// portal; with it, every status chosen waits in the person's IndexedDB outbox (outbox.mjs) with the
// time it was chosen and the entry's version, and a save is ONE POST .../lessons/{lesson}/attendance
// with its own Idempotency-Key, queued with the journal's mark saves and sent in order when the
// network is there (grid-save.mjs does the sending, the retries and the refusals). So a teacher marks
// attendance with no network, closes the tab or the browser, and finds the choices still there.
// A status changed on the server meanwhile (a student's QR check-in, another writer) is held with
// both values and who set the server's, for the teacher to choose; a closed section is not retried
// and links to the explanation form that starts a reopen.

import { GridSaver } from "./grid-save.mjs";

const ATTENDANCE = "attendance";
const AUTOSAVE_MS = 10000;
const form = document.getElementById("attendance");
const texts = JSON.parse(form.dataset.texts);
const labels = JSON.parse(form.dataset.labels);
const journalId = form.dataset.journal;
const lesson = form.dataset.lesson;
const section = form.dataset.section;
const closed = form.dataset.closed === "true";
const stateLine = document.getElementById("attendance-state");
const syncLine = document.getElementById("attendance-sync");
const heldList = document.getElementById("attendance-held");
const saveButton = form.querySelector("button[type=submit]");
const rows = new Map([...form.querySelectorAll("tbody tr[data-student]")].map((tr) => [tr.dataset.student, tr]));
let autosave = null;

const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "short", timeStyle: "short" });
const local = (iso) => (iso ? dateFormat.format(new Date(iso)) : "");
const label = (status) => labels[status] || status || "—";
const field = (student, name) => form.elements.namedItem(`${name}.${student}`);
const nameOf = (student) => rows.get(student)?.querySelector("th").textContent.trim() || "";

function choose(student, status) {
  for (const radio of form.querySelectorAll(`input[type=radio][name="status.${CSS.escape(student)}"]`)) {
    radio.checked = radio.value === status;
  }
}

// A row not yet on the server says so in words (its last cell), not only by its colour.
function markUnsynced(student, unsynced) {
  const tr = rows.get(student);
  if (!tr) return;
  tr.classList.toggle("dirty", unsynced);
  let note = tr.querySelector(".unsynced-note");
  if (unsynced && !note) {
    note = document.createElement("span");
    note.className = "unsynced-note";
    note.textContent = texts.unsynced_cell;
    tr.lastElementChild.append(" ", note);
  }
  if (!unsynced) note?.remove();
}

function showSync({ phase, online, waiting, lastSynced }) {
  const words = { saving: texts.saving, saved: texts.saved, retrying: texts.retrying, signin: texts.signin, offline: texts.offline };
  stateLine.textContent = words[phase] || "";
  form.dataset.state = phase;
  if (phase === "signin") {
    const link = document.createElement("a");
    link.href = `/?next=${encodeURIComponent(location.pathname)}`;
    link.textContent = texts.signin_link;
    stateLine.append(" ", link);
  }
  const parts = [online ? texts.online : texts.offline_short, fill(texts.waiting, { n: waiting })];
  parts.push(lastSynced ? fill(texts.last_synced, { time: local(lastSynced) }) : texts.never_synced);
  syncLine.textContent = parts.join(" · ");
  syncLine.dataset.waiting = String(waiting);
}

const ours = (entry) => entry.of === ATTENDANCE && entry.column_id === lesson;

function showHeld() {
  heldList.replaceChildren();
  const held = [...saver.held.values()].filter(ours);
  heldList.hidden = held.length === 0;
  for (const entry of held) {
    choose(entry.student_id, entry.value); // what the teacher chose stays shown until they decide
    rows.get(entry.student_id)?.classList.add("conflict");
    const item = document.createElement("li");
    item.dataset.cell = entry.id;
    item.dataset.kind = entry.kind;
    const mine = { mine: label(entry.value), typed: local(entry.typed_at) };
    const text = document.createElement("span");
    const buttons = [];
    if (entry.kind === "conflict") {
      const theirs = entry.theirs || {};
      text.textContent = `${nameOf(entry.student_id)}: ` + fill(texts.held_conflict, {
        ...mine, theirs: label(theirs.value), who: theirs.author_name || theirs.author_id || "?", when: local(theirs.updated_at),
      });
      buttons.push([texts.keep_mine, "mine"], [texts.keep_theirs, "theirs"]);
    } else {
      const template = entry.kind === "closed" ? texts.held_closed : texts.held_refused;
      text.textContent = `${nameOf(entry.student_id)}: ` + fill(template, { ...mine, reason: entry.reason });
      buttons.push([texts.discard, "discard"]);
    }
    item.append(text);
    for (const [name, choice] of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = name;
      button.dataset.choice = choice;
      item.append(" ", button);
    }
    heldList.append(item);
  }
  if (held.some((e) => e.kind === "closed")) {
    const offer = document.createElement("li");
    offer.className = "reopen-offer";
    offer.textContent = texts.reopen_offer;
    if (section) {
      const link = document.createElement("a");
      link.href = `/teacher/journals/${journalId}/sections/${section}/explanation`;
      link.textContent = texts.reopen_link;
      offer.append(" ", link);
    }
    heldList.append(offer);
  }
}

heldList.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-choice]");
  if (!button) return;
  const id = button.closest("li").dataset.cell;
  const entry = saver.held.get(id);
  if (!entry) return;
  const student = entry.student_id;
  if (button.dataset.choice === "mine") {
    await saver.keepMine(id);
  } else {
    await saver.release(id);
    if (button.dataset.choice === "theirs") {
      field(student, "version").value = String(entry.theirs.version);
      field(student, "was").value = entry.theirs.value;
    }
    choose(student, field(student, "was").value); // the teacher chose to drop what they marked
  }
  rows.get(student)?.classList.remove("conflict");
  markUnsynced(student, saver.isUnsynced(lesson, student, ATTENDANCE));
  showHeld();
  saver.state(saver.phase);
});

const saver = new GridSaver(journalId, document.body.dataset.person, {
  onState: showSync,
  onSaved(cells, of) {
    if (of !== ATTENDANCE) return;
    for (const cell of cells) {
      if (cell.column_id !== lesson || !rows.has(cell.student_id)) continue;
      field(cell.student_id, "version").value = String(cell.version);
      field(cell.student_id, "was").value = cell.value;
      if (!saver.isUnsynced(lesson, cell.student_id, ATTENDANCE)) markUnsynced(cell.student_id, false);
    }
  },
  onHeld: showHeld,
});
await saver.load();

function save() {
  clearTimeout(autosave);
  return saver.save();
}

if (!closed) {
  form.addEventListener("change", (event) => {
    const radio = event.target;
    if (radio.type !== "radio" || !radio.name.startsWith("status.")) return;
    const student = radio.name.slice("status.".length);
    const heldId = saver.id(lesson, student, ATTENDANCE);
    if (saver.held.has(heldId)) saver.release(heldId).then(showHeld); // chosen anew: the teacher decided
    rows.get(student)?.classList.remove("conflict");
    if (radio.value === field(student, "was").value) {
      saver.forget(lesson, student, ATTENDANCE);
    } else {
      saver.typed(lesson, student, radio.value, Number(field(student, "version").value || 0), ATTENDANCE);
    }
    markUnsynced(student, saver.isUnsynced(lesson, student, ATTENDANCE));
    saver.state(saver.phase);
    clearTimeout(autosave);
    autosave = setTimeout(save, AUTOSAVE_MS);
  });
  // The Save button queues and sends; without network the choices wait, the page stays.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
}

// Choices kept from before (a reload, the browser closed and reopened, offline or not).
for (const cell of saver.unsynced(ATTENDANCE)) {
  if (cell.column_id !== lesson || !rows.has(cell.student_id)) continue;
  choose(cell.student_id, cell.value);
  markUnsynced(cell.student_id, true);
}
showHeld();
saver.state(navigator.onLine ? "idle" : "offline");
if (saver.size) saver.save();
if (saveButton) saveButton.disabled = false;
form.dataset.ready = "true"; // tests wait for it
