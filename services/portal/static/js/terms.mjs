// Which term is the current one, for the offline prefetch (offline.mjs, issue 21). Pure: no page, no
// network (tests/e2e/offline/test_current_term.py runs it in Chromium).

// The term whose dates hold today, from the university's academic years (GET /academic-years), or "".
export function termOn(years, today) {
  for (const year of years || []) {
    for (const term of year.terms || []) {
      if (term.starts_on && term.ends_on && term.starts_on <= today && today <= term.ends_on) return term.id;
    }
  }
  return "";
}

// Between terms (a holiday), or when the calendar cannot be read, the current term from the teacher's
// schedule: the term whose first lesson is the latest one on or before today — it goes on through its exam session until the next term's lessons begin — or, before
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
