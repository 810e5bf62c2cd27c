"""What the workflow's process use cases run over (the activities call them): a unit of work per
transaction and the gradebook's port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ejournal_platform.db import UnitOfWork
from services.workflow.adapters.gradebook import GradebookPort


@dataclass(frozen=True)
class Deps:
    unit_of_work: Callable[[], UnitOfWork]
    gradebook: GradebookPort
