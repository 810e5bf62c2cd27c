"""Words for the API's codes (lesson types, control kinds, statuses), translated where shown."""

from __future__ import annotations

from services.portal.navigation import N_

LABELS = {
    "lecture": N_("lecture"),
    "practical": N_("practical"),
    "seminar": N_("seminar"),
    "laboratory": N_("laboratory"),
    "self_study": N_("self-study"),
    "clinical": N_("clinical"),
    "current": N_("current control"),
    "midterm": N_("midterm control"),
    "intermediate_attestation": N_("exam"),
    "final_attestation": N_("final attestation"),
    "present": N_("present"),
    "absent": N_("absent"),
    "late": N_("late"),
    "excused": N_("excused"),
    "open": N_("open"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "mark": N_("mark"),
    "attendance": N_("attendance"),
    # a reopen case's steps (KZ-13)
    "review": N_("under review"),
    "approved": N_("approved by the council"),
    "reopening": N_("being reopened"),
    "correcting": N_("open for correction"),
    "reclosing": N_("being closed again"),
    "completed": N_("completed"),
    "withdrawn": N_("withdrawn"),
    # what a reopen case's history records
    "submitted": N_("explanation submitted"),
    "admitted_late": N_("late explanation admitted"),
    "visa_department_head": N_("visa of the department head"),
    "visa_dean_curation": N_("visa of the dean for curation"),
    "visa_dean": N_("visa of the dean"),
    "council_decision": N_("decision of the dean's council"),
    "review_overdue": N_("review overdue"),
    "reopen_requested": N_("reopening requested"),
    "reopened": N_("reopened"),
    "correction_submitted": N_("correction submitted"),
    "correction_overdue": N_("correction overdue"),
    "reopen_counted": N_("reopen counted"),
    "sanction_proposed": N_("measure proposed"),
    # statement kinds
    "section": N_("section statement"),
    "individual": N_("individual statement"),
    "integrated": N_("integrated statement"),
}
