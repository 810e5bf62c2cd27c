"""The demo university of both regulation profiles: the one description both demo seeds read.

identity's seed (`deploy/demo/seed/identity.py`) gives every person here an account with the
roles listed; curriculum's seed (`deploy/demo/seed/curriculum.py`) builds this structure,
enrolls these students and gives these teachers their teaching load. Neither invents a person or a
unit of its own, so a demo teacher's token names exactly the ids curriculum (and the gradebook after
it) keeps — which is what authorization compares.

Ids:
- a person's id is `person_id(login)` = uuid5(NAMESPACE_URL, "ejournal:person:<login>"), curriculum's
  formula for people it knows by login (`person_id_for_login`, also used by its imports);
- a unit's id is curriculum's stable id of its natural key (kind, parent's id, code), the id
  curriculum's Define* use cases give it; `structure_ids(today)` computes them all. Groups belong to
  an academic year (the current one, from September), so their ids change with the year.
Roles name their scope by a readable key (`kz-dep-anatomy`); `scope_id` turns it into that id.
"""

from __future__ import annotations

from datetime import date

from deploy.demo.model import (
    Department,
    Faculty,
    Grant,
    Group,
    Person,
    Specialty,
    Unit,
    University,
    roster,
    scope_id,
    staff,
    student,
    unit_id,
    university_of,
)
from deploy.demo.model import person_id as person_id  # re-exported: the seeds' one formula
from deploy.demo.model import year_start as year_start

DEMO_PASSWORD = "Ejournal-demo-2026"  # every demo account's; documented in README.md ("Demo accounts")
KZ, KG = "kz-medical", "kg-jasu"

# One unit or person a line reads best (ruff lets this file's lines run long).
# fmt: off

# kz-medical: Asfendiyarov Kazakh National Medical University ----------------------------------------
KZ_U = University("kz-kaznmu", "kaznmu-demo", "С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
                  KZ, "Asia/Almaty")
KZ_MED = Faculty("kz-fac-general-medicine", KZ_U, "school-general-medicine", "Жалпы медицина мектебі")
KZ_PHARM = Faculty("kz-fac-pharmacy", KZ_U, "school-pharmacy", "Фармация мектебі")
KZ_ANAT = Department("kz-dep-anatomy", KZ_MED, "anatomy", "Қалыпты анатомия кафедрасы")
KZ_PHYS = Department("kz-dep-physiology", KZ_MED, "physiology", "Қалыпты физиология кафедрасы")
KZ_PHCHEM = Department("kz-dep-pharm-chemistry", KZ_PHARM, "pharm-chemistry", "Фармацевтикалық химия кафедрасы")
KZ_GM = Specialty("kz-spec-general-medicine", KZ_MED, "6B10101", "Жалпы медицина / Общая медицина")
KZ_PH = Specialty("kz-spec-pharmacy", KZ_PHARM, "6B10106", "Фармация")

KZ_STUDENT1 = student("kz.student1", "Жұмабекова Айгерім Қуанышқызы", "kk")
KZ_STUDENT2 = student("kz.student2", "Smith John", "en")  # an international student, in English letters
KZ_STUDENT3 = student("kz.student3", "Құдайбергенов Нұрсұлтан Өтепұлы", "kk")
KZ_G1 = Group("kz-grp-med-101", KZ_GM, 1, "ЖМ-101", "kk", (),
              (KZ_STUDENT1, KZ_STUDENT2, *roster("kz-101", "kk", 1, first=3, last=25)))
KZ_G2 = Group("kz-grp-med-102", KZ_GM, 1, "ЖМ-102", "kk", (), roster("kz-102", "kk", 2, first=1, last=25))
KZ_G3 = Group("kz-grp-med-103", KZ_GM, 1, "ОМ-103", "ru", (), roster("kz-103", "ru", 3, first=1, last=25))
KZ_G4 = Group("kz-grp-pharm-201", KZ_PH, 2, "ФР-201", "kk", (),
              (KZ_STUDENT3, *roster("kz-201", "kk", 6, first=2, last=12)))

