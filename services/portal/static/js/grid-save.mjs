// Saving a journal's marks and attendance, online or not (issue 21). Typed cells (and attendance
// entries) wait as "pending" in the person's IndexedDB outbox (outbox.mjs); a save turns them into ONE
// queued POST /api/v1/journals/{id}/marks (attendance: one per lesson, POST
// .../lessons/{lesson}/attendance) with its own Idempotency-Key, each cell's expected version and the
// time it was typed. The grid page and a lesson's attendance page share the journal's queue: either
// sends all of it. Queued saves are sent in the order they were made, one at a time, whenever the
// browser is online (the queue is read again from the outbox under the lock, so two pages never send
// a save twice or bring back one another confirmed):
// - a dropped connection, a 503 or another 5xx: the same save, the same key, later (or on `online`),
//   so a save that reached the server before the network dropped is replayed by it, not doubled;
// - confirmed: later saves of the same cells that were based on the version this save replaced are
//   rebased onto the new one before they are first sent (they continue the teacher's own typing);
// - 409 with the server's current cells (someone else wrote meanwhile): those cells are HELD with both
//   values and the writer's name for the teacher to choose; the batch's other cells go out again;
// - 409 `section_closed` (or another refusal without current cells): a save spanning several columns
//   is split per column to find which are closed; the refused cells are HELD, never retried, and the
//   page offers the reopen procedure; 422 holds the named cells;
// - 401 that a refresh cannot cure: everything stays queued and the page asks to sign in.
// Only one page of this person sends at a time (a Web Lock), so two open tabs do not race.

import { ApiProblem, SignInNeeded, call } from "./api.mjs";
import { Outbox, cellId } from "./outbox.mjs";

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;
const CLOSED = "section_closed";

const ATTENDANCE = "attendance";
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const ofSave = (save) => save.of || "marks"; // saves queued before attendance had none
// A cell's key within one save's kind: a lesson's mark and its attendance share column and student.
const cellKey = (of, cell) => `${of}|${cell.column_id}|${cell.student_id}`;

// The request of a save, and the cells its answer wrote, in the outbox's form.
function request(journalId, save) {
  if (ofSave(save) !== ATTENDANCE) return { path: `/api/v1/journals/${journalId}/marks`, body: { cells: save.cells } };
  return {
    path: `/api/v1/journals/${journalId}/lessons/${save.lesson}/attendance`,
    body: {
      entries: save.cells.map(({ student_id, value, expected_version, typed_at }) => ({
        student_id, status: value, expected_version, typed_at,
      })),
    },
  };
}

function written(save, data) {
  if (ofSave(save) !== ATTENDANCE) return data?.cells || [];
  return (data?.entries || []).map((e) => ({
    column_id: save.lesson, student_id: e.student_id, value: e.status, version: e.version, source: e.source,
  }));
}

// Resolves when the browser says it is online again, or after `ms` (a dropped connection can heal
// without an `online` event).
function onlineOr(ms) {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      window.removeEventListener("online", finish);
      done();
    }
    window.addEventListener("online", finish);
  });
}

export class GridSaver {
  constructor(journalId, personId, hooks) {
    this.journalId = journalId;
    this.personId = personId;
    this.hooks = hooks; // onState(state), onSaved(cells, of), onHeld(entries)
    this.pending = new Map(); // cellId -> pending cell
    this.queue = []; // saves in order (mirror of the outbox's `saves` for this journal)
    this.held = new Map(); // cellId -> held entry
    this.phase = "idle";
    this.lastSynced = null;
    this.running = null;
  }

  async load() {
    this.outbox = await Outbox.open(this.personId);
    const [pending, saves, held] = await Promise.all(
      ["pending", "saves", "held"].map((store) => this.outbox.all(store, this.journalId)),
    );
    for (const cell of pending) this.pending.set(cell.id, cell);
    this.queue = saves.sort((a, b) => a.seq - b.seq);
    for (const entry of held) this.held.set(entry.id, entry);
    this.lastSynced = (await this.outbox.meta(`synced:${this.journalId}`)) || null;
    window.addEventListener("online", () => {
      this.state(this.phase);
      this.save(); // the queue goes out as soon as the network is back
    });
    window.addEventListener("offline", () => this.state(this.phase));
  }

