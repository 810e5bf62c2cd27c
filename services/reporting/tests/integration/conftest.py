"""One demo semester of two universities (kz-medical and kg-jasu) loaded into reporting's read models
through real NATS and PostgreSQL, served by reporting's real gRPC servicer; shared by the report and
document tests of this folder (they only read)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.local.servers import NatsServer
from ejournal_platform.testing.fixtures import Databases
from services.reporting.tests.demo.university import DemoUniversity, Shape, build, uid
from services.reporting.tests.support import Reporting, Served, load_demo, reporting, serve

KZ = Shape(
    profile_code="kz-medical", departments_per_faculty=2, groups_per_department=2, students_per_group=10
)
KG = Shape(profile_code="kg-jasu", groups_per_department=2, students_per_group=8)
# The demo universities' ids (a grant over one of them reads that university's reports only).
KZ_UNIVERSITY, KG_UNIVERSITY = (uid("university", shape.profile_code) for shape in (KZ, KG))


@dataclass
class Loaded:
    r: Reporting
    served: Served
    kz: DemoUniversity
    kg: DemoUniversity


@pytest.fixture(scope="module")
async def loaded(
    databases: Databases, nats_factory: Callable[[], NatsServer], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Loaded]:
    kz, kg = build(KZ), build(KG)
    async with reporting(databases, nats_factory) as r:
        await load_demo(r, kz)
        await load_demo(r, kg)
        archive: Path = tmp_path_factory.mktemp("archive")
        async with serve(r, archive) as served:
            yield Loaded(r, served, kz, kg)
