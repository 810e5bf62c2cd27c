"""Demo accounts for the local stack, both profiles: `await seed_demo(database_url)`.

Idempotent (a login that exists is left alone, missing roles are added), with stable ids (uuid5 of
the login) and one documented demo password. The scope ids name the demo structure (universities,
faculties, departments, groups) that curriculum's demo data should use.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from services.identity.adapters import tables
from services.identity.adapters.passwords import PasswordHashing
from services.identity.domain.people import PersonCategory as C
from services.identity.domain.people import Placement as P
from services.identity.service_layer.bootstrap import Account, ensure_account
from services.identity.service_layer.deps import Deps, utc_now
from services.identity.service_layer.keys import KeyRing

DEMO_PASSWORD = "Ejournal-demo-2026"
NAMESPACE = uuid.UUID("6b1d1c57-3f0e-4a8e-9d51-2f1c0a5e7d11")

KZ, KG = "kz-medical", "kg-jasu"
KZ_U, KZ_MED, KZ_PHARM = "kz-kaznmu", "kz-fac-general-medicine", "kz-fac-pharmacy"
KZ_ANAT, KZ_PHYS, KZ_PHCHEM = "kz-dep-anatomy", "kz-dep-physiology", "kz-dep-pharm-chemistry"
KZ_G1, KZ_G2 = "kz-grp-med-101", "kz-grp-pharm-201"
KG_U, KG_PED, KG_PHYSMATH = "kg-jasu", "kg-fac-pedagogy", "kg-fac-physics-math"
KG_MATH, KG_PEDDEP = "kg-dep-mathematics", "kg-dep-pedagogy"
KG_G1, KG_G2 = "kg-grp-math-21", "kg-grp-ped-22"


def person_id(login: str) -> str:
    return str(uuid.uuid5(NAMESPACE, login))


def a(
    login: str,
    names: tuple[str, str, str],
    language: str,
    category: C,
    placement: P,
    profile: str,
    *roles: tuple[str, str, str],
    from_login_request: bool = False,
) -> Account:
    return Account(
        person_id(login), login, *names, language, category, placement, profile, DEMO_PASSWORD,
        tuple(roles), from_login_request,
    )  # fmt: skip


def student(login: str) -> tuple[str, str, str]:
    return ("student", "student", person_id(login))


DEMO_ACCOUNTS: tuple[Account, ...] = (
    # kz-medical: Asfendiyarov KazNMU
    a("kz.admin", ("Сапарова", "Динара", "Маратқызы"), "kk", C.STAFF, P(KZ_U), KZ,
      ("administrator", "university", KZ_U)),
    a("kz.vicerector", ("Нұрмағамбетов", "Асқар", "Төлегенұлы"), "kk", C.STAFF, P(KZ_U), KZ,
      ("vice_rector", "university", KZ_U)),
    a("kz.registrar", ("Ким", "Елена", "Викторовна"), "ru", C.STAFF, P(KZ_U), KZ,
      ("registrar_head", "university", KZ_U)),
    a("kz.inspector", ("Бекова", "Жанар", "Ерланқызы"), "kk", C.STAFF, P(KZ_U), KZ,
      ("registrar_senior_inspector", "university", KZ_U)),
    a("kz.dean.med", ("Оспанов", "Ғалым", "Қайратұлы"), "kk", C.STAFF, P(KZ_U, KZ_MED), KZ,
      ("dean", "faculty", KZ_MED)),
    a("kz.curation.med", ("Әлиева", "Сәуле", "Нұрланқызы"), "kk", C.STAFF, P(KZ_U, KZ_MED), KZ,
      ("dean_curation", "faculty", KZ_MED)),
    a("kz.dean.pharm", ("Иванов", "Сергей", "Петрович"), "ru", C.STAFF, P(KZ_U, KZ_PHARM), KZ,
      ("dean", "faculty", KZ_PHARM)),
    a("kz.head.anatomy", ("Жақсыбаев", "Мұрат", "Өмірзақұлы"), "kk", C.STAFF, P(KZ_U, KZ_MED, KZ_ANAT), KZ,
      ("department_head", "department", KZ_ANAT), ("teacher", "department", KZ_ANAT), from_login_request=True),  # noqa: E501
    a("kz.head.physiology", ("Серікова", "Айнұр", "Болатқызы"), "kk", C.STAFF, P(KZ_U, KZ_MED, KZ_PHYS), KZ,
      ("department_head", "department", KZ_PHYS), from_login_request=True),
    a("kz.head.pharmchem", ("Ли", "Ольга", "Андреевна"), "ru", C.STAFF, P(KZ_U, KZ_PHARM, KZ_PHCHEM), KZ,
      ("department_head", "department", KZ_PHCHEM), from_login_request=True),
    a("kz.teacher1", ("Әбілқасымова", "Гүлнұр", "Серікқызы"), "kk", C.STAFF, P(KZ_U, KZ_MED, KZ_ANAT), KZ,
      ("teacher", "department", KZ_ANAT), from_login_request=True),
    a("kz.teacher2", ("Омаров", "Ерлан", "Болатұлы"), "kk", C.STAFF, P(KZ_U, KZ_MED, KZ_ANAT), KZ,
      ("teacher", "department", KZ_ANAT), ("curator", "group", KZ_G1), from_login_request=True),
    a("kz.teacher3", ("Петрова", "Анна", "Игоревна"), "ru", C.STAFF, P(KZ_U, KZ_MED, KZ_PHYS), KZ,
      ("teacher", "department", KZ_PHYS), from_login_request=True),
    a("kz.teacher4", ("Тұрсынов", "Қанат", "Әсетұлы"), "kk", C.STAFF, P(KZ_U, KZ_PHARM, KZ_PHCHEM), KZ,
      ("teacher", "department", KZ_PHCHEM), from_login_request=True),
    a("kz.student1", ("Жұмабекова", "Айгерім", "Қуанышқызы"), "kk", C.STUDENT, P(KZ_U, KZ_MED, "", KZ_G1), KZ,
      student("kz.student1")),
    a("kz.student2", ("Smith", "John", ""), "en", C.STUDENT, P(KZ_U, KZ_MED, "", KZ_G1), KZ,
      student("kz.student2")),
    a("kz.student3", ("Құдайбергенов", "Нұрсұлтан", "Өтепұлы"), "kk", C.STUDENT, P(KZ_U, KZ_PHARM, "", KZ_G2), KZ,  # noqa: E501
      student("kz.student3")),
    a("kz.parent1", ("Жұмабеков", "Қуаныш", "Һашимұлы"), "kk", C.PARENT, P(KZ_U, KZ_MED), KZ,
      ("parent", "student", person_id("kz.student1"))),
    # kg-jasu: Jalal-Abad State University
    a("kg.admin", ("Токтогулов", "Азамат", "Бакытович"), "ru", C.STAFF, P(KG_U), KG,
      ("administrator", "university", KG_U)),
    a("kg.vicerector", ("Мамытова", "Гүлзат", "Мукашевна"), "ky", C.STAFF, P(KG_U), KG,
      ("vice_rector", "university", KG_U)),
    a("kg.dean.physmath", ("Абдыкадыров", "Бакыт", "Өмүрбекович"), "ky", C.STAFF, P(KG_U, KG_PHYSMATH), KG,
      ("dean", "faculty", KG_PHYSMATH)),
    a("kg.deanoffice.physmath", ("Сыдыкова", "Айпери", "Кубанычбековна"), "ky", C.STAFF, P(KG_U, KG_PHYSMATH),
      KG, ("dean_staff", "faculty", KG_PHYSMATH)),
    a("kg.deanoffice.ped", ("Орозбаева", "Нургүл", "Асановна"), "ky", C.STAFF, P(KG_U, KG_PED), KG,
      ("dean_staff", "faculty", KG_PED)),
    a("kg.head.math", ("Жээнбеков", "Талант", "Төлөнович"), "ky", C.STAFF, P(KG_U, KG_PHYSMATH, KG_MATH), KG,
      ("department_head", "department", KG_MATH)),
    a("kg.head.ped", ("Осмонова", "Жылдыз", "Бекболотовна"), "ky", C.STAFF, P(KG_U, KG_PED, KG_PEDDEP), KG,
      ("department_head", "department", KG_PEDDEP)),
    a("kg.teacher1", ("Үсөнбаева", "Нурзат", "Төлөнбековна"), "ky", C.STAFF, P(KG_U, KG_PHYSMATH, KG_MATH), KG,  # noqa: E501
      ("teacher", "department", KG_MATH), ("curator", "group", KG_G1)),
    a("kg.teacher2", ("Исаков", "Эрмек", "Жумабаевич"), "ky", C.STAFF, P(KG_U, KG_PHYSMATH, KG_MATH), KG,
      ("teacher", "department", KG_MATH)),
    a("kg.teacher3", ("Кадырова", "Мээрим", "Алымбековна"), "ky", C.STAFF, P(KG_U, KG_PED, KG_PEDDEP), KG,
      ("teacher", "department", KG_PEDDEP)),
    a("kg.student1", ("Асанов", "Нурбек", "Үмөталиевич"), "ky", C.STUDENT, P(KG_U, KG_PHYSMATH, "", KG_G1), KG,  # noqa: E501
      student("kg.student1")),
    a("kg.student2", ("Белекова", "Айжамал", "Өскөновна"), "ky", C.STUDENT, P(KG_U, KG_PED, "", KG_G2), KG,
      student("kg.student2")),
    a("kg.parent1", ("Асанова", "Чолпон", "Төрөбековна"), "ky", C.PARENT, P(KG_U, KG_PHYSMATH), KG,
      ("parent", "student", person_id("kg.student1"))),
)  # fmt: skip


async def seed_accounts(deps: Deps, accounts: tuple[Account, ...] = DEMO_ACCOUNTS) -> int:
    """Ensure every demo account (parents after their children); return how many were created."""
    created = 0
    for account in sorted(accounts, key=lambda acc: acc.category is C.PARENT):
        created += await ensure_account(deps, account)
    return created


async def seed_demo(database_url: str) -> int:
    """Create the demo accounts in identity's (migrated) database; safe to call on every start."""
    engine = make_engine(database_url, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)
    try:
        keys = KeyRing(sessions, publish_retired_for=timedelta(minutes=10), clock=utc_now)
        deps = Deps(unit_of_work=lambda: UnitOfWork(sessions, outbox), hashing=PasswordHashing(), keys=keys)
        return await seed_accounts(deps)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    print(f"created {asyncio.run(seed_demo(sys.argv[1]))} demo accounts")