KZ_ADMIN = staff("kz.admin", "Сапарова Динара Маратқызы", "kk", KZ_U, Grant("administrator", KZ_U))
KZ_VICE_RECTOR = staff("kz.vicerector", "Нұрмағамбетов Асқар Төлегенұлы", "kk", KZ_U, Grant("vice_rector", KZ_U))
KZ_REGISTRAR = staff("kz.registrar", "Ким Елена Викторовна", "ru", KZ_U, Grant("registrar_head", KZ_U))
KZ_INSPECTOR = staff("kz.inspector", "Бекова Жанар Ерланқызы", "kk", KZ_U,
                     Grant("registrar_senior_inspector", KZ_U))
KZ_DEAN_MED = staff("kz.dean.med", "Оспанов Ғалым Қайратұлы", "kk", KZ_MED, Grant("dean", KZ_MED))
KZ_CURATION_MED = staff("kz.curation.med", "Әлиева Сәуле Нұрланқызы", "kk", KZ_MED, Grant("dean_curation", KZ_MED))
KZ_DEAN_PHARM = staff("kz.dean.pharm", "Иванов Сергей Петрович", "ru", KZ_PHARM, Grant("dean", KZ_PHARM))
KZ_HEAD_ANAT = staff("kz.head.anatomy", "Жақсыбаев Мұрат Өмірзақұлы", "kk", KZ_ANAT,
                     Grant("department_head", KZ_ANAT), Grant("teacher", KZ_ANAT), requested=True)
KZ_HEAD_PHYS = staff("kz.head.physiology", "Серікова Айнұр Болатқызы", "kk", KZ_PHYS,
                     Grant("department_head", KZ_PHYS), requested=True)
KZ_HEAD_PHCHEM = staff("kz.head.pharmchem", "Ли Ольга Андреевна", "ru", KZ_PHCHEM,
                       Grant("department_head", KZ_PHCHEM), Grant("teacher", KZ_PHCHEM), requested=True)
KZ_TEACHER1 = staff("kz.teacher1", "Әбілқасымова Гүлнұр Серікқызы", "kk", KZ_ANAT, Grant("teacher", KZ_ANAT),
                    requested=True)
KZ_TEACHER2 = staff("kz.teacher2", "Омаров Ерлан Болатұлы", "kk", KZ_ANAT, Grant("teacher", KZ_ANAT),
                    Grant("curator", KZ_G1), requested=True)
KZ_TEACHER3 = staff("kz.teacher3", "Петрова Анна Игоревна", "ru", KZ_PHYS, Grant("teacher", KZ_PHYS),
                    Grant("curator", KZ_G2), requested=True)
KZ_TEACHER4 = staff("kz.teacher4", "Тұрсынов Қанат Әсетұлы", "kk", KZ_PHCHEM, Grant("teacher", KZ_PHCHEM),
                    Grant("curator", KZ_G4), requested=True)
KZ_TEACHER5 = staff("kz.teacher5", "Волкова Ирина Сергеевна", "ru", KZ_PHYS, Grant("teacher", KZ_PHYS),
                    Grant("curator", KZ_G3), requested=True)
KZ_PARENT1 = Person("kz.parent1", "Жұмабеков Қуаныш Һашимұлы", "kk", "parent", KZ_MED,
                    (Grant("parent", KZ_STUDENT1),))

# kg-jasu: Jalal-Abad State University named after B. Osmonov -------------------------------------
KG_U = University("kg-jasu", "jasu-demo", "Б. Осмонов атындагы Жалал-Абад мамлекеттик университети", KG,
                  "Asia/Bishkek")
