// The journal grid from the keyboard: arrows move, Enter goes down (Shift+Enter up), Escape undoes a
// cell, a whole column is typed without the mouse. A value off the profile's scale is refused in
// place, naming the allowed values. Saving is grid-save.mjs's: one call per batch, queued in the
// person's IndexedDB outbox so typing goes on without network (issue 21). This module shows the
// outbox's state (online or not, saves waiting, last synced, cells not yet on the server) and the
// cells the server refused, with the teacher's choice.

import { GridSaver } from "./grid-save.mjs";

// Long enough that typing a column is one batch (one call) even at a slow pace; short enough to keep
// work safe when the teacher stops in the middle. The last row's Enter and the Save button save at once.
const AUTOSAVE_MS = 10000;
const table = document.getElementById("grid");
const texts = JSON.parse(table.dataset.texts);
const allowed = JSON.parse(table.dataset.allowed);
const journalId = table.dataset.journal;
const saveButton = document.getElementById("grid-save");
const stateLine = document.getElementById("grid-state");
const problem = document.getElementById("grid-problem");
const historyLink = document.getElementById("grid-history");
const columns = [...table.querySelectorAll("thead th[data-col]")].map((th) => th.dataset.col);
const students = [...table.querySelectorAll("tbody tr")].map((tr) => tr.dataset.student);
const columnIndex = new Map(columns.map((id, i) => [id, i]));
const studentIndex = new Map(students.map((id, i) => [id, i]));
const rows = [...table.tBodies[0].rows].map((tr) => [...tr.querySelectorAll("input.cell")]);
let autosave = null;

const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
const cellAt = (r, c) => rows[r]?.[c];
const where = (input) => [Number(input.dataset.r), Number(input.dataset.c)];

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

function flag(input, text) {
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", "grid-problem");
  say(text);
}

function unflag(input) {
  input.removeAttribute("aria-invalid");
  input.removeAttribute("aria-describedby");
  input.classList.remove("conflict");
}

const personId = document.body.dataset.person;
const syncLine = document.getElementById("grid-sync");
const heldList = document.getElementById("grid-held");
const inputOf = (columnId, studentId) => cellAt(studentIndex.get(studentId), columnIndex.get(columnId));
const nameOf = (studentId) => table.querySelector(`tbody tr[data-student="${studentId}"] th`)?.textContent.trim() || "";
const columnName = (columnId) => table.querySelector(`thead th[data-col="${columnId}"]`)?.textContent.replace(/\s+/g, " ").trim() || "";
const local = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" }) : "");

// Cells not yet on the server are marked in the grid (a class and a title, not only a colour).
function markUnsynced(input, unsynced) {
  input.classList.toggle("dirty", unsynced);
  if (unsynced) input.title = texts.unsynced_cell;
  else if (input.title === texts.unsynced_cell) input.removeAttribute("title");
}

function showSync({ phase, online, waiting, lastSynced }) {
  const words = { saving: texts.saving, saved: texts.saved, retrying: texts.retrying, signin: texts.signin, offline: texts.offline };
  stateLine.textContent = words[phase] || "";
  table.dataset.state = phase;
  table.dataset.online = String(online);
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
  saveButton.disabled = saver.size === 0 || phase === "saving";
  if (phase === "saved" && saver.size === 0 && problem.dataset.kind !== "held") say("");
}

