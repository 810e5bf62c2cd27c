// Which term is the current one, for the offline prefetch (offline.mjs, issue 21). Pure: no page, no
// network (tests/e2e/offline/test_current_term.py runs it in Chromium).
//
// The current term, from the teacher's schedule (a journal knows its term's id, not its dates, and a
// teacher may not list the academic years): the term whose first lesson is the latest one on or
// before today — it goes on through its exam session until the next term's lessons begin — or, before
// any has begun, the term that begins first.
export function currentTerm(lessons, today) {
  const first = new Map();
  for (const l of lessons) {
    if (l.term_id && (!first.has(l.term_id) || l.date < first.get(l.term_id))) first.set(l.term_id, l.date);
  }
  const started = [...first].filter(([, date]) => date <= today).sort((a, b) => (a[1] < b[1] ? 1 : -1));
  if (started.length) return started[0][0];
  const coming = [...first].sort((a, b) => (a[1] < b[1] ? -1 : 1));
  return coming.length ? coming[0][0] : "";
}
