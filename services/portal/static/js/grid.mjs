// The journal grid from the keyboard: arrows move, Enter goes down (Shift+Enter up), Escape undoes a
// cell, a whole column is typed without the mouse. A value off the profile's scale is refused in
// place, naming the allowed values. Saving is grid-save.mjs's: one call per batch, queued in the
// person's IndexedDB outbox so typing goes on without network (issue 21). This module shows the
// outbox's state (online or not, saves waiting, last synced, cells not yet on the server) and the
// cells the server refused, with the teacher's choice.
//
// The cells are plain text; ONE editor input moves into the cell being typed into (a roving editor).
// A 30 x 60 grid of 1,800 inputs took several times longer to become editable than its text does.
// A cell remembers what the API holds in data-stored once it differs from what it shows, and its
// version in data-v (absent: 0, no mark yet).

import { GridSaver } from "./grid-save.mjs";

// Long enough that typing a column is one batch (one call) even at a slow pace; short enough to keep
// work safe when the teacher stops in the middle. The last row's Enter and the Save button save at once.
const AUTOSAVE_MS = 10000;
const table = document.getElementById("grid");
const body = table.tBodies[0];
const texts = JSON.parse(table.dataset.texts);
const allowed = JSON.parse(table.dataset.allowed);
const journalId = table.dataset.journal;
const saveButton = document.getElementById("grid-save");
const stateLine = document.getElementById("grid-state");
const problem = document.getElementById("grid-problem");
const historyLink = document.getElementById("grid-history");
const heads = [...table.tHead.rows[0].cells].slice(1);
const columns = heads.map((th) => th.dataset.col);
const closed = heads.map((th) => th.classList.contains("closed"));
const students = [...body.rows].map((tr) => tr.dataset.student);
const columnIndex = new Map(columns.map((id, i) => [id, i]));
const studentIndex = new Map(students.map((id, i) => [id, i]));
const editor = document.createElement("input");
editor.id = "grid-editor";
editor.className = "cell";
editor.autocomplete = "off";
editor.spellcheck = false;
let active = null; // {td, r, c}: the cell the editor is in
let autosave = null;

const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
const cellAt = (r, c) => body.rows[r]?.cells[c + 1]; // cells[0] is the student's name
const cellOf = (columnId, studentId) => cellAt(studentIndex.get(studentId), columnIndex.get(columnId));
const shown = (td) => (td === active?.td ? editor.value : td.textContent);
const stored = (td) => td.dataset.stored ?? shown(td);

function show(td, value) {
  if (td === active?.td) editor.value = value;
  else td.textContent = value;
}

function onScale(value) {
  if (value === "") return true; // clearing a cell back to "no mark yet"
  return allowed.some((entry) => {
    const range = entry.match(/^(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)$/);
    if (!range) return value === entry;
    return /^\d+(\.\d+)?$/.test(value) && Number(value) >= Number(range[1]) && Number(value) <= Number(range[2]);
  });
}

function say(text) {
  problem.textContent = text;
  problem.hidden = !text;
}

// The editor carries the invalid state of the cell it is in, for screen readers.
function describe() {
  if (active?.td.classList.contains("invalid")) {
    editor.setAttribute("aria-invalid", "true");
    editor.setAttribute("aria-describedby", "grid-problem");
  } else {
    editor.removeAttribute("aria-invalid");
    editor.removeAttribute("aria-describedby");
  }
}

function flag(td, text) {
  td.classList.add("invalid");
  describe();
  say(text);
}

function unflag(td) {
  td.classList.remove("invalid", "conflict");
  describe();
}

// Put the editor into cell (r, c), clamped to the grid; the cell it leaves shows its text again.
function activate(r, c, focus = true) {
  const td = cellAt(Math.max(0, Math.min(body.rows.length - 1, r)), Math.max(0, Math.min(columns.length - 1, c)));
  if (!td) return;
  if (active && active.td !== td) active.td.textContent = editor.value;
  if (active?.td !== td) {
    const value = td.textContent;
    td.dataset.stored ??= value; // what the API holds, while the editor changes what is shown
    active = { td, r: td.parentElement.sectionRowIndex, c: td.cellIndex - 1 };
    editor.value = value;
    td.replaceChildren(editor);
  }
  editor.readOnly = closed[active.c];
  editor.setAttribute("aria-labelledby", `s${active.r} c${active.c}`);
  describe();
  historyLink.href = `/teacher/journals/${journalId}/cells/${columns[active.c]}/${students[active.r]}`;
  if (focus) {
    editor.focus();
    editor.select();
  }
}

