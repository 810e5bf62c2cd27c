"""Education quality at the end of a semester or year (KG-11), from the final results of course units.

Per the usual definitions of the CIS universities both regulations come from:
- academic performance (успеваемость) = results that pass / results;
- quality (качество знаний) = results the profile calls good or excellent / results;
- the average result, in the profile's own scale (points 0–100 or marks 2–5), so figures of units of
  different profiles are never averaged together: the caller groups by profile as well.
A student absent from the exam (no value) counts as a result that does not pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from services.reporting.domain.figures import mean, rate
from services.reporting.domain.marks import scale_facts

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class FinalResult:
    student_id: str
    course_unit_id: str
    group_id: str
    department_id: str
    faculty_id: str
    profile_code: str
    value: Decimal | None  # None: no result (absent from the exam, not admitted)


@dataclass(frozen=True)
class QualityFigures:
    results: int
    passed: int
    good: int
    average: Decimal | None

    @property
    def performance_rate(self) -> Decimal | None:
        return rate(self.passed, self.results)

    @property
    def quality_rate(self) -> Decimal | None:
        return rate(self.good, self.results)


def quality(results: Iterable[FinalResult]) -> QualityFigures:
    items = list(results)
    passed = good = 0
    values: list[Decimal] = []
    for result in items:
        if result.value is None:
            continue
        facts = scale_facts(result.profile_code)
        values.append(result.value)
        passed += result.value >= facts.passing
        good += result.value >= facts.good
    return QualityFigures(results=len(items), passed=passed, good=good, average=mean(values))


def quality_by(results: Iterable[FinalResult], key: Callable[[FinalResult], K]) -> dict[K, QualityFigures]:
    groups: dict[K, list[FinalResult]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return {k: quality(v) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}