KG_PHYSMATH = Faculty("kg-fac-physics-math", KG_U, "phys-math", "Физика-математика факультети")
KG_PED = Faculty("kg-fac-pedagogy", KG_U, "pedagogy", "Педагогика факультети")
KG_MATH = Department("kg-dep-mathematics", KG_PHYSMATH, "math", "Математика кафедрасы")
KG_INFO = Department("kg-dep-informatics", KG_PHYSMATH, "informatics", "Информатика кафедрасы")
KG_PEDDEP = Department("kg-dep-pedagogy", KG_PED, "pedagogy", "Педагогика жана психология кафедрасы")
KG_FM = Specialty("kg-spec-phys-math", KG_PHYSMATH, "550200", "Физика-математикалык билим берүү")
KG_PB = Specialty("kg-spec-primary", KG_PED, "550700", "Башталгыч билим берүү")

KG_STUDENT1 = student("kg.student1", "Асанов Нурбек Үмөталиевич", "ky")
KG_STUDENT2 = student("kg.student2", "Белекова Айжамал Өскөновна", "ky")
KG_G1 = Group("kg-grp-mi-1", KG_FM, 1, "МИ-1-26", "ky", ("1", "2"),
              (KG_STUDENT1, *roster("kg-mi1", "ky", 4, first=2, last=24)))
KG_G2 = Group("kg-grp-fm-1", KG_FM, 1, "ФМ-1-26", "ru", ("1", "2"), roster("kg-fm1", "ru", 5, first=1, last=22))
KG_G3 = Group("kg-grp-pb-1", KG_PB, 1, "БП-1-26", "ky", (),
              (KG_STUDENT2, *roster("kg-pb1", "ky", 7, first=2, last=12)))

KG_ADMIN = staff("kg.admin", "Токтогулов Азамат Бакытович", "ru", KG_U, Grant("administrator", KG_U))
KG_VICE_RECTOR = staff("kg.vicerector", "Мамытова Гүлзат Мукашевна", "ky", KG_U, Grant("vice_rector", KG_U))
# JASU has no registrar office: its academic department (окуу бөлүмү) keeps the academic calendar and
# checks the journals (KG-08), so it holds the registrar office's role.
KG_ACADEMIC = staff("kg.academic", "Кыдыралиева Жаңылай Өмүрбековна", "ky", KG_U, Grant("registrar_head", KG_U))
KG_DEAN_PHYSMATH = staff("kg.dean.physmath", "Абдыкадыров Бакыт Өмүрбекович", "ky", KG_PHYSMATH,
                         Grant("dean", KG_PHYSMATH))
KG_DEANOFFICE_PHYSMATH = staff("kg.deanoffice.physmath", "Сыдыкова Айпери Кубанычбековна", "ky", KG_PHYSMATH,
                               Grant("dean_staff", KG_PHYSMATH))
KG_DEANOFFICE_PED = staff("kg.deanoffice.ped", "Орозбаева Нургүл Асановна", "ky", KG_PED, Grant("dean_staff", KG_PED))
KG_HEAD_MATH = staff("kg.head.math", "Жээнбеков Талант Төлөнович", "ky", KG_MATH, Grant("department_head", KG_MATH))
KG_HEAD_PED = staff("kg.head.ped", "Осмонова Жылдыз Бекболотовна", "ky", KG_PEDDEP,
                    Grant("department_head", KG_PEDDEP), Grant("teacher", KG_PEDDEP))
KG_TEACHER1 = staff("kg.teacher1", "Үсөнбаева Нурзат Төлөнбековна", "ky", KG_MATH, Grant("teacher", KG_MATH),
                    Grant("curator", KG_G1))
KG_TEACHER2 = staff("kg.teacher2", "Исаков Эрмек Жумабаевич", "ky", KG_MATH, Grant("teacher", KG_MATH),
                    Grant("curator", KG_G2))
KG_TEACHER3 = staff("kg.teacher3", "Кадырова Мээрим Алымбековна", "ky", KG_PEDDEP, Grant("teacher", KG_PEDDEP),
                    Grant("curator", KG_G3))
