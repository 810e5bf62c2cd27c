// The browser's outbox of grid saves, in IndexedDB, one database per signed-in person
// ("ejournal-<person id>"): what a teacher typed survives a reload, a closed tab or browser, and the
// network being gone (issue 21). offline.mjs deletes the databases at sign-out and those of any other
// person when someone signs in.
//
// Stores (all keyed so one journal's entries are found by an index on `journal`):
//   pending — cells typed but not yet made into a save: {id, journal, of, column_id, student_id, value,
//             expected_version, typed_at}; `of` is "marks" (absent in older entries) or "attendance"
//             (column_id is then the lesson, value the status); id = cellId(...) (typing again
//             replaces it);
//   saves   — saves in the order they were made: {seq, journal, of, lesson, key, cells: [...], sent};
//             each is ONE POST .../marks (or .../lessons/{lesson}/attendance) with its own
//             Idempotency-Key; `sent` freezes the body (a retry must be byte-identical so the server
//             replays it rather than refusing the key);
//   held    — cells the server refused and the teacher must decide on: {id, journal, of, column_id,
//             student_id, value, typed_at, kind: "conflict" | "closed" | "refused", theirs};
//   meta    — {name, value}: "synced:<journal>" = the last time a save of that journal was confirmed.

export const DATABASE_PREFIX = "ejournal-";
const VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

// A mark and a lesson's attendance share column and student: attendance entries carry a suffix.
export function cellId(journal, columnId, studentId, of = "marks") {
  return `${journal}|${columnId}|${studentId}${of === "attendance" ? "|attendance" : ""}`;
}

export class Outbox {
  constructor(db) {
    this.db = db;
  }

  static async open(personId) {
    const opening = indexedDB.open(DATABASE_PREFIX + personId, VERSION);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      db.createObjectStore("pending", { keyPath: "id" }).createIndex("journal", "journal");
      db.createObjectStore("saves", { keyPath: "seq", autoIncrement: true }).createIndex("journal", "journal");
      db.createObjectStore("held", { keyPath: "id" }).createIndex("journal", "journal");
      db.createObjectStore("meta", { keyPath: "name" });
    };
    const db = await request(opening);
    db.onversionchange = () => db.close(); // let a sign-out elsewhere delete it
    return new Outbox(db);
  }

  close() {
    this.db.close();
  }

  async all(store, journal) {
    const tx = this.db.transaction(store, "readonly");
    const source = tx.objectStore(store);
    return request(journal === undefined ? source.getAll() : source.index("journal").getAll(journal));
  }

  // Several writes in one transaction: [["put", store, value], ["delete", store, key], ...].
  async write(operations) {
    const stores = [...new Set(operations.map(([, store]) => store))];
    const tx = this.db.transaction(stores, "readwrite");
    const keys = operations.map(([verb, store, value]) => request(tx.objectStore(store)[verb](value)));
    await done(tx);
    return Promise.all(keys);
  }

  async meta(name) {
    const tx = this.db.transaction("meta", "readonly");
    return (await request(tx.objectStore("meta").get(name)))?.value;
  }

  // How many saves and typed cells wait, and how many cells are held, over every journal.
  async counts() {
    const tx = this.db.transaction(["pending", "saves", "held"], "readonly");
    const [pending, saves, held] = await Promise.all(
      ["pending", "saves", "held"].map((store) => request(tx.objectStore(store).count())),
    );
    return { pending, saves, held };
  }
}

// Every outbox database in this browser (Chromium lists them), for wiping at sign-out or when
// another person signs in.
export async function outboxDatabases() {
  const found = await indexedDB.databases();
  return found.map((d) => d.name).filter((name) => name && name.startsWith(DATABASE_PREFIX));
}

export function deleteDatabase(name) {
  return new Promise((resolve) => {
    const deleting = indexedDB.deleteDatabase(name);
    deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
  });
}
