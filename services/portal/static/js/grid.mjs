// The journal grid from the keyboard: arrows move, Enter goes down (Shift+Enter up), Escape undoes a
// cell, a whole column is typed without the mouse. A value off the profile's scale is refused in
// place, naming the allowed values. Saving is grid-save.mjs's: one call per batch.

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

const saver = new GridSaver(journalId, {
  onState(state, count) {
    const words = { saving: texts.saving, saved: texts.saved, retrying: texts.retrying, signin: texts.signin };
    stateLine.textContent = words[state] || "";
    table.dataset.state = state;
    if (state === "signin") {
      const link = document.createElement("a");
      link.href = `/?next=${encodeURIComponent(location.pathname)}`;
      link.textContent = texts.signin_link;
      stateLine.append(" ", link);
    }
    saveButton.disabled = saver.size === 0 || state === "saving";
    if (state === "saved" && count === 0 && problem.dataset.kind !== "refused") say("");
  },
  onSaved(cells) {
    for (const cell of cells) {
      const input = cellAt(studentIndex.get(cell.student_id), columnIndex.get(cell.column_id));
      if (!input) continue;
      input.dataset.v = String(cell.version);
      input.defaultValue = cell.value;
      const queued = saver.pending.get(GridSaver.id(cell.column_id, cell.student_id));
      if (queued) queued.expected_version = Number(cell.version); // typed again meanwhile
      else input.classList.remove("dirty", "saving");
    }
  },
  onRefused(cells, error) {
    problem.dataset.kind = "refused";
    const named = new Map();
    for (const e of error.problem.errors || []) {
      const found = /^cells\[(\d+)\]/.exec(e.field || "");
      if (found) named.set(Number(found[1]), e);
    }
    const current = new Map();
    try {
      for (const c of JSON.parse(error.problem.current || "[]")) current.set(c.cell, c);
    } catch { /* no current values given */ }
    const messages = [];
    cells.forEach((cell, i) => {
      const input = cellAt(studentIndex.get(cell.student_id), columnIndex.get(cell.column_id));
      if (!input) return;
      if (current.has(i)) {
        const theirs = current.get(i);
        input.dataset.v = String(theirs.version);
        input.defaultValue = theirs.value; // what is stored; the input keeps what was typed
        input.classList.add("conflict");
        flag(input, "");
        messages.push(fill(texts.conflict, { theirs: theirs.value || "—", mine: cell.value || "—" }));
      } else if (named.has(i) && error.status === 422) {
        flag(input, "");
        messages.push(fill(texts.offscale, { value: cell.value, allowed: allowed.join(", ") }));
      } else if (error.status === 409 && !current.size) {
        flag(input, "");
      } else {
        saver.typed(cell.column_id, cell.student_id, cell.value, Number(input.dataset.v)); // still good
      }
    });
    if (error.status === 409 && !current.size) messages.push(fill(texts.closed, { reason: error.problem.title || "" }));
    if (error.status === 403) messages.push(fill(texts.closed, { reason: error.problem.title || "" }));
    say([...new Set(messages)].join(" "));
    saveButton.disabled = saver.size === 0;
    if (saver.pending.size && !current.size && error.status === 422) scheduleSave(0);
  },
});

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
    input.classList.remove("dirty");
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
  input.classList.add("dirty");
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

// Input kept from before (a reload, or the session ended and the person signed in again).
for (const cell of [...saver.pending.values(), ...(saver.batch?.cells || [])]) {
  const input = cellAt(studentIndex.get(cell.student_id), columnIndex.get(cell.column_id));
  if (input) { input.value = cell.value; input.classList.add("dirty"); }
}
if (saver.size) { saveButton.disabled = false; scheduleSave(0); }
table.dataset.ready = "true"; // the grid takes keys from here on (tests and the benchmark wait for it)