KG_TEACHER_INFO = staff("kg.teacher.info", "Жээнбеков Эрмек Таңсыкович", "ky", KG_INFO, Grant("teacher", KG_INFO))
KG_PARENT1 = Person("kg.parent1", "Асанова Чолпон Төрөбековна", "ky", "parent", KG_PHYSMATH,
                    (Grant("parent", KG_STUDENT1),))
# fmt: on

UNIVERSITIES = (KZ_U, KG_U)
FACULTIES = (KZ_MED, KZ_PHARM, KG_PHYSMATH, KG_PED)
DEPARTMENTS = (KZ_ANAT, KZ_PHYS, KZ_PHCHEM, KG_MATH, KG_INFO, KG_PEDDEP)
SPECIALTIES = (KZ_GM, KZ_PH, KG_FM, KG_PB)
GROUPS = (KZ_G1, KZ_G2, KZ_G3, KZ_G4, KG_G1, KG_G2, KG_G3)
STAFF = (
    KZ_ADMIN, KZ_VICE_RECTOR, KZ_REGISTRAR, KZ_INSPECTOR, KZ_DEAN_MED, KZ_CURATION_MED, KZ_DEAN_PHARM,
    KZ_HEAD_ANAT, KZ_HEAD_PHYS, KZ_HEAD_PHCHEM, KZ_TEACHER1, KZ_TEACHER2, KZ_TEACHER3, KZ_TEACHER4, KZ_TEACHER5,
    KG_ADMIN, KG_VICE_RECTOR, KG_ACADEMIC, KG_DEAN_PHYSMATH, KG_DEANOFFICE_PHYSMATH, KG_DEANOFFICE_PED,
    KG_HEAD_MATH, KG_HEAD_PED, KG_TEACHER1, KG_TEACHER2, KG_TEACHER3, KG_TEACHER_INFO,
)  # fmt: skip
PARENTS = (KZ_PARENT1, KG_PARENT1)


def people() -> tuple[Person, ...]:
    """Everyone who gets an account: staff, every enrolled student, parents (after their children)."""
    return (*STAFF, *(s for g in GROUPS for s in g.students), *PARENTS)


def group_of(student_: Person) -> Group:
    for group in GROUPS:
        if student_ in group.students:
            return group
    raise LookupError(f"{student_.login} is in no demo group")


def placement(person: Person, today: date) -> tuple[str, str, str, str]:
    """identity's placement of the person: (university, faculty, department, group) ids, "" where
    a level does not apply."""
    home: Unit = group_of(person) if person.home is None else person.home
    levels = {"university": unit_id(university_of(home), today), "faculty": "", "department": "", "group": ""}
    if isinstance(home, Group):
        levels |= {"faculty": unit_id(home.specialty.faculty, today), "group": unit_id(home, today)}
    elif isinstance(home, Department):
        levels |= {"faculty": unit_id(home.faculty, today), "department": unit_id(home, today)}
    elif isinstance(home, Faculty):
        levels["faculty"] = unit_id(home, today)
    return levels["university"], levels["faculty"], levels["department"], levels["group"]


def profile_of(person: Person) -> str:
    home: Unit = group_of(person) if person.home is None else person.home
    return university_of(home).profile


def roles(person: Person, today: date) -> tuple[tuple[str, str, str], ...]:
    """(role, scope type, scope id) of each of the person's roles; a student's own comes first."""
    own = (("student", "student", person.id),) if person.category == "student" else ()
    return own + tuple((g.role, g.scope_type, scope_id(g, today)) for g in person.grants)


def structure_ids(today: date) -> dict[str, str]:
    """Every unit's readable key -> the id curriculum gives it (groups: this academic year's)."""
    units: tuple[Unit, ...] = (*UNIVERSITIES, *FACULTIES, *DEPARTMENTS, *SPECIALTIES, *GROUPS)
    return {unit.key: unit_id(unit, today) for unit in units}
