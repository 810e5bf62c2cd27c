"""The raw side of the write benchmarks: the same batch as the gradebook's write path (upsert, history
and outbox in one transaction) as bare SQL, shared by bench.gradebook (gRPC) and bench.gateway (HTTP)."""

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
