"""A generated semester of one course unit for a few groups: marks, absences, midterm, exam, finals.

Deterministic for a seed. Each student has a hidden ability; marks, absences and the exam all follow
it with noise, so the forecast has something real to learn and can be judged on students it never
saw. Names carry the Kazakh and Kyrgyz letters (ә ғ қ ң ө ұ ү һ і) so every document path meets them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ejournal_regulation import get_profile
from services.reporting.domain.forecast import Control, StudentRecord
from services.reporting.domain.marks import read_mark

LAST_NAMES = (
    "Әбілқасымов",
    "Ғалымжанова",
    "Қуанышбеков",
    "Төңкерісова",
    "Өмірзақов",
    "Ұлықбекова",
    "Үсенбаев",
    "Һадиева",
    "Ісмайылов",
    "Мамбетов",
    "Жээнбекова",
    "Төрөкулов",
    "Асанова",
)
FIRST_NAMES = ("Әсел", "Ғани", "Қайрат", "Аңсар", "Өркен", "Ұлпан", "Нұрбүбі", "Айгүл", "Іңкәр", "Бүбүсара")


@dataclass(frozen=True)
class DemoStudent:
    student_id: str
    full_name: str
    group_id: str
    ability: float


@dataclass(frozen=True)
class DemoSemester:
    profile_code: str
    students: tuple[DemoStudent, ...]
    lesson_dates: tuple[date, ...]
    marks: dict[tuple[str, int], str]  # (student, lesson index) -> mark text
    midterms: dict[str, str]  # student -> midterm mark (held after two thirds of the lessons)
    exams: dict[str, str]
    finals: dict[str, tuple[Decimal, bool]]  # student -> (final result, failed)
    midterm_after: int  # lessons before the midterm

    def record(self, student_id: str, lessons_known: int) -> StudentRecord:
        """What the journal shows about the student after `lessons_known` lessons."""
        controls = [
            Control(
                f"lesson-{i + 1}",
                f"{self.lesson_dates[i].isoformat()}",
                "current",
                self.marks[(student_id, i)],
            )
            for i in range(lessons_known)
        ]
        if lessons_known >= self.midterm_after:
            controls.append(Control("midterm-1", "midterm", "midterm", self.midterms[student_id]))
        missed = sum(1 for c in controls[:lessons_known] if read_mark(self.profile_code, c.mark).is_absence)
        return StudentRecord(student_id, self.profile_code, tuple(controls), lessons_known, missed)


def _points(rng: random.Random, center: float, ability: float, spread: float, noise: float) -> int:
    return max(0, min(100, round(center + spread * ability + rng.gauss(0, noise))))


def _mark(rng: random.Random, ability: float, noise: float) -> int:
    return max(2, min(5, round(3.7 + 0.8 * ability + rng.gauss(0, noise))))


def generate(
    profile_code: str, *, groups: int = 4, per_group: int = 25, lessons: int = 30, seed: int = 7
) -> DemoSemester:
    rng = random.Random(f"{profile_code}/{seed}")
    profile = get_profile(profile_code)
    points = profile.scale.kind == "points"
    absent = "н/б" if points else "нб"
    start = date(2026, 9, 1)
    dates = tuple(start + timedelta(days=(i // 2) * 7 + (i % 2) * 2) for i in range(lessons))
    midterm_after = (2 * lessons) // 3
    students: list[DemoStudent] = []
    marks: dict[tuple[str, int], str] = {}
    midterms: dict[str, str] = {}
    exams: dict[str, str] = {}
    finals: dict[str, tuple[Decimal, bool]] = {}
    for g in range(groups):
        for s in range(per_group):
            sid = f"{profile_code}-g{g + 1}-s{s + 1:02d}"
            ability = rng.gauss(0, 1)
            name = (
                f"{LAST_NAMES[(g * 7 + s) % len(LAST_NAMES)]} {FIRST_NAMES[(s * 3 + g) % len(FIRST_NAMES)]}"
            )
            students.append(DemoStudent(sid, name, f"{profile_code}-group-{g + 1}", ability))
            p_absent = 1 / (1 + 2.718 ** (2.6 + 1.2 * ability))
            for i in range(lessons):
                if rng.random() < p_absent:
                    marks[(sid, i)] = absent
                else:
                    marks[(sid, i)] = str(
                        _points(rng, 72, ability, 14, 9) if points else _mark(rng, ability, 0.6)
                    )
            midterms[sid] = str(_points(rng, 70, ability, 15, 10) if points else _mark(rng, ability, 0.7))
            exams[sid] = str(_points(rng, 68, ability, 16, 12) if points else _mark(rng, ability, 0.8))
            finals[sid] = final_result(
                profile_code, [marks[(sid, i)] for i in range(lessons)], midterms[sid], exams[sid]
            )
    return DemoSemester(profile_code, tuple(students), dates, marks, midterms, exams, finals, midterm_after)


def final_result(profile_code: str, current: list[str], midterm: str, exam: str) -> tuple[Decimal, bool]:
    """What the gradebook would compute at the end: the profile's formulae over all the marks."""
    profile = get_profile(profile_code)
    values = [v for v in (read_mark(profile_code, m).value for m in current) if v is not None]
    c = sum(values, Decimal(0)) / len(values) if values else Decimal(0)
    m = read_mark(profile_code, midterm).value or Decimal(0)
    e = read_mark(profile_code, exam).value or Decimal(0)
    inputs: dict[str, Decimal] = {"current_control": c, "midterm_control": m}
    admission = profile.formula("admission_rating").evaluate(inputs)
    inputs |= {"admission_rating": admission, "exam": e}
    final = profile.rounding.apply(profile.formula("final_grade").evaluate(inputs))
    passed = profile.formula("final_grade").passes(inputs) and profile.scale.is_passing(final)
    return final, not passed
