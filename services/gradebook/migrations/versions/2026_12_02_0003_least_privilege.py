"""least privilege: the service role writes reopen grants only through a checking function, never
changes its record, and a column of a closed section is frozen whole.

Revision ID: 0003_least_privilege
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

from ejournal_platform.db_roles import app_role, app_role_exists, restrict_app_role

revision = "0003_least_privilege"
down_revision = "0002"
branch_labels = None
depends_on = None

# Every recorded grant, also the ones a later end closes: who asked for it (the database session's
# role), when and for what. Append-only; the service role may only read it.
GRANT_LOG = """
CREATE TABLE reopen_grant_log (
    grant_id uuid PRIMARY KEY,
    case_id text NOT NULL,
    teacher_id uuid NOT NULL,
    journal_id uuid NOT NULL,
    section_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    granted_by text NOT NULL,
    recorded_by text NOT NULL DEFAULT session_user::text,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER reopen_grant_log_append_only BEFORE UPDATE OR DELETE ON reopen_grant_log
    FOR EACH ROW EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER reopen_grant_log_no_truncate BEFORE TRUNCATE ON reopen_grant_log
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
"""

# The only way to write a grant: checks what the use case checks (a closed section of an unlocked
# journal, a teacher of that journal, a future expiry, one grant per case) and records it in the log.
# SECURITY DEFINER runs as the owner, with a fixed search_path so a caller cannot substitute tables.
RECORD_GRANT = """
CREATE FUNCTION ejournal_record_reopen_grant(
    p_grant_id uuid, p_case_id text, p_teacher_id uuid, p_journal_id uuid, p_section_id uuid,
    p_granted_at timestamptz, p_expires_at timestamptz, p_granted_by text, p_reason text
) RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    found uuid;
BEGIN
    SELECT grant_id INTO found FROM reopen_grants WHERE case_id = p_case_id;
    IF found IS NOT NULL THEN
        RETURN found;
    END IF;
    IF p_expires_at <= clock_timestamp() THEN
        RAISE EXCEPTION 'a reopen grant must expire in the future' USING ERRCODE = 'EJ005';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sections s JOIN journals j USING (journal_id)
                   WHERE s.journal_id = p_journal_id AND s.section_id = p_section_id
                     AND s.closed_at IS NOT NULL AND j.locked_at IS NULL) THEN
        RAISE EXCEPTION 'only a closed section of an unlocked journal can be reopened' USING ERRCODE = 'EJ005';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM journal_teachers
                   WHERE journal_id = p_journal_id AND teacher_id = p_teacher_id AND active) THEN
        RAISE EXCEPTION 'the teacher does not teach this journal' USING ERRCODE = 'EJ005';
    END IF;
    INSERT INTO reopen_grants (grant_id, case_id, teacher_id, journal_id, section_id, granted_at,
                               expires_at, granted_by, reason)
    VALUES (p_grant_id, p_case_id, p_teacher_id, p_journal_id, p_section_id, p_granted_at,
            p_expires_at, p_granted_by, p_reason)
    ON CONFLICT (case_id) DO NOTHING;
    SELECT grant_id INTO found FROM reopen_grants WHERE case_id = p_case_id;
    IF found = p_grant_id THEN
        INSERT INTO reopen_grant_log (grant_id, case_id, teacher_id, journal_id, section_id, expires_at,
                                      granted_by)
        VALUES (p_grant_id, p_case_id, p_teacher_id, p_journal_id, p_section_id, p_expires_at, p_granted_by);
    END IF;
    RETURN found;
END $$;
REVOKE ALL ON FUNCTION ejournal_record_reopen_grant(uuid, text, uuid, uuid, uuid, timestamptz, timestamptz, text, text)
    FROM PUBLIC;

-- An ended grant stays ended, and nothing but the end may change.
CREATE FUNCTION ejournal_grant_ends_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.ended_at IS NOT NULL THEN
        RAISE EXCEPTION 'an ended reopen grant cannot change' USING ERRCODE = 'EJ005';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER reopen_grants_end_once BEFORE UPDATE ON reopen_grants
    FOR EACH ROW EXECUTE FUNCTION ejournal_grant_ends_once();
CREATE TRIGGER reopen_grants_no_truncate BEFORE TRUNCATE ON reopen_grants
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();

-- A column of a closed section is frozen whole (its date, kind, cancellation, everything), and no
-- column joins a closed section: the closed record is exactly what was closed (KZ-05, KG-06).
CREATE OR REPLACE FUNCTION ejournal_column_frozen_when_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM sections s WHERE s.journal_id = OLD.journal_id AND s.section_id = OLD.section_id
          AND s.closed_at IS NOT NULL)
       AND (TG_OP = 'DELETE' OR NEW IS DISTINCT FROM OLD) THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', OLD.journal_id, OLD.section_id
            USING ERRCODE = 'EJ005';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM sections s WHERE s.journal_id = NEW.journal_id AND s.section_id = NEW.section_id
          AND s.closed_at IS NOT NULL)
       AND (TG_OP = 'INSERT' OR NEW.section_id IS DISTINCT FROM OLD.section_id) THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', NEW.journal_id, NEW.section_id
            USING ERRCODE = 'EJ005';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER columns_frozen_when_closed BEFORE INSERT OR UPDATE OR DELETE ON columns
    FOR EACH ROW EXECUTE FUNCTION ejournal_column_frozen_when_closed();
CREATE TRIGGER attendance_no_truncate BEFORE TRUNCATE ON attendance
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER dispute_messages_no_truncate BEFORE TRUNCATE ON dispute_messages
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
"""


def upgrade() -> None:
    op.execute(GRANT_LOG)
    op.execute(RECORD_GRANT)
    restrict_app_role(
        "gradebook",
        append_only=["history", "statements", "dispute_messages"],
        no_delete=["journals", "sections", "statement_counters", "disputes", "chain_heads"],
        read_only=["reopen_grant_log"],
        updatable_columns={"reopen_grants": ["ended_at", "end_reason", "individual_statement_id"]},
    )
    if app_role_exists("gradebook"):
        op.execute(
            "GRANT EXECUTE ON FUNCTION ejournal_record_reopen_grant(uuid, text, uuid, uuid, uuid, timestamptz, "
            f'timestamptz, text, text) TO "{app_role("gradebook")}"'
        )


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
