// The journal grid from the keyboard: arrows move, Enter goes down (Shift+Enter up), Escape undoes a
// cell, a whole column is typed without the mouse. A value off the profile's scale is refused in
// place, naming the allowed values. Saving is grid-save.mjs's: one call per batch.
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
      const td = cellOf(cell.column_id, cell.student_id);
      if (!td) continue;
      td.dataset.v = String(cell.version);
      td.dataset.stored = cell.value;
      const queued = saver.pending.get(GridSaver.id(cell.column_id, cell.student_id));
      if (queued) queued.expected_version = Number(cell.version); // typed again meanwhile
      else td.classList.remove("dirty", "saving");
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
      const td = cellOf(cell.column_id, cell.student_id);
      if (!td) return;
      if (current.has(i)) {
        const theirs = current.get(i);
        td.dataset.v = String(theirs.version);
        td.dataset.stored = theirs.value; // what is stored; the cell keeps what was typed
        td.classList.add("conflict");
        flag(td, "");
        messages.push(fill(texts.conflict, { theirs: theirs.value || "—", mine: cell.value || "—" }));
      } else if (named.has(i) && error.status === 422) {
        flag(td, "");
        messages.push(fill(texts.offscale, { value: cell.value, allowed: allowed.join(", ") }));
      } else if (error.status === 409 && !current.size) {
        flag(td, "");
      } else {
        saver.typed(cell.column_id, cell.student_id, cell.value, Number(td.dataset.v || 0)); // still good
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

// Take what was typed into the editor's cell: queue it, or refuse it in place. False keeps the focus.
function commit() {
  if (!active || editor.readOnly) return true;
  const { td, r, c } = active;
  const value = editor.value.trim();
  editor.value = value;
  const before = stored(td);
  if (value === before && !td.classList.contains("conflict")) {
    saver.forget(columns[c], students[r]);
    td.classList.remove("dirty");
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
  td.dataset.stored = before;
  td.classList.add("dirty");
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

// Input kept from before (a reload, or the session ended and the person signed in again).
for (const cell of [...saver.pending.values(), ...(saver.batch?.cells || [])]) {
  const td = cellOf(cell.column_id, cell.student_id);
  if (!td) continue;
  td.dataset.stored = stored(td);
  show(td, cell.value);
  td.classList.add("dirty");
}
if (saver.size) { saveButton.disabled = false; scheduleSave(0); }

// The editor waits in the first open column so that Tab reaches the grid; it takes the focus only
// when the teacher moves there.
const firstOpen = closed.indexOf(false);
activate(0, firstOpen < 0 ? 0 : firstOpen, false);
table.dataset.ready = "true"; // the grid takes keys from here on (tests and the benchmark wait for it)