const personId = document.body.dataset.person;
const syncLine = document.getElementById("grid-sync");
const heldList = document.getElementById("grid-held");
const nameOf = (studentId) => body.rows[studentIndex.get(studentId)]?.cells[0].textContent.trim() || "";
const columnName = (columnId) => heads[columnIndex.get(columnId)]?.textContent.replace(/\s+/g, " ").trim() || "";
// One formatter: making one per call cost ~5 ms a save while a queue of saves was sent (bench offline).
const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "short", timeStyle: "short" });
const local = (iso) => (iso ? dateFormat.format(new Date(iso)) : "");

// Cells not yet on the server are marked in the grid (a class and a title, not only a colour).
function markUnsynced(td, unsynced) {
  td.classList.toggle("dirty", unsynced);
  if (unsynced) td.title = texts.unsynced_cell;
  else if (td.title === texts.unsynced_cell) td.removeAttribute("title");
}

// The state is drawn at most once a frame, and only what changed: a queue of saves sent after
// reconnect changes it twice a save, and each change of the page costs the 1,800-cell grid a restyle.
let syncState = null;
let syncFrame = 0;

function showSync(state) {
  syncState = state;
  if (document.hidden) drawSync();
  else syncFrame ||= requestAnimationFrame(drawSync);
}

const setText = (element, text) => { if (element.textContent !== text) element.textContent = text; };
const setData = (element, name, value) => { if (element.dataset[name] !== value) element.dataset[name] = value; };

function drawSync() {
  syncFrame = 0;
  const { phase, online, waiting, lastSynced } = syncState;
  const words = { saving: texts.saving, saved: texts.saved, retrying: texts.retrying, signin: texts.signin, offline: texts.offline };
  setText(stateLine, words[phase] || "");
  setData(table, "state", phase);
  setData(table, "online", String(online));
  if (phase === "signin") {
    const link = document.createElement("a");
    link.href = `/?next=${encodeURIComponent(location.pathname)}`;
    link.textContent = texts.signin_link;
    stateLine.append(" ", link);
  }
  const parts = [online ? texts.online : texts.offline_short, fill(texts.waiting, { n: waiting })];
  parts.push(lastSynced ? fill(texts.last_synced, { time: local(lastSynced) }) : texts.never_synced);
  setText(syncLine, parts.join(" · "));
  setData(syncLine, "waiting", String(waiting));
  const disabled = saver.size === 0 || phase === "saving";
  if (saveButton.disabled !== disabled) saveButton.disabled = disabled;
  if (phase === "saved" && saver.size === 0 && problem.dataset.kind !== "held") say("");
}

// A link to the explanation form of a closed section (the reopen procedure's first step).
function explanationLink(section, label) {
  const link = document.createElement("a");
  link.href = `/teacher/journals/${journalId}/sections/${section}/explanation`;
  link.textContent = label;
  return link;
}

