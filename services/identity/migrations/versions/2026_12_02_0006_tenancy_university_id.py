"""every row of a person carries their university (issue 18, tenancy)

Revision ID: 0006_tenancy_university_id
Revises: 0005_observability_traceparent
Create Date: 2026-12-02
"""

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0006_tenancy_university_id"
down_revision = "0005_observability_traceparent"
branch_labels = None
depends_on = None

_PERSON = "(SELECT p.university_id FROM people p WHERE p.id = {row}.person_id)"

DERIVED = (
    Derived("person_audit", _PERSON),
    Derived("role_assignments", _PERSON),
    Derived("sessions", _PERSON),
    Derived("refresh_tokens", "(SELECT s.university_id FROM sessions s WHERE s.id = {row}.session_id)"),
    Derived("contacts", _PERSON),
    Derived("telegram_link_codes", _PERSON),
    # An attempt at a login that names nobody belongs to no university (it still locks out, by login).
    Derived("login_attempts", _PERSON, not_null=False),
)


def upgrade() -> None:
    for derived in DERIVED:
        add_derived_university_id(derived)


def downgrade() -> None:
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
