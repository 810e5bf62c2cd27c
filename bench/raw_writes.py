"""The raw side of the write benchmarks: the same batch as the gradebook's write path (upsert, history
and outbox in one transaction) as bare SQL, shared by bench.gradebook (gRPC) and bench.gateway (HTTP).

Two targets. RAW_*: three bare tables of the same columns (no partitions, no university, no guard, a
primary key each). SERVICE_*: the gradebook's own tables, the very rows its write path writes (marks,
history and outbox partitioned by term, the university on each row, their indexes, the closed-section
guard), as a hand-written application would write them: no chain lock, no state read, no chain head,
no idempotency key, no checks. The gateway's write figure is measured against the second (the same
work into the same tables, as its grid figures read the service's own tables) and prints the first
beside it (docs/perf "Stop 33")."""

from services.gradebook.adapters.cells_sql import TERM, UNIVERSITY

RAW_TABLES = """
CREATE TABLE raw_marks (journal_id uuid, column_id uuid, student_id uuid, value text, version bigint,
    updated_at timestamptz, updated_by text, PRIMARY KEY (journal_id, column_id, student_id));
CREATE TABLE raw_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, journal_id uuid, column_id uuid,
    student_id uuid, old_value text, new_value text, author_id text, recorded_at timestamptz, hash bytea);
CREATE TABLE raw_outbox (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid UNIQUE,
    event_type text, subject text, occurred_at timestamptz, payload bytea, published_at timestamptz)
"""
RAW_UPSERT = """
INSERT INTO raw_marks SELECT %b, u.c, u.s, u.v, 1, now(), 'raw'
FROM unnest(%b::uuid[], %b::uuid[], %b::text[]) AS u(c, s, v)
ON CONFLICT (journal_id, column_id, student_id) DO UPDATE
SET value = excluded.value, version = raw_marks.version + 1, updated_at = excluded.updated_at
"""
RAW_HISTORY = """
INSERT INTO raw_history (journal_id, column_id, student_id, old_value, new_value, author_id, recorded_at,
                         hash)
SELECT %b, u.c, u.s, NULL, u.v, 'raw', now(), u.h
FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::bytea[]) AS u(c, s, v, h)
"""
RAW_OUTBOX = """
INSERT INTO raw_outbox (event_id, event_type, subject, occurred_at, payload)
SELECT u.id, 'ejournal.gradebook.v1.MarkRecorded', %b, now(), u.p
FROM unnest(%b::uuid[], %b::bytea[]) AS u(id, p)
"""

# The gradebook's own tables (services/gradebook/adapters/cells_sql.py writes the same rows). The
# journal's term and university come from its row through the service's own subqueries; history
# positions follow the journal's last one, kept by the writer (one writer per journal).
SERVICE_UPSERT = f"""
INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, term_id,
                   university_id)
SELECT %b, u.c, u.s, u.v, 1, now(), 'raw', {TERM}, {UNIVERSITY}
FROM unnest(%b::uuid[], %b::uuid[], %b::text[]) AS u(c, s, v)
ON CONFLICT (journal_id, column_id, student_id, term_id) DO UPDATE
SET value = excluded.value, version = marks.version + 1, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by
"""
SERVICE_HISTORY = f"""
INSERT INTO history (journal_id, position, kind, column_id, student_id, old_value, new_value, author_id,
                     recorded_at, prev_hash, hash, term_id, university_id)
SELECT %b, %b + u.o, 'mark', u.c, u.s, NULL, u.v, 'raw', now(), u.h, u.h, {TERM}, {UNIVERSITY}
FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::bytea[]) WITH ORDINALITY AS u(c, s, v, h, o)
"""
SERVICE_OUTBOX = """
INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload)
SELECT uuidv7(), 'ejournal.gradebook.v1.MarkRecorded', %b, now(), u.p
FROM unnest(%b::bytea[]) AS u(p)
"""
LAST_POSITION = "SELECT coalesce(max(position), 0) FROM history WHERE journal_id = %b"