  id(columnId, studentId, of = "marks") {
    return cellId(this.journalId, columnId, studentId, of);
  }

  // Cells typed and not yet confirmed by the server (of one kind), the latest typing of each cell last.
  unsynced(of = "marks") {
    const queued = this.queue.filter((save) => ofSave(save) === of).flatMap((save) => save.cells);
    return [...queued, ...[...this.pending.values()].filter((cell) => (cell.of || "marks") === of)];
  }

  isUnsynced(columnId, studentId, of = "marks") {
    if (this.pending.has(this.id(columnId, studentId, of))) return true;
    return this.queue.some((save) => ofSave(save) === of
      && save.cells.some((c) => c.column_id === columnId && c.student_id === studentId));
  }

  get waiting() {
    return this.queue.length + this.groups().length;
  }

  get size() {
    return this.pending.size + this.queue.reduce((n, save) => n + save.cells.length, 0);
  }

  state(phase) {
    this.phase = phase;
    this.hooks.onState({
      phase,
      online: navigator.onLine,
      waiting: this.waiting,
      cells: this.size,
      lastSynced: this.lastSynced,
    });
  }

  typed(columnId, studentId, value, expectedVersion, of = "marks") {
    const cell = {
      id: this.id(columnId, studentId, of),
      journal: this.journalId,
      of,
      column_id: columnId,
      student_id: studentId,
      value,
      expected_version: expectedVersion,
      typed_at: new Date().toISOString(),
    };
    this.pending.set(cell.id, cell);
    this.outbox.write([["put", "pending", cell]]);
  }

  forget(columnId, studentId, of = "marks") {
    const id = this.id(columnId, studentId, of);
    if (!this.pending.delete(id)) return;
    this.outbox.write([["delete", "pending", id]]);
  }

  // What is typed, as the saves it makes: the marks in one, each lesson's attendance in one.
  groups() {
    const groups = new Map();
    for (const cell of this.pending.values()) {
      const of = cell.of || "marks";
      const lesson = of === ATTENDANCE ? cell.column_id : "";
      const name = `${of}|${lesson}`;
      if (!groups.has(name)) groups.set(name, { of, lesson, cells: [] });
      groups.get(name).cells.push(cell);
    }
    return [...groups.values()];
  }

  // Queue everything typed as saves (one per kind and lesson), then send the queue.
  async save() {
    for (const group of this.groups()) {
      const cells = group.cells.map(({ column_id, student_id, value, expected_version, typed_at }) => ({
        column_id, student_id, value, expected_version, typed_at,
      }));
      const save = { journal: this.journalId, of: group.of, lesson: group.lesson, key: crypto.randomUUID(), cells, sent: false };
      const ids = group.cells.map((cell) => cell.id);
      for (const id of ids) this.pending.delete(id);
      const [seq] = await this.outbox.write([["add", "saves", save], ...ids.map((id) => ["delete", "pending", id])]);
      save.seq = seq;
      this.queue.push(save);
    }
    return this.flush();
  }

