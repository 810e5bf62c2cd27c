"""The subscribers' queries: deliveries waiting in order, the dispatcher's lock, per-subscriber status."""

from __future__ import annotations

from sqlalchemy import text

WAITING = text(
    """
    SELECT * FROM (
        SELECT d.seq, d.subscriber_id, d.event_id, d.event_type, d.source, d.subject, d.event_time,
               d.payload, d.attempts, d.next_attempt_at, s.url, s.secret, s.content_type,
               row_number() OVER (PARTITION BY d.subscriber_id, d.subject ORDER BY d.seq) AS position
        FROM deliveries d JOIN subscribers s USING (subscriber_id)
        WHERE d.status = 'pending' AND s.active
    ) w
    WHERE w.position <= :chain
    ORDER BY w.subscriber_id, w.subject, w.seq
    LIMIT :limit
    """
)

STATUS = text(
    """
    SELECT s.subscriber_id,
           count(*) FILTER (WHERE d.status = 'delivered') AS delivered,
           count(*) FILTER (WHERE d.status = 'pending') AS pending,
           count(*) FILTER (WHERE d.status = 'dead') AS dead,
           min(d.event_time) FILTER (WHERE d.status = 'pending') AS oldest_waiting,
           max(d.delivered_at) AS last_delivered_at,
           (array_agg(d.last_error ORDER BY d.seq DESC) FILTER (WHERE d.last_error <> ''))[1] AS last_error
    FROM subscribers s LEFT JOIN deliveries d USING (subscriber_id)
    WHERE cardinality(CAST(:ids AS uuid[])) = 0 OR s.subscriber_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY s.subscriber_id
    """
)

TRY_DISPATCH_LOCK = text("SELECT pg_try_advisory_lock(:k)")

# Delivered rows older than the retention, a batch at a time (the dispatcher prunes between rounds).
PRUNE = text(
    """
    DELETE FROM deliveries WHERE seq IN (
        SELECT seq FROM deliveries WHERE status = 'delivered' AND delivered_at < :cutoff LIMIT :batch
    )
    """
)

TRY_EXPORT_LOCK = text("SELECT pg_try_advisory_lock(:k)")
