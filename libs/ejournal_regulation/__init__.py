"""Regulation profiles (kz-medical, kg-jasu): what differs between universities, as data.

Every service reads its rules from here; the library is pure apart from reading its own YAML files:

    from ejournal_regulation import get_profile
    profile = get_profile("kz-medical")
    profile.scale.parse("н/б")                      # Mark(text="н/б", meaning="absent", value=0)
    profile.formula("final_grade").evaluate({"admission_rating": 80, "exam": 70})
    profile.closing.closing_deadline(event_date)    # KZ-05; None when closing is event-driven (KG-06)
    profile.needs_daily_grades(unit_days=5)         # KZ-09
    profile.sanctions.teacher.measure_for(3)        # "warning" (KZ-14)

The files ship as package data in `ejournal_regulation/profiles/<code>.yaml`; `load_profile` validates
everything and raises ProfileError listing every problem with its path.
"""

from ejournal_regulation.loading import (
    PROFILES_DIR,
    get_profile,
    load_profile,
    load_profiles,
    parse_profile,
    profile_document,
)
from ejournal_regulation.model import (
    CONTROL_EVENT_KINDS,
    LESSON_TYPES,
    CheckInWindow,
    ClosingRule,
    CredentialIssuer,
    CredentialPolicy,
    Formula,
    FormulaComponent,
    RegulationProfile,
    ReopenPolicy,
    RiskCoefficients,
    Rounding,
    SanctionLadder,
    Sanctions,
    SanctionStep,
)
from ejournal_regulation.reader import ProfileError

__all__ = [
    "CONTROL_EVENT_KINDS",
    "LESSON_TYPES",
    "PROFILES_DIR",
    "CheckInWindow",
    "ClosingRule",
    "CredentialIssuer",
    "CredentialPolicy",
    "Formula",
    "FormulaComponent",
    "ProfileError",
    "RegulationProfile",
    "ReopenPolicy",
    "RiskCoefficients",
    "Rounding",
    "SanctionLadder",
    "SanctionStep",
    "Sanctions",
    "get_profile",
    "load_profile",
    "load_profiles",
    "parse_profile",
    "profile_document",
]
