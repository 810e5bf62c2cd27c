"""Import errors in the user's language (ru, kk, ky, en): a code with parameters, rendered at the end.

The code is machine-readable (the portal may highlight cells by it); the reason is for the registrar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("ru", "kk", "ky", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "not_utf8": {
        "ru": "файл CSV должен быть в кодировке UTF-8",
        "kk": "CSV файлы UTF-8 кодтауында болуы керек",
        "ky": "CSV файлы UTF-8 коддоосунда болушу керек",
        "en": "a CSV file must be encoded in UTF-8",
    },
    "not_xlsx": {
        "ru": "файл не читается как книга Excel (XLSX)",
        "kk": "файл Excel (XLSX) кітабы ретінде оқылмайды",
        "ky": "файл Excel (XLSX) китеби катары окулбайт",
        "en": "the file cannot be read as an Excel (XLSX) workbook",
    },
    "empty_file": {
        "ru": "в файле нет ни одного листа со строкой заголовков",
        "kk": "файлда тақырып жолы бар бірде-бір парақ жоқ",
        "ky": "файлда баш саптуу бир да барак жок",
        "en": "the file has no sheet with a header row",
    },
    "unknown_format": {
        "ru": "неизвестный формат файла «{value}»; нужен CSV или XLSX",
        "kk": "«{value}» файл пішімі белгісіз; CSV немесе XLSX қажет",
        "ky": "«{value}» файл форматы белгисиз; CSV же XLSX керек",
        "en": "unknown file format {value!r}; use CSV or XLSX",
    },
    "missing_column": {
        "ru": "нет обязательного столбца «{value}»",
        "kk": "«{value}» міндетті бағаны жоқ",
        "ky": "«{value}» милдеттүү мамычасы жок",
        "en": "the required column {value!r} is missing",
    },
    "required": {
        "ru": "значение обязательно",
        "kk": "мән міндетті",
        "ky": "маани милдеттүү",
        "en": "a value is required",
    },
    "bad_date": {
        "ru": "«{value}» — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
        "kk": "«{value}» — күн емес (ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ)",
        "ky": "«{value}» — дата эмес (ЖЖЖЖ-АА-КК же КК.АА.ЖЖЖЖ)",
        "en": "{value!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)",
    },
    "bad_time": {
        "ru": "«{value}» — не время (ЧЧ:ММ)",
        "kk": "«{value}» — уақыт емес (СС:ММ)",
        "ky": "«{value}» — убакыт эмес (СС:ММ)",
        "en": "{value!r} is not a time of day (HH:MM)",
    },
    "bad_number": {
        "ru": "«{value}» — не число в допустимых пределах",
        "kk": "«{value}» — рұқсат етілген шектегі сан емес",
        "ky": "«{value}» — уруксат берилген чектеги сан эмес",
        "en": "{value!r} is not a number within the allowed range",
    },
    "bad_id": {
        "ru": "«{value}» — не идентификатор (UUID)",
        "kk": "«{value}» — идентификатор (UUID) емес",
        "ky": "«{value}» — идентификатор (UUID) эмес",
        "en": "{value!r} is not an id (UUID)",
    },
    "unknown_group": {
        "ru": "группа «{value}» не найдена в этом учебном году",
        "kk": "«{value}» тобы осы оқу жылында табылмады",
        "ky": "«{value}» тайпасы бул окуу жылында табылган жок",
        "en": "group {value!r} does not exist in this academic year",
    },
    "unknown_subgroup": {
        "ru": "в группе нет подгруппы «{value}»",
        "kk": "топта «{value}» топшасы жоқ",
        "ky": "тайпада «{value}» подгруппасы жок",
        "en": "the group has no subgroup {value!r}",
    },
    "unknown_course_unit": {
        "ru": "дисциплина «{value}» не найдена в рабочем учебном плане группы",
        "kk": "«{value}» пәні топтың жұмыс оқу жоспарында табылмады",
        "ky": "«{value}» сабагы тайпанын жумушчу окуу планында табылган жок",
        "en": "course unit {value!r} is not in the group's working curriculum",
    },
    "unknown_department": {
        "ru": "кафедра «{value}» не найдена",
        "kk": "«{value}» кафедрасы табылмады",
        "ky": "«{value}» кафедрасы табылган жок",
        "en": "department {value!r} does not exist",
    },
    "unknown_specialty": {
        "ru": "специальность «{value}» не найдена",
        "kk": "«{value}» мамандығы табылмады",
        "ky": "«{value}» адистиги табылган жок",
        "en": "specialty {value!r} does not exist",
    },
    "unknown_classroom": {
        "ru": "аудитория «{value}» не найдена",
        "kk": "«{value}» аудиториясы табылмады",
        "ky": "«{value}» аудиториясы табылган жок",
        "en": "classroom {value!r} does not exist",
    },
    "unknown_lesson_type": {
        "ru": "«{value}» — не вид занятия; допустимо: {allowed}",
        "kk": "«{value}» — сабақ түрі емес; рұқсат етілген: {allowed}",
        "ky": "«{value}» — сабактын түрү эмес; уруксат: {allowed}",
        "en": "{value!r} is not a lesson type; allowed: {allowed}",
    },
    "unknown_control_kind": {
        "ru": "«{value}» — не вид контроля; допустимо: {allowed}",
        "kk": "«{value}» — бақылау түрі емес; рұқсат етілген: {allowed}",
        "ky": "«{value}» — көзөмөлдүн түрү эмес; уруксат: {allowed}",
        "en": "{value!r} is not a kind of control event; allowed: {allowed}",
    },
    "unknown_kind": {
        "ru": "«{value}» — не вид дисциплины; допустимо: {allowed}",
        "kk": "«{value}» — пән түрі емес; рұқсат етілген: {allowed}",
        "ky": "«{value}» — сабактын түрү эмес; уруксат: {allowed}",
        "en": "{value!r} is not a kind of course unit; allowed: {allowed}",
    },
    "unknown_scale": {
        "ru": "неизвестная шкала оценивания «{value}»; допустимо: {allowed}",
        "kk": "«{value}» бағалау шкаласы белгісіз; рұқсат етілген: {allowed}",
        "ky": "«{value}» баалоо шкаласы белгисиз; уруксат: {allowed}",
        "en": "unknown assessment scale {value!r}; allowed: {allowed}",
    },
    "duplicate_row": {
        "ru": "повторяет строку {other}",
        "kk": "{other}-жолды қайталайды",
        "ky": "{other}-сапты кайталайт",
        "en": "repeats row {other}",
    },
    "two_groups_one_course": {
        "ru": "студент уже в группе {other} того же курса; для перевода укажите приказ (номер и дату) "
        "в импорте",
        "kk": "студент осы курстың {other} тобында бар; ауыстыру үшін импортта бұйрықты (нөмірі мен "
        "күні) көрсетіңіз",
        "ky": "студент ушул курстун {other} тайпасында бар; которуу үчүн импортто буйрукту (номери жана "
        "датасы) көрсөтүңүз",
        "en": "the student is already in group {other} of the same course; to transfer them, name the order "
        "(number and date) in the import",
    },
    "transfer_refused": {
        "ru": "перевод студента невозможен: {value}",
        "kk": "студентті ауыстыру мүмкін емес: {value}",
        "ky": "студентти которуу мүмкүн эмес: {value}",
        "en": "the student cannot be transferred: {value}",
    },
    "order_conflict": {
        "ru": "этот приказ уже зачислил студента в группу {other}",
        "kk": "бұл бұйрық студентті {other} тобына қабылдап қойған",
        "ky": "бул буйрук студентти {other} тайпасына кабыл алган",
        "en": "this order already enrolled the student into group {other}",
    },
    "module_without_parts": {
        "ru": "модуль «{value}» без модульных дисциплин",
        "kk": "«{value}» модулінде модульдік пәндер жоқ",
        "ky": "«{value}» модулунда модулдук сабактар жок",
        "en": "module {value!r} has no modular disciplines",
    },
    "integrated_without_blocks": {
        "ru": "интегрированная дисциплина «{value}» без блоков",
        "kk": "«{value}» интеграцияланған пәнінде блоктар жоқ",
        "ky": "«{value}» интеграцияланган сабагында блоктор жок",
        "en": "integrated discipline {value!r} has no blocks",
    },
    "bad_parent": {
        "ru": "«{value}» — не {other} этого плана",
        "kk": "«{value}» — осы жоспардың {other} емес",
        "ky": "«{value}» — бул пландын {other} эмес",
        "en": "{value!r} is not a {other} of this curriculum",
    },
    # The same words gradebook's refusal of a closed section has (the gateway's DETAILS["section_closed"]).
    "section_closed": {
        "ru": "Эта часть журнала закрыта и доступна только для чтения; изменить её можно только после "
        "переоткрытия",
        "kk": "Журналдың бұл бөлігі жабық және тек оқуға арналған; оны тек қайта ашқаннан кейін өзгертуге "
        "болады",
        "ky": "Журналдын бул бөлүгү жабык жана окуу үчүн гана; аны кайра ачкандан кийин гана өзгөртүүгө "
        "болот",
        "en": "This part of the journal is closed and read-only; it can change only after a reopen",
    },
    # Sync imports (issue 22): a row missing from the file that cannot be removed, and why.
    "removal_has_records": {
        "ru": "занятие {value} отсутствует в файле, но не отменено: в нём уже есть оценки или посещаемость",
        "kk": "{value} сабағы файлда жоқ, бірақ тоқтатылмады: онда бағалар немесе қатысу бар",
        "ky": "{value} сабагы файлда жок, бирок жокко чыгарылган жок: анда баалар же катышуу бар",
        "en": "lesson {value} is missing from the file but was not cancelled: it already has marks or "
        "attendance",
    },
    "removal_has_grades": {
        "ru": "студент {value} отсутствует в файле группы {other}, но не отчислен: у него уже есть оценки",
        "kk": "{value} студенті {other} тобының файлында жоқ, бірақ шығарылмады: оның бағалары бар",
        "ky": "{value} студенти {other} тайпасынын файлында жок, бирок чыгарылган жок: анын баалары бар",
        "en": "student {value} is missing from group {other}'s file but was not expelled: they already "
        "have grades",
    },
    "removal_needs_order": {
        "ru": "студенты, отсутствующие в файле, отчисляются только приказом: укажите номер и дату приказа",
        "kk": "файлда жоқ студенттер тек бұйрықпен шығарылады: бұйрықтың нөмірі мен күнін көрсетіңіз",
        "ky": "файлда жок студенттер буйрук менен гана чыгарылат: буйруктун номерин жана датасын көрсөтүңүз",
        "en": "students missing from the file are expelled only by an order: give its number and date",
    },
    "removal_load_has_records": {
        "ru": "нагрузка {value} отсутствует в файле, но не снята: на её занятиях уже есть оценки или "
        "посещаемость",
        "kk": "{value} жүктемесі файлда жоқ, бірақ алынбады: оның сабақтарында бағалар немесе қатысу бар",
        "ky": "{value} жүктөмү файлда жок, бирок алынган жок: анын сабактарында баалар же катышуу бар",
        "en": "teaching load {value} is missing from the file but was not removed: its lessons already "
        "have marks or attendance",
    },
    "removal_unit_has_loads": {
        "ru": "дисциплина {value} отсутствует в файле, но не удалена: по ней есть нагрузка и журналы "
        "({other})",
        "kk": "{value} пәні файлда жоқ, бірақ жойылмады: оған жүктеме мен журналдар бар ({other})",
        "ky": "{value} сабагы файлда жок, бирок өчүрүлгөн жок: ага жүктөм жана журналдар бар ({other})",
        "en": "course unit {value} is missing from the file but was not removed: it has teaching loads "
        "and their journals ({other})",
    },
    "removal_unit_has_lessons": {
        "ru": "дисциплина {value} отсутствует в файле, но не удалена: по ней назначены занятия или контроль",
        "kk": "{value} пәні файлда жоқ, бірақ жойылмады: оған сабақтар немесе бақылау белгіленген",
        "ky": "{value} сабагы файлда жок, бирок өчүрүлгөн жок: ага сабактар же көзөмөл белгиленген",
        "en": "course unit {value} is missing from the file but was not removed: it has scheduled "
        "lessons or control events",
    },
    "removal_plan_has_records": {
        "ru": "план {value} отсутствует в файле, но не удалён: на его занятиях уже есть оценки или "
        "посещаемость",
        "kk": "{value} жоспары файлда жоқ, бірақ жойылмады: оның сабақтарында бағалар немесе қатысу бар",
        "ky": "{value} планы файлда жок, бирок өчүрүлгөн жок: анын сабактарында баалар же катышуу бар",
        "en": "lesson plan {value} is missing from the file but was not removed: its lessons already "
        "have marks or attendance",
    },
    "removal_control_event_has_results": {
        "ru": "контроль {value} отсутствует в файле, но не удалён: по нему уже есть оценки или посещаемость",
        "kk": "{value} бақылауы файлда жоқ, бірақ жойылмады: оған бағалар немесе қатысу қойылған",
        "ky": "{value} көзөмөлү файлда жок, бирок өчүрүлгөн жок: ага баалар же катышуу коюлган",
        "en": "control event {value} is missing from the file but was not removed: it already has marks "
        "or attendance",
    },
    "removal_control_event_past": {
        "ru": "контроль {value} отсутствует в файле, но не удалён: его дата прошла или раздел закрыт",
        "kk": "{value} бақылауы файлда жоқ, бірақ жойылмады: оның күні өтті немесе бөлім жабылды",
        "ky": "{value} көзөмөлү файлда жок, бирок өчүрүлгөн жок: анын күнү өттү же бөлүм жабылды",
        "en": "control event {value} is missing from the file but was not removed: its date has passed "
        "or its section is closed",
    },
    "rejected": {
        "ru": "отклонено: {value}",
        "kk": "қабылданбады: {value}",
        "ky": "четке кагылды: {value}",
        "en": "rejected: {value}",
    },
}


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def reason(self, language: str) -> str:
        templates = MESSAGES[self.code]
        template = templates.get(language) or templates["en"]
        values = {"value": "", "other": "", "allowed": "", **self.params}
        return template.format(**values)
