"""Documents: statements carry their number and content hash on every page; the end-of-semester journal
printout for the teachers' signatures (KG-12); the KZ-17 forms; Kazakh letters survive into the PDF's
text and into the XLSX; long reports run in the background with progress (KG-11)."""

from __future__ import annotations

import asyncio
import io

import grpc
import openpyxl
import pypdf
import pytest

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.identity.v1 import events_pb2 as idn
from ejournal.identity.v1 import identity_service_pb2 as ids
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.workflow.v1 import events_pb2 as wf
from services.reporting.tests.demo.university import DemoUniversity
from services.reporting.tests.integration.conftest import KZ_UNIVERSITY, Loaded

pytestmark = pytest.mark.integration

REGISTRAR = ("registrar_head", "university", KZ_UNIVERSITY)
KAZAKH = "әғқңөұүһі"


def person_name(demo: DemoUniversity, person_id: str) -> str:
    return next(p.full_name for p in demo.of_type(idn.PersonCreated) if p.person_id == person_id)


def pdf_text(content: bytes) -> tuple[str, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    return "\n".join(pages), pages


async def test_a_statement_prints_with_its_number_and_content_hash_on_every_page(loaded: Loaded) -> None:
    s = loaded.served
    formed = next(e.payload for e in loaded.kz.events if isinstance(e.payload, gb.StatementFormed))
    statement = loaded.kz.statements[formed.statement_id]
    reply = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            format=pb.DOCUMENT_FORMAT_PDF,
            statement=pb.StatementDocument(statement_id=formed.statement_id),
            # A client's names are never printed on a statement: only the record's sealed ones.
            display_names={formed.group_id: "ЖМ-301 Қ"},
        ),
        metadata=s.as_("rh", REGISTRAR),
    )
    assert reply.content_type == "application/pdf"
    assert reply.number == f"ST-{formed.number:06d}"
    assert reply.content_hash == formed.content_hash == statement.content_hash
    text, pages = pdf_text(reply.content)
    for page in pages:
        assert reply.number in page and formed.content_hash in page
    for line in statement.lines:
        assert loaded.kz.student_names[line.student_id] in text
        assert line.value in text
    assert "ЖМ-301 Қ" not in text and statement.names.group in " ".join(text.split())
    assert statement.names.discipline in text and statement.names.department in " ".join(text.split())
    assert "ЕМТИХАН ВЕДОМОСІ" in text
    # Words, not codes; the university's wall clock, not a UTC instant; no line of ids.
    assert "Аралық аттестаттау (емтихан) / Промежуточная аттестация (экзамен)" in " ".join(text.split())
    assert "intermediate_attestation" not in text and "practical" not in text
    assert formed.formed_at not in text and "(UTC+05:00)" in text
    assert formed.statement_id not in text and formed.group_id not in text
    assert f"1 / {len(pages)}" in pages[0]
    assert set(KAZAKH) <= set(text.casefold()), (
        "every Kazakh letter of the names and labels is extracted back"
    )


async def test_an_individual_statement_names_the_original_it_corrects(loaded: Loaded) -> None:
    s = loaded.served
    individual = next(st for st in loaded.kz.statements.values() if st.kind == "individual")
    original = loaded.kz.statements[individual.original_statement_id]
    reply = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            format=pb.DOCUMENT_FORMAT_XLSX,
            statement=pb.StatementDocument(statement_id=individual.statement_id),
        ),
        metadata=s.as_("rh", REGISTRAR),
    )
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert book.properties.identifier == individual.content_hash
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert any("ЖЕКЕ ВЕДОМОСТЬ" in c for c in cells)
    assert f"IS-{individual.number:06d}" in " ".join(cells)
    assert f"ST-{original.number:06d}" in cells
    assert loaded.kz.student_names[individual.lines[0].student_id] in cells


