"""Typed models, one module per aggregate; importing this package registers every table."""

from services.curriculum.adapters.models.calendar import AcademicYear, ControlEvent, Term
from services.curriculum.adapters.models.closed import ClosedSection, RecordedCell, Substitution
from services.curriculum.adapters.models.contingent import Movement, Placement
from services.curriculum.adapters.models.curriculum import CourseUnit, CourseUnitHours
from services.curriculum.adapters.models.records import AuditEntry, ImportRecord
from services.curriculum.adapters.models.structure import (
    Classroom,
    Department,
    Faculty,
    Group,
    Specialty,
    Subgroup,
    University,
)
from services.curriculum.adapters.models.teaching import (
    Lesson,
    LessonPlan,
    LessonPlanItem,
    PlanUploader,
    TeachingLoad,
)

__all__ = [
    "AcademicYear", "AuditEntry", "Classroom", "ClosedSection", "ControlEvent", "CourseUnit",
    "CourseUnitHours", "Department", "Faculty", "Group", "ImportRecord", "Lesson", "LessonPlan",
    "LessonPlanItem", "Movement", "Placement", "PlanUploader", "RecordedCell", "Specialty", "Subgroup",
    "Substitution",
    "TeachingLoad", "Term", "University",
]  # fmt: skip