// A held cell: what the teacher typed stays in the cell; the list says why and offers the choice.
function showHeld() {
  heldList.replaceChildren();
  heldList.hidden = saver.held.size === 0;
  for (const entry of saver.held.values()) {
    const input = inputOf(entry.column_id, entry.student_id);
    if (input) {
      input.value = entry.value;
      input.classList.add("conflict");
      // Typing into the cell again answers the conflict too: then it is written over the server's version.
      if (entry.theirs) input.dataset.v = String(entry.theirs.version);
      flag(input, "");
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
  if ([...saver.held.values()].some((e) => e.kind === "closed")) {
    const offer = document.createElement("li");
    offer.className = "reopen-offer";
    offer.textContent = texts.reopen_offer;
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
  const input = entry && inputOf(entry.column_id, entry.student_id);
  if (button.dataset.choice === "mine") {
    await saver.keepMine(id);
  } else {
    await saver.release(id);
    if (input && button.dataset.choice === "theirs") {
      input.dataset.v = String(entry.theirs.version);
      input.defaultValue = input.value = entry.theirs.value;
    } else if (input) {
      input.value = input.defaultValue;
    }
  }
  if (input) { unflag(input); markUnsynced(input, saver.isUnsynced(entry.column_id, entry.student_id)); }
  showHeld();
  saver.state(saver.phase);
});

const saver = new GridSaver(journalId, personId, {
  onState: showSync,
  onSaved(cells) {
    for (const cell of cells) {
      const input = inputOf(cell.column_id, cell.student_id);
      if (!input) continue;
      input.dataset.v = String(cell.version);
      input.defaultValue = cell.value;
      if (!saver.isUnsynced(cell.column_id, cell.student_id)) { markUnsynced(input, false); input.classList.remove("saving"); }
    }
  },
  onHeld: showHeld,
});
await saver.load();

function scheduleSave(delay = AUTOSAVE_MS) {
  clearTimeout(autosave);
  autosave = setTimeout(() => saver.save(), delay);
}

// Take what was typed into a cell: queue it, or refuse it in place. False keeps the focus there.
function commit(input) {
  if (input.readOnly) return true;
  const value = input.value.trim();
  input.value = value;
  const [r, c] = where(input);
  if (value === input.defaultValue && !input.classList.contains("conflict")) {
    saver.forget(columns[c], students[r]);
    markUnsynced(input, saver.isUnsynced(columns[c], students[r]));
    unflag(input);
    return true;
  }
  if (!onScale(value)) {
    flag(input, fill(texts.offscale, { value, allowed: allowed.join(", ") }));
    problem.dataset.kind = "offscale";
    return false;
  }
  unflag(input);
  if (problem.dataset.kind === "offscale") say("");
  const heldId = saver.id(columns[c], students[r]);
  if (saver.held.has(heldId)) saver.release(heldId).then(showHeld); // typed anew: the teacher chose
  markUnsynced(input, true);
  saver.typed(columns[c], students[r], value, Number(input.dataset.v));
  saveButton.disabled = false;
  stateLine.textContent = fill(texts.unsaved, { n: saver.size });
  scheduleSave();
  return true;
}

function move(r, c) {
  const target = cellAt(Math.max(0, Math.min(rows.length - 1, r)), Math.max(0, Math.min(columns.length - 1, c)));
  if (target) target.focus();
}

table.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!input.classList?.contains("cell")) return;
  const [r, c] = where(input);
  const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
  const atEnd = input.selectionStart === input.value.length;
  const allSelected = input.selectionStart === 0 && input.selectionEnd === input.value.length;
  switch (event.key) {
    case "Enter":
      event.preventDefault();
      if (!commit(input)) return;
      if (!event.shiftKey && r === rows.length - 1) { clearTimeout(autosave); saver.save(); return; }
      move(event.shiftKey ? r - 1 : r + 1, c);
      return;
    case "ArrowDown":
    case "ArrowUp":
      event.preventDefault();
      if (commit(input)) move(event.key === "ArrowDown" ? r + 1 : r - 1, c);
      return;
    case "ArrowLeft":
      if ((atStart || allSelected) && commit(input)) { event.preventDefault(); move(r, c - 1); }
      return;
    case "ArrowRight":
      if ((atEnd || allSelected) && commit(input)) { event.preventDefault(); move(r, c + 1); }
      return;
    case "Escape":
      input.value = input.defaultValue;
      commit(input);
      return;
    case "s":
      if (event.ctrlKey || event.metaKey) { event.preventDefault(); if (commit(input)) saver.save(); }
      return;
    default:
  }
});

table.addEventListener("focusin", (event) => {
  const input = event.target;
  if (!input.classList?.contains("cell")) return;
  input.select();
  const [r, c] = where(input);
  historyLink.href = `/teacher/journals/${journalId}/cells/${columns[c]}/${students[r]}`;
  historyLink.hidden = false;
});

table.addEventListener("change", (event) => {
  if (event.target.classList?.contains("cell")) commit(event.target);
});

saveButton.addEventListener("click", () => {
  clearTimeout(autosave);
  saver.save();
});

// Input kept from before (a reload, the browser closed and reopened, offline or not, or the session
// ended and the person signed in again): the latest typing of each cell shows, marked as not on the
// server yet; held cells show what was typed and the choice.
for (const cell of saver.unsynced()) {
  const input = inputOf(cell.column_id, cell.student_id);
  if (input) { input.value = cell.value; markUnsynced(input, true); }
}
showHeld();
saver.state(navigator.onLine ? "idle" : "offline");
if (saver.size) { saveButton.disabled = false; scheduleSave(0); }
table.dataset.ready = "true"; // the grid takes keys from here on (tests and the benchmark wait for it)