// A held cell: what the teacher typed stays in the cell; the list says why and offers the choice.
// Held attendance is answered on its lesson's page: the list links there.
function showHeld() {
  heldList.replaceChildren();
  heldList.hidden = saver.held.size === 0;
  const sections = new Map(); // closed section -> a held column of it
  for (const entry of saver.held.values()) {
    if (entry.of === "attendance") {
      const item = document.createElement("li");
      item.dataset.cell = entry.id;
      item.dataset.kind = entry.kind;
      const link = document.createElement("a");
      link.href = `/teacher/journals/${journalId}/lessons/${entry.column_id}`;
      link.textContent = fill(texts.held_attendance, { student: nameOf(entry.student_id), day: columnName(entry.column_id) });
      item.append(link);
      heldList.append(item);
      continue;
    }
    if (entry.kind === "closed") {
      const section = heads[columnIndex.get(entry.column_id)]?.dataset.section;
      if (section && !sections.has(section)) sections.set(section, entry.column_id);
    }
    const td = cellOf(entry.column_id, entry.student_id);
    if (td) {
      td.dataset.stored = entry.theirs ? entry.theirs.value : stored(td);
      // Typing into the cell again answers the conflict too: then it is written over the server's version.
      if (entry.theirs) td.dataset.v = String(entry.theirs.version);
      show(td, entry.value);
      td.classList.add("conflict");
      flag(td, "");
    }
    const item = document.createElement("li");
    item.dataset.cell = entry.id;
    item.dataset.kind = entry.kind;
    const where = `${nameOf(entry.student_id)}, ${columnName(entry.column_id)}: `;
    const mine = { mine: entry.value || "—", typed: local(entry.typed_at) };
    const text = document.createElement("span");
    const buttons = [];
    if (entry.kind === "conflict") {
      const theirs = entry.theirs || {};
      text.textContent = where + fill(texts.held_conflict, {
        ...mine, theirs: theirs.value || "—", who: theirs.author_name || theirs.author_id || "?", when: local(theirs.updated_at),
      });
      buttons.push([texts.keep_mine, "mine"], [texts.keep_theirs, "theirs"]);
    } else if (entry.kind === "closed") {
      text.textContent = where + fill(texts.held_closed, mine);
      buttons.push([texts.discard, "discard"]);
    } else {
      text.textContent = where + fill(texts.held_refused, { ...mine, reason: entry.reason });
      buttons.push([texts.discard, "discard"]);
    }
    item.append(text);
    for (const [label, choice] of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.choice = choice;
      item.append(" ", button);
    }
    heldList.append(item);
  }
  if ([...saver.held.values()].some((e) => e.kind === "closed" && e.of !== "attendance")) {
    const offer = document.createElement("li");
    offer.className = "reopen-offer";
    offer.textContent = texts.reopen_offer;
    // Each closed section's explanation form: the first step of the reopen procedure.
    for (const [section, column] of sections) {
      offer.append(" ", explanationLink(section, fill(texts.reopen_link, { day: columnName(column) })));
    }
    heldList.append(offer);
  }
  problem.dataset.kind = saver.held.size ? "held" : "";
  if (saver.held.size) say(texts.held_summary);
}

heldList.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-choice]");
  if (!button) return;
  const id = button.closest("li").dataset.cell;
  const entry = saver.held.get(id);
  if (!entry) return;
  const td = cellOf(entry.column_id, entry.student_id);
  if (button.dataset.choice === "mine") {
    await saver.keepMine(id);
  } else {
    await saver.release(id);
    if (td && button.dataset.choice === "theirs") {
      td.dataset.v = String(entry.theirs.version);
      td.dataset.stored = entry.theirs.value;
    }
    if (td) show(td, stored(td)); // the teacher chose to drop what they typed
  }
  if (td) { unflag(td); markUnsynced(td, saver.isUnsynced(entry.column_id, entry.student_id)); }
  showHeld();
  saver.state(saver.phase);
});

const saver = new GridSaver(journalId, personId, {
  onState: showSync,
  onSaved(cells, of) {
    if (of === "attendance") return; // shown on the lesson's page
    for (const cell of cells) {
      const td = cellOf(cell.column_id, cell.student_id);
      if (!td) continue;
      td.dataset.v = String(cell.version);
      td.dataset.stored = cell.value;
      if (!saver.isUnsynced(cell.column_id, cell.student_id)) { markUnsynced(td, false); td.classList.remove("saving"); }
    }
  },
  onHeld: showHeld,
});
await saver.load();

function scheduleSave(delay = AUTOSAVE_MS) {
  clearTimeout(autosave);
  autosave = setTimeout(() => saver.save(), delay);
}

