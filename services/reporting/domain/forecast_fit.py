"""Fitting and judging the forecast's risk model (KG-13): logistic regression by gradient descent on
(features, failed) pairs, and the accuracy figures measured on students the fit never saw."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.domain.forecast import Forecast, RiskModel


def fit_risk_model(
    samples: Sequence[tuple[tuple[float, float, float], bool]],
    *,
    iterations: int = 4000,
    learning_rate: float = 4.0,
    l2: float = 0.001,
) -> RiskModel:
    """Plain batch gradient descent on the log-loss; deterministic for the same samples."""
    weights = [0.0, 0.0, 0.0, 0.0]
    n = len(samples)
    if n == 0:
        raise ValueError("no samples to fit the risk model on")
    for _ in range(iterations):
        grad = [0.0, 0.0, 0.0, 0.0]
        for features, failed in samples:
            x = (1.0, *features)
            z = sum(w * xi for w, xi in zip(weights, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
            error = p - (1.0 if failed else 0.0)
            for i, xi in enumerate(x):
                grad[i] += error * xi
        for i in range(4):
            penalty = l2 * weights[i] if i else 0.0
            weights[i] -= learning_rate * (grad[i] / n + penalty)
    return RiskModel(*(round(w, 2) for w in weights))


@dataclass(frozen=True)
class Accuracy:
    students: int
    mean_absolute_error: Decimal  # expected vs actual final result, in the scale's units
    failure_accuracy: Decimal  # share of students whose pass/fail the risk (>= 0.5) got right
    brier: Decimal  # mean squared error of the risk against what happened (0 is perfect)
    failures: int
    failures_caught: int  # failures that had risk >= 0.5 beforehand


def accuracy(forecasts: Sequence[Forecast], actual: dict[str, tuple[Decimal, bool]]) -> Accuracy:
    """`actual`: student -> (final result, failed)."""
    judged = [f for f in forecasts if f.student_id in actual and f.expected is not None]
    if not judged:
        raise ValueError("no forecast to judge")
    errors = [abs((f.expected or Decimal(0)) - actual[f.student_id][0]) for f in judged]
    right = sum(1 for f in judged if (f.risk >= Decimal("0.5")) == actual[f.student_id][1])
    brier = sum((float(f.risk) - (1.0 if actual[f.student_id][1] else 0.0)) ** 2 for f in judged) / len(
        judged
    )
    failures = [f for f in judged if actual[f.student_id][1]]
    q = Decimal("0.001")
    return Accuracy(
        students=len(judged),
        mean_absolute_error=(sum(errors, Decimal(0)) / len(errors)).quantize(Decimal("0.01")),
        failure_accuracy=(Decimal(right) / len(judged)).quantize(q),
        brier=Decimal(brier).quantize(q),
        failures=len(failures),
        failures_caught=sum(1 for f in failures if f.risk >= Decimal("0.5")),
    )
