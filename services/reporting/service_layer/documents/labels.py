"""Document wording in the university's languages: Kazakh and Russian for kz-medical (the KZ-17 forms
are quoted from the regulation, seeds/000_…), Kyrgyz and Russian for kg-jasu. A label prints as
"state language / Russian" when the two differ."""

from __future__ import annotations

from collections.abc import Mapping

# A document's languages are the profile's `statements.document_languages` (state language first).
# A profile object built without them (older tests) falls back to the country's state language and
# Russian, the working languages of KZ and KG universities.
STATE_LANGUAGE = {"KZ": "kk", "KG": "ky"}


def languages(profile_code: str) -> tuple[str, str]:
    from ejournal_regulation import get_profile

    try:
        profile = get_profile(profile_code)
    except KeyError:
        return ("ru", "ru")
    configured = profile.document_languages
    if len(configured) >= 2:
        return (str(configured[0]), str(configured[1]))
    if len(configured) == 1:
        return (str(configured[0]), str(configured[0]))
    return (STATE_LANGUAGE.get(profile.country, "ru"), "ru")


WORDS: Mapping[str, Mapping[str, str]] = {
    "statement": {"kk": "ВЕДОМОСТЬ", "ky": "ВЕДОМОСТЬ", "ru": "ВЕДОМОСТЬ"},
    "statement_section": {
        "kk": "ЕМТИХАН ВЕДОМОСІ",
        "ky": "ЭКЗАМЕНДИК ВЕДОМОСТЬ",
        "ru": "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ",
    },
    "statement_individual": {
        "kk": "ЖЕКЕ ВЕДОМОСТЬ",
        "ky": "ЖЕКЕ ВЕДОМОСТЬ",
        "ru": "ИНДИВИДУАЛЬНАЯ ВЕДОМОСТЬ",
    },
    "statement_integrated": {
        "kk": "ИНТЕГРАЦИЯЛАНҒАН ВЕДОМОСТЬ",
        "ky": "ИНТЕГРАЦИЯЛАНГАН ВЕДОМОСТЬ",
        "ru": "ИНТЕГРИРОВАННАЯ ВЕДОМОСТЬ",
    },
    "journal_printout": {
        "kk": "ЭЛЕКТРОНДЫҚ ЖУРНАЛ (СЕМЕСТРЛІК БАСПА НҰСҚАСЫ)",
        "ky": "ЭЛЕКТРОНДУК ЖУРНАЛ (СЕМЕСТРДИК БАСМА НУСКАСЫ)",
        "ru": "ЭЛЕКТРОННЫЙ ЖУРНАЛ (ПЕЧАТНАЯ ВЕРСИЯ ЗА СЕМЕСТР)",
    },
    "lesson_plan": {
        "kk": "Күнтізбелік-тақырыптық жоспар",
        "ky": "Календардык-тематикалык план",
        "ru": "Календарно-тематический план",
    },
    "explanation": {
        "kk": "Түсініктеме электрондық журналды толтыру қатесі туралы",
        "ky": "Электрондук журналды толтуруудагы ката тууралуу түшүндүрмө",
        "ru": "Объяснительная об ошибке заполнения электронного журнала",
    },
    "login_request": {"kk": "Қызметтік хат", "ky": "Кызматтык кат", "ru": "Служебная записка"},
    "discipline": {"kk": "Пән/модуль", "ky": "Сабак/модуль", "ru": "Дисциплина/модуль"},
    "group": {"kk": "Топ", "ky": "Топ", "ru": "Группа"},
    "term": {"kk": "Семестр", "ky": "Семестр", "ru": "Семестр"},
    "lesson_type": {"kk": "Сабақ түрі", "ky": "Сабактын түрү", "ru": "Вид занятий"},
    "control": {"kk": "Бақылау түрі", "ky": "Текшерүүнүн түрү", "ru": "Вид контроля"},
    "formed_at": {"kk": "Құрылған күні", "ky": "Түзүлгөн күнү", "ru": "Дата формирования"},
    "original": {"kk": "Түпнұсқа ведомость", "ky": "Баштапкы ведомость", "ru": "Исходная ведомость"},
    "no": {"kk": "№", "ky": "№", "ru": "№"},
    "student": {"kk": "Студенттің аты-жөні", "ky": "Студенттин аты-жөнү", "ru": "ФИО студента"},
    "result": {"kk": "Баға", "ky": "Баа", "ru": "Оценка"},
    "letter": {"kk": "Әріптік баға", "ky": "Тамгалык баа", "ru": "Буквенная"},
    "traditional": {"kk": "Дәстүрлі баға", "ky": "Салттуу баа", "ru": "Традиционная"},
    "teacher": {"kk": "Оқытушы", "ky": "Окутуучу", "ru": "Преподаватель"},
    "head_of_department": {"kk": "Кафедра меңгерушісі", "ky": "Кафедра башчысы", "ru": "Заведующий кафедрой"},
    "registrar": {"kk": "Тіркеуші офис", "ky": "Каттоо кеңсеси", "ru": "Офис регистратора"},
    "date": {"kk": "Күні", "ky": "Күнү", "ru": "Дата"},
    "time": {"kk": "Уақыт өткізу", "ky": "Убактысы", "ru": "Время проведения"},
    "topic": {"kk": "Тақырып", "ky": "Тема", "ru": "Тема"},
    "hours": {"kk": "Оқу сағаттарының көлемі", "ky": "Окуу сааттарынын көлөмү", "ru": "Объём учебных часов"},
    "room": {"kk": "Кабинет", "ky": "Кабинет", "ru": "Кабинет"},
    "teacher_name": {"kk": "Оқытушының Аты-Жөні", "ky": "Окутуучунун аты-жөнү", "ru": "ФИО преподавателя"},
    "signature": {"kk": "қолы", "ky": "колу", "ru": "подпись"},
    "final": {"kk": "Қорытынды", "ky": "Жыйынтык", "ru": "Итог"},
    "university": {"kk": "Университет", "ky": "Университет", "ru": "Университет"},
    "faculty": {"kk": "Факультет (мектеп)", "ky": "Факультет", "ru": "Факультет (школа)"},
    "department": {"kk": "Кафедра", "ky": "Кафедра", "ru": "Кафедра"},
    "specialty": {"kk": "Мамандық", "ky": "Адистик", "ru": "Специальность"},
    "page": {"kk": "бет", "ky": "барак", "ru": "стр."},
    "verify": {
        "kk": "Түпнұсқалығын тексеру",
        "ky": "Аныктыгын текшерүү",
        "ru": "Проверка подлинности",
    },
    "absent_count": {"kk": "Қатыспаған", "ky": "Катышпаган", "ru": "Пропуски"},
}


def label(key: str, profile_code: str) -> str:
    words = WORDS[key]
    first, second = languages(profile_code)
    a, b = words.get(first, words["ru"]), words.get(second, words["ru"])
    return a if a == b else f"{a} / {b}"


def university_heading(profile_code: str) -> tuple[str, ...]:
    from ejournal_regulation import get_profile

    try:
        titles = get_profile(profile_code).title
    except KeyError:
        return ()
    first, second = languages(profile_code)
    lines = [titles.get(first, ""), titles.get(second, "")]
    return tuple(dict.fromkeys(line for line in lines if line))