// Take what was typed into the editor's cell: queue it, or refuse it in place. False keeps the focus.
function commit() {
  if (!active || editor.readOnly) return true;
  const { td, r, c } = active;
  const value = editor.value.trim();
  editor.value = value;
  const before = stored(td);
  if (value === before && !td.classList.contains("conflict")) {
    saver.forget(columns[c], students[r]);
    markUnsynced(td, saver.isUnsynced(columns[c], students[r]));
    unflag(td);
    return true;
  }
  if (!onScale(value)) {
    flag(td, fill(texts.offscale, { value, allowed: allowed.join(", ") }));
    problem.dataset.kind = "offscale";
    return false;
  }
  unflag(td);
  if (problem.dataset.kind === "offscale") say("");
  const heldId = saver.id(columns[c], students[r]);
  if (saver.held.has(heldId)) saver.release(heldId).then(showHeld); // typed anew: the teacher chose
  td.dataset.stored = before;
  markUnsynced(td, true);
  saver.typed(columns[c], students[r], value, Number(td.dataset.v || 0));
  saveButton.disabled = false;
  stateLine.textContent = fill(texts.unsaved, { n: saver.size });
  scheduleSave();
  return true;
}

editor.addEventListener("keydown", (event) => {
  const { r, c } = active;
  const atStart = editor.selectionStart === 0 && editor.selectionEnd === 0;
  const atEnd = editor.selectionStart === editor.value.length;
  const allSelected = editor.selectionStart === 0 && editor.selectionEnd === editor.value.length;
  switch (event.key) {
    case "Enter":
      event.preventDefault();
      if (!commit()) return;
      if (!event.shiftKey && r === body.rows.length - 1) { clearTimeout(autosave); saver.save(); return; }
      activate(event.shiftKey ? r - 1 : r + 1, c);
      return;
    case "ArrowDown":
    case "ArrowUp":
      event.preventDefault();
      if (commit()) activate(event.key === "ArrowDown" ? r + 1 : r - 1, c);
      return;
    case "ArrowLeft":
      if ((atStart || allSelected) && commit()) { event.preventDefault(); activate(r, c - 1); }
      return;
    case "ArrowRight":
      if ((atEnd || allSelected) && commit()) { event.preventDefault(); activate(r, c + 1); }
      return;
    case "Escape":
      editor.value = stored(active.td);
      commit();
      return;
    case "s":
      if (event.ctrlKey || event.metaKey) { event.preventDefault(); if (commit()) saver.save(); }
      return;
    default:
  }
});

editor.addEventListener("focus", () => { historyLink.hidden = false; });

// Leaving the grid (the Save button, a link) takes what was typed, as Enter would.
editor.addEventListener("change", () => commit());

// A click on a cell moves the editor there, unless the cell it is in holds a value off the scale.
body.addEventListener("mousedown", (event) => {
  const td = event.target.closest?.("td");
  if (!td || td === active?.td || !body.contains(td)) return;
  event.preventDefault();
  if (commit()) activate(td.parentElement.sectionRowIndex, td.cellIndex - 1);
  else editor.focus();
});

saveButton.addEventListener("click", () => {
  clearTimeout(autosave);
  saver.save();
});

// Input kept from before (a reload, the browser closed and reopened, offline or not, or the session
// ended and the person signed in again): the latest typing of each cell shows, marked as not on the
// server yet; held cells show what was typed and the choice.
for (const cell of saver.unsynced()) {
  const td = cellOf(cell.column_id, cell.student_id);
  if (!td) continue;
  td.dataset.stored = stored(td);
  show(td, cell.value);
  markUnsynced(td, true);
}
showHeld();
saver.state(navigator.onLine ? "idle" : "offline");
if (saver.size) { saveButton.disabled = false; scheduleSave(0); }

// The editor waits in the first open column so that Tab reaches the grid; it takes the focus only
// when the teacher moves there.
const firstOpen = closed.indexOf(false);
activate(0, firstOpen < 0 ? 0 : firstOpen, false);
table.dataset.ready = "true"; // the grid takes keys from here on (tests and the benchmark wait for it)
performance.mark("grid-ready"); // navigation to editable on the browser's own clock (bench/portal.py)
