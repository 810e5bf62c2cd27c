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
}
