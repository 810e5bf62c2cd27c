"""kz-medical's demo teaching: every kind of course unit (KZ-02) — a discipline, an integrated
discipline of three blocks, a module of two modular disciplines — for the general-medicine groups, and
pharmaceutical chemistry for the second-year pharmacy group; loads, a semester of weekly lessons, a
calendar-thematic plan (KZ-15, KZ-17) and the control events that close journal sections (KZ-05)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from deploy.demo import university as u
from deploy.demo.seed.curriculum_structure import Built
from deploy.demo.seed.curriculum_teaching import (
    REASON,
    control,
    course_unit,
    load,
    weekday_on_or_after,
    weekly,
)
from services.curriculum.domain.curriculum import PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import classrooms, lesson_plans
from services.curriculum.service_layer.classrooms import DefineClassroom
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.lesson_plans import (
    AppointUploader,
    PlanInput,
    PlanItemInput,
    SubmitLessonPlan,
)

L, K = LessonType, CourseUnitKind
MEDICINE = (u.KZ_G1, u.KZ_G2, u.KZ_G3)
# Who teaches each general-medicine group its anatomy practicals and its modular disciplines.
PRACTICALS = {u.KZ_G1: u.KZ_TEACHER1, u.KZ_G2: u.KZ_TEACHER1, u.KZ_G3: u.KZ_TEACHER2}
MODULAR = {u.KZ_G1: u.KZ_TEACHER3, u.KZ_G2: u.KZ_TEACHER3, u.KZ_G3: u.KZ_TEACHER5}


async def teach(deps: Deps, built: Built) -> None:
    by = built.by  # the seed's principal for this university
    # One call a line reads best here.
    # fmt: off
    uni = built[u.KZ_U]
    rooms = {
        code: str((await classrooms.define_classroom(deps, by, DefineClassroom(
            university_id=uni, code=code, building=building, capacity=size))).id)
        for code, building, size in [
            ("А-101", "Бас ғимарат", 30), ("А-102", "Бас ғимарат", 30), ("Б-201", "Морфологиялық корпус", 28),
            ("Дәрісхана-1", "Бас ғимарат", 150), ("Ф-305", "Фармация корпусы", 16),
        ]
    }
    a, p, gm = built[u.KZ_ANAT], built[u.KZ_PHYS], u.KZ_GM
    intro = await course_unit(deps, built, gm, 1, K.DISCIPLINE, "ANAT-INTRO", "Анатомияға кіріспе", a, 5,
                              {L.LECTURE: 15, L.PRACTICAL: 30})
    human = await course_unit(deps, built, gm, 1, K.INTEGRATED_DISCIPLINE, "HUMAN-ANAT", "Адам анатомиясы", a,
                              9, {}, (
        PartSpec("HUMAN-ANAT-B1", "Тірек-қимыл аппараты", a, Decimal(3), {L.CLINICAL: 12}),
        PartSpec("HUMAN-ANAT-B2", "Ішкі ағзалар (спланхнология)", a, Decimal(3), {L.CLINICAL: 12}),
        PartSpec("HUMAN-ANAT-B3", "Жүйке жүйесі", p, Decimal(3), {L.CLINICAL: 12}),
    ))
    physio = await course_unit(deps, built, gm, 1, K.MODULE, "PHYS-BASE", "Физиология негіздері", p, 8, {}, (
        PartSpec("PHYS-BASE-MD1", "Жасуша физиологиясы", p, Decimal(4), {L.PRACTICAL: 16}),
        PartSpec("PHYS-BASE-MD2", "Қан және қан айналымы физиологиясы", p, Decimal(4), {L.PRACTICAL: 16}),
    ))
    blocks = [str(b.unit.id) for b in human.parts]
    modular = [str(m.unit.id) for m in physio.parts]
    intro_id = str(intro.unit.id)
    block_teachers = (u.KZ_TEACHER2, u.KZ_TEACHER2, u.KZ_TEACHER3)
    for group in MEDICINE:
        g = built[group]
        await load(deps, by, u.KZ_HEAD_ANAT, intro_id, g, "lecture", 15)
        await load(deps, by, PRACTICALS[group], intro_id, g, "practical", 30)
        for block, teacher in zip(blocks, block_teachers, strict=True):
            await load(deps, by, teacher, block, g, "clinical", 12)
        for md in modular:
            await load(deps, by, MODULAR[group], md, g, "practical", 16)
    # The semester: the discipline all term; blocks one after another; modular disciplines in turn.
    monday = weekday_on_or_after(built.year_start, 0)
    await lesson_plans.appoint_uploader(deps, by, AppointUploader(
        department_id=a, person_id=u.KZ_TEACHER1.id, protocol_number="1",
        protocol_date=f"{built.year_start.year}-06-05"))
    for i, group in enumerate(MEDICINE):
        g, practical = built[group], PRACTICALS[group]
        await weekly(deps, by, intro_id, g, "", "lecture", u.KZ_HEAD_ANAT, rooms["Дәрісхана-1"],
                     monday + timedelta(days=3), 12, ("08:00", "08:50"), "Дәріс")
        first = monday + timedelta(days=i)
        await weekly(deps, by, intro_id, g, "", "practical", practical, rooms["А-101"], first, 12,
                     ("09:00", "10:40"), "Практикалық сабақ")
        items = [PlanItemInput(w + 1, (first + timedelta(weeks=w)).isoformat(), "09:00", "10:40",
                               f"Практикалық сабақ {w + 1}", 2, practical.id, rooms["А-101"])
                 for w in range(12)]
        plan = PlanInput(intro_id, "practical", g, "", "1", f"{built.year_start.year}-08-28", items)
        await lesson_plans.submit_lesson_plan(
            deps, by, SubmitLessonPlan(plan=plan, reason=REASON))
        for b, (block, teacher) in enumerate(zip(blocks, block_teachers, strict=True)):
            block_start = monday + timedelta(weeks=4 * b, days=2 + (i % 2))
            await weekly(deps, by, block, g, "", "clinical", teacher, rooms["Б-201"], block_start, 4,
                         (f"{11 + i}:00", f"{11 + i}:50"), "Клиникалық сабақ")
            await control(deps, by, "midterm", block, g, block_start + timedelta(weeks=3, days=1))
        await control(deps, by, "intermediate_attestation", str(human.unit.id), g,
                      monday + timedelta(weeks=13, days=2))
        for m, md in enumerate(modular):
            md_start = monday + timedelta(weeks=6 * m, days=4)
            await weekly(deps, by, md, g, "", "practical", MODULAR[group], rooms["А-102"], md_start, 4,
                         (f"{13 + i}:00", f"{13 + i}:50"), "Модульдік сабақ")
            await control(deps, by, "intermediate_attestation", md, g, md_start + timedelta(weeks=5))
        await control(deps, by, "midterm", intro_id, g, monday + timedelta(weeks=7, days=i))
        await control(deps, by, "intermediate_attestation", intro_id, g, monday + timedelta(weeks=15, days=i))
    # fmt: on
    await teach_pharmacy(deps, built, rooms, monday)


async def teach_pharmacy(deps: Deps, built: Built, rooms: dict[str, str], monday: date) -> None:
    """Second year of pharmacy: lectures by the department head, laboratory work by a teacher."""
    by = built.by  # the seed's principal for this university
    # fmt: off
    chem = await course_unit(deps, built, u.KZ_PH, 2, K.DISCIPLINE, "PHCHEM-1", "Фармацевтикалық химия",
                             built[u.KZ_PHCHEM], 5, {L.LECTURE: 15, L.LABORATORY: 30})
    unit, g = str(chem.unit.id), built[u.KZ_G4]
    await load(deps, by, u.KZ_HEAD_PHCHEM, unit, g, "lecture", 15)
    await load(deps, by, u.KZ_TEACHER4, unit, g, "laboratory", 30)
    await weekly(deps, by, unit, g, "", "lecture", u.KZ_HEAD_PHCHEM, rooms["Дәрісхана-1"],
                 monday + timedelta(days=1), 12, ("15:00", "15:50"), "Дәріс")
    await weekly(deps, by, unit, g, "", "laboratory", u.KZ_TEACHER4, rooms["Ф-305"],
                 monday + timedelta(days=2), 12, ("15:00", "16:40"), "Зертханалық жұмыс")
    await control(deps, by, "midterm", unit, g, monday + timedelta(weeks=7, days=4))
    await control(deps, by, "intermediate_attestation", unit, g, monday + timedelta(weeks=15, days=4))
    # fmt: on