  flush() {
    if (!this.running) {
      const drain = () => this.drain();
      const locked = navigator.locks
        ? navigator.locks.request(`ejournal-outbox-${this.personId}`, drain)
        : drain();
      this.running = locked.finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  async drain() {
    // The outbox is the truth: another page of this person may have sent (and removed) saves of this
    // journal, or queued new ones, while this one waited for the lock.
    const stored = (await this.outbox.all("saves", this.journalId)).sort((a, b) => a.seq - b.seq);
    const sentHere = new Set(this.queue.filter((save) => save.sent).map((save) => save.seq));
    this.queue = stored.map((save) => ({ ...save, sent: sentHere.has(save.seq) }));
    while (this.queue.length) {
      const save = this.queue[0];
      // From here on the body is frozen: a retry must be the identical request. Only saves behind a
      // confirmed one are ever rebased, and the head of the queue is never behind one, so after a
      // reload the head (perhaps sent before it) is resent unchanged without storing this flag.
      save.sent = true;
      if (!(await this.send(save))) return false;
    }
    this.state(this.phase === "signin" ? "signin" : "saved");
    return true;
  }

  // One save until it is confirmed or refused (true), or the person must sign in again (false).
  async send(save) {
    let wait = RETRY_MIN_MS;
    for (;;) {
      if (!navigator.onLine) {
        this.state("offline");
        await onlineOr(RETRY_MAX_MS);
        continue;
      }
      this.state("saving");
      try {
        const { path, body } = request(this.journalId, save);
        const { data } = await call("POST", path, { body, headers: { "Idempotency-Key": save.key } });
        await this.confirmed(save, written(save, data));
        return true;
      } catch (error) {
        if (error instanceof SignInNeeded) {
          this.state("signin");
          return false;
        }
        if (error instanceof ApiProblem && error.status < 500 && error.status !== 429) {
          await this.refused(save, error);
          return true;
        }
        // 503, another 5xx, 429 or a dropped connection: the same save, the same key, a little later.
        this.state(navigator.onLine ? "retrying" : "offline");
        const retryAfter = Number(error.retryAfter) * 1000;
        await (navigator.onLine ? sleep(retryAfter > 0 ? retryAfter : wait) : onlineOr(RETRY_MAX_MS));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
      }
    }
  }

  async confirmed(save, cells) {
    this.queue.shift();
    this.lastSynced = new Date().toISOString();
    const of = ofSave(save);
    const versions = new Map(cells.map((c) => [cellKey(of, c), Number(c.version)]));
    const operations = [["delete", "saves", save.seq], ["put", "meta", { name: `synced:${this.journalId}`, value: this.lastSynced }]];
    // Later typing of the same cells was based on the version this save replaced: it continues the
    // teacher's own work, so it now expects the version this save made (bodies not yet sent only).
    const replaced = new Map(save.cells.map((c) => [cellKey(of, c), c.expected_version]));
    const rebase = (kind) => (cell) => {
      const key = cellKey(kind, cell);
      if (!versions.has(key) || cell.expected_version !== replaced.get(key)) return false;
      cell.expected_version = versions.get(key);
      return true;
    };
    for (const later of this.queue) {
      if (!later.sent && later.cells.map(rebase(ofSave(later))).some(Boolean)) operations.push(["put", "saves", later]);
    }
    for (const cell of this.pending.values()) if (rebase(cell.of || "marks")(cell)) operations.push(["put", "pending", cell]);
    // Dropping the confirmed save need not hold up the next one: were the page to close first, the
    // save would be sent again with its key and replayed by the server. A rebase is awaited, so that
    // a reload never finds a later save still based on the replaced version.
    const stored = this.outbox.write(operations);
    if (operations.length > 2) await stored;
    else stored.catch(() => undefined); // not stored: sent again later, replayed by the server
    this.hooks.onSaved(cells, of);
  }

  // Put cells back in the queue as a new save at this save's place (a new body needs a new key).
  requeue(save, cells, offset = 0.5) {
    const again = {
      journal: this.journalId, of: ofSave(save), lesson: save.lesson || "", key: crypto.randomUUID(), cells,
      sent: false, seq: save.seq + offset,
    };
    return again;
  }

  async refused(save, error) {
    const problem = error.problem || {};
    const current = new Map();
    try {
      for (const c of JSON.parse(problem.current || "[]")) current.set(Number(c.cell), c);
    } catch { /* no current cells given */ }
    const named = new Set();
    for (const e of problem.errors || []) {
      const found = /^(?:cells|entries)\[(\d+)\]/.exec(e.field || "");
      if (found) named.add(Number(found[1]));
    }
    const columns = [...new Set(save.cells.map((c) => c.column_id))];
    const replacements = [];
    let heldCells = [];
    let kind = "refused";
    if (current.size) {
      kind = "conflict";
      heldCells = save.cells.map((cell, i) => current.has(i) && { ...cell, theirs: current.get(i) }).filter(Boolean);
      const others = save.cells.filter((_, i) => !current.has(i));
      if (others.length) replacements.push(this.requeue(save, others));
    } else if (error.status === 422 && named.size) {
      heldCells = save.cells.filter((_, i) => named.has(i)).map((cell) => ({ ...cell, reason: problem.detail || "" }));
      const others = save.cells.filter((_, i) => !named.has(i));
      if (others.length) replacements.push(this.requeue(save, others));
    } else if (problem.code === CLOSED && columns.length > 1) {
      // Which columns are closed? One save per column tells (sections are whole columns).
      columns.forEach((column, i) => {
        const cells = save.cells.filter((c) => c.column_id === column);
        replacements.push(this.requeue(save, cells, (i + 1) / (columns.length + 1)));
      });
    } else {
      kind = problem.code === CLOSED ? "closed" : "refused";
      heldCells = save.cells.map((cell) => ({ ...cell, reason: problem.detail || problem.title || "" }));
    }
    const of = ofSave(save);
    const entries = heldCells.map((cell) => ({
      id: this.id(cell.column_id, cell.student_id, of),
      journal: this.journalId,
      of,
      kind,
      column_id: cell.column_id,
      student_id: cell.student_id,
      value: cell.value,
      typed_at: cell.typed_at,
      theirs: cell.theirs || null,
      reason: cell.reason || "",
    }));
    await this.outbox.write([
      ["delete", "saves", save.seq],
      ...replacements.map((again) => ["put", "saves", again]),
      ...entries.map((entry) => ["put", "held", entry]),
    ]);
    this.queue.shift();
    this.queue.unshift(...replacements);
    for (const entry of entries) this.held.set(entry.id, entry);
    if (entries.length) this.hooks.onHeld(entries);
  }

  // The teacher's choice on a held cell: keep what they typed (written over the server's version),
  // or take the server's value (what they typed is then dropped, by their choice).
  async keepMine(id) {
    const entry = this.held.get(id);
    if (!entry) return;
    this.held.delete(id);
    await this.outbox.write([["delete", "held", id]]);
    this.typed(entry.column_id, entry.student_id, entry.value, Number(entry.theirs?.version ?? 0), entry.of || "marks");
    this.pending.get(id).typed_at = entry.typed_at; // still the time it was typed
    await this.outbox.write([["put", "pending", this.pending.get(id)]]);
    return this.save();
  }

  async release(id) {
    const entry = this.held.get(id);
    this.held.delete(id);
    await this.outbox.write([["delete", "held", id]]);
    return entry;
  }
}

const quiet = { onState() {}, onSaved() {}, onHeld() {} };

// Every queued save of this person, of every journal but `except` (those a page of this tab sends
// itself), sent from whichever portal page is open (offline.mjs calls it): a save queued on a grid or
// lesson page that was closed offline goes out when any page of the person is open and online.
// The whole queue is drained under the one Web Lock the pages' savers take, journal by journal in
// the order their first save was made, each with the savers' own rules (same key on retry; conflicts,
// closed sections and refusals HELD in the outbox, shown when that journal's page opens).
// Resolves to {sent, held, signin}: saves confirmed, cells held, and whether a sign-in is needed.
export async function drainAll(personId, { except = [] } = {}) {
  const outbox = await Outbox.open(personId);
  const run = async () => {
    const saves = (await outbox.all("saves")).sort((a, b) => a.seq - b.seq);
    const journals = [...new Set(saves.map((save) => save.journal))].filter((j) => !except.includes(j));
    const result = { sent: 0, held: 0, signin: false };
    for (const journal of journals) {
      const hooks = { ...quiet, onSaved: () => { result.sent += 1; }, onHeld: (entries) => { result.held += entries.length; } };
      const saver = new GridSaver(journal, personId, hooks);
      saver.outbox = outbox;
      if (!(await saver.drain())) {
        result.signin = true;
        break;
      }
    }
    return result;
  };
  try {
    return await (navigator.locks ? navigator.locks.request(`ejournal-outbox-${personId}`, run) : run());
  } finally {
    outbox.close();
  }
}