async def test_statements_are_read_only_by_those_allowed(loaded: Loaded) -> None:
    s = loaded.served
    formed = next(e.payload for e in loaded.kz.events if isinstance(e.payload, gb.StatementFormed))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.RenderDocument(
            pb.RenderDocumentRequest(statement=pb.StatementDocument(statement_id=formed.statement_id)),
            metadata=s.as_("dean", ("dean", "faculty", "another-faculty")),
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await s.stub.RenderDocument(
            pb.RenderDocumentRequest(statement=pb.StatementDocument(statement_id="nope")),
            metadata=s.as_("dean", ("dean", "faculty", "another-faculty")),
        )
    # A missing statement is refused with the same words as another faculty's (issue 13).
    assert (missing.value.code(), missing.value.details()) == (refused.value.code(), refused.value.details())


@pytest.mark.rule("KG-12")
async def test_the_end_of_semester_journal_printout_is_ready_to_sign(loaded: Loaded) -> None:
    """KG-12: at the end of each semester a printed version is signed by the teachers and archived."""
    s = loaded.served
    opened = next(e.payload for e in loaded.kg.events if isinstance(e.payload, gb.JournalOpened))
    teacher = opened.teacher_ids[0]
    reply = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            format=pb.DOCUMENT_FORMAT_PDF, journal_printout=pb.JournalPrintout(journal_id=opened.journal_id)
        ),
        metadata=s.as_(teacher, ("teacher", "department", opened.department_id)),
    )
    text, pages = pdf_text(reply.content)
    assert "ЭЛЕКТРОНДУК ЖУРНАЛ" in text  # Kyrgyz title for kg-jasu
    teacher_name = person_name(loaded.kg, teacher)
    assert teacher_name in text and "Окутуучу / Преподаватель" in text, "a signature line for the teacher"
    assert "Кафедра башчысы" in text
    flat = " ".join(text.split())
    assert "intermediate_attestation" not in flat and "Промежуточная аттестация" in flat, "words, not codes"
    assert f"journal_id {opened.journal_id}" not in flat, "no line of ids"
    marks = [
        e.payload
        for e in loaded.kg.events
        if isinstance(e.payload, gb.MarkRecorded) and e.payload.journal_id == opened.journal_id
    ]
    students = {m.student_id for m in marks}
    for student in students:
        assert loaded.kg.student_names[student] in text
    assert "нб" in text, "absences print as the mark they are"
    assert len(reply.content_hash) == 64 and all(reply.content_hash in page for page in pages)
    # The same journal prints the same hash: the signed paper can be matched to the record later.
    again = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(journal_printout=pb.JournalPrintout(journal_id=opened.journal_id)),
        metadata=s.as_(teacher, ("teacher", "department", opened.department_id)),
    )
    assert again.content_hash == reply.content_hash
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.RenderDocument(
            pb.RenderDocumentRequest(journal_printout=pb.JournalPrintout(journal_id=opened.journal_id)),
            metadata=s.as_("stranger", ("teacher", "department", opened.department_id)),
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_the_kz17_forms(loaded: Loaded) -> None:
    s = loaded.served
    opened = next(e.payload for e in loaded.kz.events if isinstance(e.payload, gb.JournalOpened))
    plan = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            lesson_plan=pb.LessonPlanDocument(
                course_unit_id=opened.course_unit_id,
                group_id=opened.group_id,
                protocol_number="7",
                protocol_date="2026-08-28",
            )
        ),
        metadata=s.as_("rh", REGISTRAR),
    )
    text, _ = pdf_text(plan.content)
    assert "Күнтізбелік-тақырыптық жоспар" in text and "Тақырып 1: Қан айналымы және өңеш" in text
    assert "№ 7" in text and "2026-08-28" in text
    step = next(e.payload for e in loaded.kz.events if isinstance(e.payload, wf.ReopenCaseStepRecorded))
    explanation = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            filling_error_explanation=pb.FillingErrorExplanation(
                case_id=step.case_id, wrong_date="2026-10-06"
            )
        ),
        metadata=s.as_(step.teacher_id, ("teacher", "department", step.department_id)),
    )
    text, _ = pdf_text(explanation.content)
    assert "электрондық журналды толтыру қатесі туралы" in text
    assert step.detail.removeprefix("explanation: ") in text and "2026-10-06" in text
    form = ids.LoginRequestForm(
        login_request_id="lr-1",
        department_id=opened.department_id,
        last_name="Төлеуова",
        first_name="Әйгерім",
        patronymic="Қуатқызы",
        position="аға оқытушы",
        email="t@example.kz",
        outgoing_number="15/3",
        profile_code="kz-medical",
    )
    request = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            # Deprecated and ignored: names come from reporting's own copy of the structure events.
            login_request=form,
            display_names={opened.department_id: "Клиент жіберген кафедра"},
        ),
        metadata=s.as_("head", ("department_head", "department", opened.department_id)),
    )
    text, _ = pdf_text(request.content)
    assert "Төлеуова Әйгерім Қуатқызы" in text and "Шығ. № 15/3" in text
    flat = " ".join(text.split())
    assert loaded.kz.titles[opened.department_id] in flat and "Клиент жіберген" not in flat
    assert opened.department_id not in flat, "an id never prints"


