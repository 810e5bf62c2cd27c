// Saving the grid: every typed cell waits in one outbox; a save sends them all in ONE call
// (POST /api/v1/journals/{id}/marks) with an Idempotency-Key and each cell's expected version.
// A 503 or a dropped connection keeps the batch and retries it with the SAME key, so the server
// applies it once. The outbox lives in sessionStorage: a reload, or signing in again after the
// session expired, finds what was typed. (Offline entry, issue 21, extends this module.)

import { ApiProblem, SignInNeeded, call } from "./api.mjs";

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

export class GridSaver {
  constructor(journalId, { onState, onSaved, onRefused }) {
    this.journalId = journalId;
    this.storageKey = `ejournal:outbox:${journalId}`;
    this.onState = onState;
    this.onSaved = onSaved;
    this.onRefused = onRefused;
    const stored = JSON.parse(sessionStorage.getItem(this.storageKey) || "null");
    this.pending = new Map(Object.entries(stored?.pending || {}));
    this.batch = stored?.batch || null; // {key, cells} once sent: retried as it is
    this.running = null;
  }

  static id(columnId, studentId) {
    return `${columnId}|${studentId}`;
  }

  get size() {
    return this.pending.size + (this.batch ? this.batch.cells.length : 0);
  }

  typed(columnId, studentId, value, expectedVersion) {
    this.pending.set(GridSaver.id(columnId, studentId),
      { column_id: columnId, student_id: studentId, value, expected_version: expectedVersion });
    this.persist();
  }

  forget(columnId, studentId) {
    this.pending.delete(GridSaver.id(columnId, studentId));
    this.persist();
  }

  persist() {
    const pending = Object.fromEntries(this.pending);
    if (!this.batch && this.pending.size === 0) sessionStorage.removeItem(this.storageKey);
    else sessionStorage.setItem(this.storageKey, JSON.stringify({ pending, batch: this.batch }));
  }

  // Send everything typed: one call per batch; a second save while one runs waits for it.
  save() {
    if (!this.running) {
      this.running = this.run().finally(() => { this.running = null; });
    }
    return this.running;
  }

  async run() {
    while (this.batch || this.pending.size) {
      if (!this.batch) {
        this.batch = { key: crypto.randomUUID(), cells: [...this.pending.values()] };
        this.pending.clear();
        this.persist();
      }
      if (!(await this.send(this.batch))) return false;
      this.batch = null;
      this.persist();
      this.onState("saved", this.pending.size);
    }
    return true;
  }

  async send(batch) {
    let wait = RETRY_MIN_MS;
    for (;;) {
      this.onState("saving", batch.cells.length);
      try {
        const { data } = await call("POST", `/api/v1/journals/${this.journalId}/marks`, {
          body: { cells: batch.cells }, headers: { "Idempotency-Key": batch.key },
        });
        this.onSaved(data.cells || []);
        return true;
      } catch (error) {
        if (error instanceof SignInNeeded) {
          this.onState("signin", this.size);
          return false;
        }
        if (error instanceof ApiProblem && error.status !== 503 && error.status < 500) {
          // Refused as a whole (422 off the scale, 409 stale or closed): nothing was written.
          this.batch = null;
          this.persist();
          this.onRefused(batch.cells, error);
          return false;
        }
        // 503, another 5xx or a dropped connection: the same batch, the same key, a little later.
        const retryAfter = Number(error.retryAfter) * 1000;
        this.onState("retrying", batch.cells.length);
        await new Promise((done) => setTimeout(done, retryAfter > 0 ? retryAfter : wait));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
      }
    }
  }
}
