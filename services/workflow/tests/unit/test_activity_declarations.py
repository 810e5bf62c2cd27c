"""Every activity a workflow declares (processes/*/activities.py) is implemented under the same name by
entrypoints/activities.py and registered by the worker, with the declaration's input and result types
(so `execute_activity_method` and the implementation agree on what crosses the history)."""

from __future__ import annotations

import inspect
from typing import Any, get_type_hints

import pytest
from temporalio import activity

from services.workflow.entrypoints import activities as implementations
from services.workflow.entrypoints.worker import activities
from services.workflow.processes.backup.activities import BackupActivities
from services.workflow.processes.closing.activities import ClosingActivities
from services.workflow.processes.monitoring.activities import MonitoringActivities
from services.workflow.processes.reconcile.activities import ReconcileActivities
from services.workflow.processes.reopen.activities import ReopenActivities
from services.workflow.processes.statements.activities import StatementActivities
from services.workflow.tests.doubles import FakeGradebook

pytestmark = pytest.mark.unit

DECLARATIONS = (
    ReopenActivities,
    ClosingActivities,
    StatementActivities,
    MonitoringActivities,
    BackupActivities,
    ReconcileActivities,
)


def declared(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for _, method in inspect.getmembers(cls, inspect.isfunction):
        definition = activity._Definition.from_callable(method)
        if definition is not None:
            found[str(definition.name)] = method
    return found


def test_every_declared_activity_is_implemented_with_its_types_and_registered() -> None:
    registered = {
        activity._Definition.must_from_callable(a).name
        for a in activities(lambda: None, FakeGradebook(), backups=object())  # type: ignore[arg-type,return-value]
    }
    registered.add("reconcile.cases")  # the reconciler's, registered beside (it holds a Temporal client)
    for declaration in DECLARATIONS:
        subclasses = [
            c for c in vars(implementations).values() if isinstance(c, type) and declaration in c.__mro__[1:]
        ]
        assert len(subclasses) == 1, declaration.__name__
        implemented = declared(subclasses[0])
        for name, method in declared(declaration).items():
            assert name in implemented, f"{name} is declared but not implemented"
            assert get_type_hints(implemented[name]) == get_type_hints(method), name
            assert name in registered, f"{name} is not registered by the worker"
