"""The curriculum's closed vocabularies, named as in the contracts (lower-case proto enum names)."""

from __future__ import annotations

from enum import StrEnum


class CourseUnitKind(StrEnum):
    """KZ-02: a discipline; an integrated discipline made of blocks; a module made of modular disciplines."""

    DISCIPLINE = "discipline"
    INTEGRATED_DISCIPLINE = "integrated_discipline"
    BLOCK = "block"
    MODULE = "module"
    MODULAR_DISCIPLINE = "modular_discipline"

    @property
    def part_kind(self) -> CourseUnitKind | None:
        """The kind of this unit's parts, if it is made of parts."""
        return {
            CourseUnitKind.INTEGRATED_DISCIPLINE: CourseUnitKind.BLOCK,
            CourseUnitKind.MODULE: CourseUnitKind.MODULAR_DISCIPLINE,
        }.get(self)

    @property
    def is_part(self) -> bool:
        return self in (CourseUnitKind.BLOCK, CourseUnitKind.MODULAR_DISCIPLINE)


class LessonType(StrEnum):
    LECTURE = "lecture"
    PRACTICAL = "practical"
    SEMINAR = "seminar"
    LABORATORY = "laboratory"
    CLINICAL = "clinical"
    SELF_STUDY = "self_study"


class ControlEventKind(StrEnum):
    CURRENT = "current"
    MIDTERM = "midterm"
    INTERMEDIATE_ATTESTATION = "intermediate_attestation"
    FINAL_ATTESTATION = "final_attestation"


class DeadlineKind(StrEnum):
    GRADE_ENTRY = "grade_entry"
    CLOSING = "closing"


class MovementKind(StrEnum):
    ENROLLED = "enrolled"
    TRANSFERRED = "transferred"
    EXPELLED = "expelled"


LANGUAGES = ("kk", "ru", "ky", "en")