@pytest.mark.rule("KG-11", "KG-12")
async def test_long_reports_run_in_the_background_with_progress(loaded: Loaded) -> None:
    s = loaded.served
    me = s.as_("rh", REGISTRAR)
    start = pb.StartReportRequest(
        request_id="term-print-1",
        kind=pb.REPORT_KIND_TERM_STATEMENTS,
        format=pb.DOCUMENT_FORMAT_PDF,
        scope=pb.Scope(term_id=loaded.kz.term_id),
    )
    job = (await s.stub.StartReport(start, metadata=me)).job
    assert (await s.stub.StartReport(start, metadata=me)).job.job_id == job.job_id, "idempotent on request_id"
    seen = set()
    for _ in range(200):
        job = (await s.stub.GetReportJob(pb.GetReportJobRequest(job_id=job.job_id), metadata=me)).job
        seen.add((job.status, job.progress))
        if job.status in (pb.JOB_STATUS_DONE, pb.JOB_STATUS_FAILED):
            break
        await asyncio.sleep(0.05)
    assert job.status == pb.JOB_STATUS_DONE, job.error
    assert job.progress == job.total == len(loaded.kz.statements)
    file = await s.stub.DownloadReport(pb.DownloadReportRequest(job_id=job.job_id), metadata=me)
    text, _ = pdf_text(file.content)
    for statement in loaded.kz.statements.values():
        assert statement.content_hash in text
    with pytest.raises(grpc.aio.AioRpcError) as other:
        await s.stub.GetReportJob(pb.GetReportJobRequest(job_id=job.job_id), metadata=s.as_("vr", REGISTRAR))
    assert other.value.code() == grpc.StatusCode.PERMISSION_DENIED  # like a missing job (issue 13)

    weekly = (
        await s.stub.StartReport(
            pb.StartReportRequest(
                request_id="weekly-1",
                kind=pb.REPORT_KIND_WEEKLY_FILLING,
                format=pb.DOCUMENT_FORMAT_XLSX,
                from_date="2026-09-01",
                to_date="2026-09-30",
            ),
            metadata=me,
        )
    ).job
    for _ in range(200):
        weekly = (await s.stub.GetReportJob(pb.GetReportJobRequest(job_id=weekly.job_id), metadata=me)).job
        if weekly.status in (pb.JOB_STATUS_DONE, pb.JOB_STATUS_FAILED):
            break
        await asyncio.sleep(0.05)
    assert weekly.status == pb.JOB_STATUS_DONE, weekly.error
    book = openpyxl.load_workbook(
        io.BytesIO(
            (await s.stub.DownloadReport(pb.DownloadReportRequest(job_id=weekly.job_id), metadata=me)).content
        )
    )
    cells = {str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None}
    assert "Заполнение по преподавателям" in cells and "Посещаемость по группам" in cells
    staff = next(p for p in loaded.kz.of_type(idn.PersonCreated) if p.category == "staff")
    assert staff.full_name in cells


async def test_a_report_the_caller_may_not_see_is_refused_when_started(loaded: Loaded) -> None:
    s = loaded.served
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.StartReport(
            pb.StartReportRequest(
                request_id="x", kind=pb.REPORT_KIND_REOPEN_ANALYSIS, format=pb.DOCUMENT_FORMAT_PDF
            ),
            metadata=s.as_("t", ("teacher", "department", "d")),
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
