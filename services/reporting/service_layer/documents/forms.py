"""The KZ-17 forms: the calendar-thematic plan (form 1), the login request (form 2) and the
explanation of a journal filling error — wording as in the regulation (seeds/000_…), in Kazakh with
the Russian title."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ejournal.identity.v1 import identity_service_pb2 as ids
from services.reporting.domain.layout import Column, Layout, Signature, Table
from services.reporting.service_layer.documents.labels import label, university_heading
from services.reporting.service_layer.documents.names import Names


def _hours(row: Any) -> str:
    try:
        sh, sm = (int(x) for x in row.starts_at.split(":"))
        eh, em = (int(x) for x in row.ends_at.split(":"))
    except ValueError:
        return ""
    minutes = (eh * 60 + em) - (sh * 60 + sm)
    return str(round(minutes / 45)) if minutes > 0 else ""


def lesson_plan_layout(
    lessons: Sequence[Any], unit: Any, group_id: str, names: Names, protocol_number: str, protocol_date: str
) -> Layout:
    p = unit.profile_code if unit is not None else "kz-medical"
    columns = (
        Column("№ п/п", 0.8, "R"),
        Column(label("date", p), 1.6, "C"),
        Column(label("time", p), 1.6, "C"),
        Column(label("topic", p), 6.0),
        Column(label("hours", p), 1.4, "C"),
        Column(label("teacher_name", p), 3.0),
        Column(label("room", p), 1.4, "C"),
    )
    rows = tuple(
        (
            str(row.number or n),
            row.lesson_date.isoformat() if row.lesson_date else "",
            f"{row.starts_at}–{row.ends_at}",
            row.topic,
            _hours(row),
            names(row.teacher_id),
            names(row.classroom_id),
        )
        for n, row in enumerate(lessons, 1)
    )
    approval = (
        f"Кафедра отырысында {protocol_date or '20__ ж. «__» ______'} № {protocol_number or '____'} "
        "хаттама қаралды және мақұлданды. / Рассмотрен и утверждён на заседании кафедры."
    )
    title = unit.title if unit is not None else ""
    return Layout(
        kind="lesson_plan",
        title=label("lesson_plan", p),
        heading=(*university_heading(p), "Нысана 1 / Форма 1"),
        fields=((label("discipline", p), title), (label("group", p), names(group_id))),
        tables=(Table(columns, rows),),
        paragraphs=(approval,),
        signatures=(Signature(label("head_of_department", p), ""),),
    )


def login_request_layout(form: ids.LoginRequestForm, names: Names) -> Layout:
    p = form.profile_code or "kz-medical"
    full_name = " ".join(x for x in (form.last_name, form.first_name, form.patronymic) if x)
    text = (
        'АИС "Сириус"-да логин мен парольді, оқытушыға арналған электрондық журналды беруіңізді сұраймын: '
        f"{form.position}, {full_name}. / Прошу выдать логин и пароль и электронный журнал преподавателя: "
        f"{form.position}, {full_name}."
    )
    return Layout(
        kind="login_request",
        title=label("login_request", p),
        heading=(
            *university_heading(p),
            f"Шығ. № {form.outgoing_number or '_____'}",
            "нысана №2 / форма №2",
            "Ақпараттық технологиялар департаментінің басшысы",
        ),
        paragraphs=(text, f"E-mail: {form.email}"),
        fields=(("Кафедра / курс", names(form.department_id)), ("Request", form.login_request_id)),
        signatures=(Signature("Кафедра/курс меңгерушісі / Заведующий кафедрой", names(form.requested_by)),),
    )


def explanation_layout(
    fields: dict[str, str], teacher: str, head: str, profile_code: str, addressed_to: str
) -> Layout:
    p = profile_code
    wrong_date, reason = fields.get("wrong_date") or "____", fields.get("reason") or "____"
    body = (
        f'«{wrong_date}» АИС "Сириус"-да деректерді дұрыс толтырмадым. Туындаған қате: {reason}. '
        "Мен өз қателігімді мойындаймын. Бұдан әрі электрондық журналды толтыру жұмысына неғұрлым мұқият "
        "қарауға міндеттенемін."
    )
    items = (
        ("1. Электрондық журналға рұқсат ашуыңызды сұраймын", fields.get("journal", "")),
        ("2. Пән/модуль", fields.get("discipline", "")),
        ("3. Сабақ түрлері", fields.get("lesson_types", "")),
        ("4. Курс", fields.get("course", "")),
        ("5. Группа", fields.get("group", "")),
        ("6. Мамандығы, бағыты", fields.get("specialty", "")),
        ("7. Эл.журналдың дұрыс толтырылмаған күні", fields.get("wrong_date", "")),
        ("8. Себебі", fields.get("reason", "")),
    )
    return Layout(
        kind="filling_error_explanation",
        title=label("explanation", p),
        heading=(
            *university_heading(p),
            f"Шығ. № {fields.get('case', '_____')}",
            addressed_to or "Мектеп/факультет деканы",
        ),
        paragraphs=(body,),
        fields=items,
        signatures=(Signature("Оқытушының аты-жөні", teacher), Signature("Меңгерушінің Т. А. Ә.", head)),
    )
