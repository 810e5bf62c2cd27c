"""The gateway speaks the user's language: ru, kk, ky or en, chosen from Accept-Language.

Services report what went wrong (status, field, reason); the gateway words the problem's title in the
user's language. Texts are data in one table so translators edit one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ejournal_platform.languages import from_accept_language
from services.gateway.reasons import SCHEMA_REASONS, SERVICE_REASONS

DEFAULT_LANGUAGE = "ru"

TITLES: dict[str, dict[str, str]] = {
    "INVALID_ARGUMENT": {
        "ru": "Неверные данные",
        "kk": "Деректер қате",
        "ky": "Маалымат туура эмес",
        "en": "Invalid input",
    },
    "NOT_FOUND": {
        "ru": "Не найдено",
        "kk": "Табылмады",
        "ky": "Табылган жок",
        "en": "Not found",
    },
    "ALREADY_EXISTS": {
        "ru": "Уже существует",
        "kk": "Бұрыннан бар",
        "ky": "Мурунтан эле бар",
        "en": "Already exists",
    },
    "FAILED_PRECONDITION": {
        "ru": "Действие сейчас невозможно",
        "kk": "Әрекетті қазір орындау мүмкін емес",
        "ky": "Аракетти азыр аткаруу мүмкүн эмес",
        "en": "The action is not possible now",
    },
    "ABORTED": {
        "ru": "Данные изменены другим пользователем",
        "kk": "Деректерді басқа пайдаланушы өзгертті",
        "ky": "Маалыматты башка колдонуучу өзгөрттү",
        "en": "Changed by someone else",
    },
    "PERMISSION_DENIED": {
        "ru": "Доступ запрещён",
        "kk": "Қол жеткізуге тыйым салынған",
        "ky": "Кирүүгө тыюу салынган",
        "en": "Access denied",
    },
    "UNAUTHENTICATED": {
        "ru": "Требуется вход в систему",
        "kk": "Жүйеге кіру қажет",
        "ky": "Системага кирүү керек",
        "en": "Sign-in required",
    },
    "RESOURCE_EXHAUSTED": {
        "ru": "Слишком много запросов",
        "kk": "Сұраулар тым көп",
        "ky": "Суроо-талаптар өтө көп",
        "en": "Too many requests",
    },
    "UNIMPLEMENTED": {
        "ru": "Функция ещё не реализована",
        "kk": "Бұл мүмкіндік әлі іске асырылмаған",
        "ky": "Бул мүмкүнчүлүк азырынча ишке ашырылган жок",
        "en": "Not implemented yet",
    },
    "UNAVAILABLE": {
        "ru": "Сервис временно недоступен",
        "kk": "Қызмет уақытша қолжетімсіз",
        "ky": "Кызмат убактылуу жеткиликсиз",
        "en": "Service temporarily unavailable",
    },
    "INTERNAL": {
        "ru": "Внутренняя ошибка",
        "kk": "Ішкі қате",
        "ky": "Ички ката",
        "en": "Internal error",
    },
    "PRECONDITION_FAILED": {
        "ru": "Данные изменились с момента чтения",
        "kk": "Деректер оқылғаннан кейін өзгерді",
        "ky": "Маалымат окулгандан бери өзгөрдү",
        "en": "Changed since it was read",
    },
    "CSRF": {
        "ru": "Отсутствует или неверен CSRF-токен",
        "kk": "CSRF токені жоқ немесе қате",
        "ky": "CSRF токени жок же туура эмес",
        "en": "Missing or wrong CSRF token",
    },
    "PAYLOAD_TOO_LARGE": {
        "ru": "Файл слишком большой",
        "kk": "Файл тым үлкен",
        "ky": "Файл өтө чоң",
        "en": "The file is too large",
    },
    "MALFORMED": {
        "ru": "Запрос не соответствует схеме",
        "kk": "Сұрау сызбаға сәйкес емес",
        "ky": "Суроо-талап схемага туура келбейт",
        "en": "The request does not match the schema",
    },
}

# Details a service asks the gateway to word (ejournal_platform.errors.Wording): the key and the
# values it names arrive in ErrorInfo's metadata (`wording`, `wording.<name>`).
DETAILS: dict[str, dict[str, str]] = {
    "section_closed": {
        "ru": "Эта часть журнала закрыта и доступна только для чтения; изменить её можно только после "
        "переоткрытия",
        "kk": "Журналдың бұл бөлігі жабық және тек оқуға арналған; оны тек қайта ашқаннан кейін өзгертуге "
        "болады",
        "ky": "Журналдын бул бөлүгү жабык жана окуу үчүн гана; аны кайра ачкандан кийин гана өзгөртүүгө "
        "болот",
        "en": "This part of the journal is closed and read-only; it can change only after a reopen",
    },
    "permission_denied": {
        "ru": "Недостаточно прав для этого действия ({action})",
        "kk": "Бұл әрекетке құқығыңыз жеткіліксіз ({action})",
        "ky": "Бул аракетке укугуңуз жетишсиз ({action})",
        "en": "You may not do this ({action})",
    },
    "check_in_outside_window": {
        "ru": "Отметка на это занятие открыта {date} с {opens} до {closes}",
        "kk": "Бұл сабаққа белгілену {date} күні {opens}–{closes} аралығында ашық",
        "ky": "Бул сабакка катталуу {date} күнү {opens}–{closes} аралыгында ачык",
        "en": "Check-in for this lesson is open on {date} from {opens} to {closes}",
    },
    # subscribers (issue 20): registering a webhook
    "webhook_url_invalid": {
        "ru": "Адрес должен начинаться с https:// (http:// допустим только для локального адреса)",
        "kk": "Мекенжай https:// деп басталуы керек (http:// тек жергілікті мекенжайға рұқсат)",
        "ky": "Дарек https:// менен башталышы керек (http:// жергиликтүү дарек үчүн гана уруксат)",
        "en": "The address must start with https:// (http:// only for a local address)",
    },
    "webhook_event_types_empty": {
        "ru": "Выберите хотя бы один тип событий",
        "kk": "Кемінде бір оқиға түрін таңдаңыз",
        "ky": "Жок дегенде бир окуянын түрүн тандаңыз",
        "en": "Choose at least one event type",
    },
    "webhook_event_type_unknown": {
        "ru": "Эти типы событий не предоставляются подписчикам: {types}",
        "kk": "Бұл оқиға түрлері жазылушыларға берілмейді: {types}",
        "ky": "Бул окуялардын түрлөрү жазылуучуларга берилбейт: {types}",
        "en": "These event types are not offered to subscribers: {types}",
    },
    "webhook_content_type_invalid": {
        "ru": "Формат: application/json или application/protobuf",
        "kk": "Пішім: application/json немесе application/protobuf",
        "ky": "Формат: application/json же application/protobuf",
        "en": "The format is application/json or application/protobuf",
    },
    "webhook_secret_invalid": {
        "ru": "Секрет должен иметь вид whsec_ и 24–64 байта в base64; оставьте пустым, чтобы его создали",
        "kk": "Құпия кілт whsec_ және base64 түріндегі 24–64 байт болуы керек; жасалуы үшін бос қалдырыңыз",
        "ky": "Жашыруун ачкыч whsec_ жана base64 түрүндөгү 24–64 байт болушу керек; "
        "түзүлүшү үчүн бош калтырыңыз",
        "en": "The secret must be whsec_ and 24–64 bytes in base64; leave it empty to have one made",
    },
    # subscribers (issue 20): NATS credentials
    "nats_export_off": {
        "ru": "Подписка через NATS здесь не предоставляется: экспортный сервер NATS не настроен",
        "kk": "Мұнда NATS арқылы жазылу берілмейді: экспорттық NATS сервері бапталмаған",
        "ky": "Бул жерде NATS аркылуу жазылуу берилбейт: экспорттук NATS сервери орнотулган эмес",
        "en": "NATS subscriptions are not offered here: the export NATS server is not configured",
    },
    "nats_start_time_invalid": {
        "ru": "Время начала: дата и время RFC 3339 с часовым поясом, например 2026-09-01T00:00:00Z",
        "kk": "Басталу уақыты: уақыт белдеуі бар RFC 3339 күні мен уақыты, мысалы 2026-09-01T00:00:00Z",
        "ky": "Башталыш убактысы: убакыт алкагы менен RFC 3339 күнү жана убактысы, "
        "мисалы 2026-09-01T00:00:00Z",
        "en": "The start time is an RFC 3339 date and time with its zone, e.g. 2026-09-01T00:00:00Z",
    },
}


# What services say in English (a field's reason, an answer's detail) that has no wording key yet,
# worded by its English text: each template's {names} match any text and are put back unchanged.
# A text matching none stays as the service wrote it. The keys of DETAILS are the better way; this
# table carries the common refusals until every service sends keys.
REASONS: dict[str, dict[str, str]] = {
    "is required": {
        "ru": "обязательное поле", "kk": "міндетті өріс", "ky": "милдеттүү талаа", "en": "is required",
    },
    "{value} is not an id (UUID)": {
        "ru": "{value} — не идентификатор (UUID)", "kk": "{value} — идентификатор (UUID) емес",
        "ky": "{value} — идентификатор (UUID) эмес", "en": "{value} is not an id (UUID)",
    },
    "must be a UUID": {
        "ru": "должно быть идентификатором (UUID)", "kk": "идентификатор (UUID) болуы керек",
        "ky": "идентификатор (UUID) болушу керек", "en": "must be a UUID",
    },
    "{value} is not one of: {allowed}": {
        "ru": "{value} — недопустимое значение; допустимы: {allowed}",
        "kk": "{value} — рұқсат етілмеген мән; рұқсат етілгендері: {allowed}",
        "ky": "{value} — жарабаган маани; жарактуулары: {allowed}",
        "en": "{value} is not one of: {allowed}",
    },
    "{value} is not a date (YYYY-MM-DD)": {
        "ru": "{value} — не дата (ГГГГ-ММ-ДД)", "kk": "{value} — күн емес (ЖЖЖЖ-АА-КК)",
        "ky": "{value} — күн эмес (ЖЖЖЖ-АА-КК)", "en": "{value} is not a date (YYYY-MM-DD)",
    },
    "{value} is not an ISO date": {
        "ru": "{value} — не дата (ГГГГ-ММ-ДД)", "kk": "{value} — күн емес (ЖЖЖЖ-АА-КК)",
        "ky": "{value} — күн эмес (ЖЖЖЖ-АА-КК)", "en": "{value} is not an ISO date",
    },
    "{value} is not a time of day (HH:MM)": {
        "ru": "{value} — не время (ЧЧ:ММ)", "kk": "{value} — уақыт емес (СС:ММ)",
        "ky": "{value} — убакыт эмес (СС:ММ)", "en": "{value} is not a time of day (HH:MM)",
    },
    "{value} is not a number": {
        "ru": "{value} — не число", "kk": "{value} — сан емес", "ky": "{value} — сан эмес",
        "en": "{value} is not a number",
    },
    "must not be negative": {
        "ru": "не может быть отрицательным", "kk": "теріс болмауы керек", "ky": "терс болбошу керек",
        "en": "must not be negative",
    },
    "must be a finite number": {
        "ru": "должно быть конечным числом", "kk": "шектеулі сан болуы керек",
        "ky": "чектүү сан болушу керек", "en": "must be a finite number",
    },
    "must not be null": {
        "ru": "не может быть null", "kk": "null болмауы керек", "ky": "null болбошу керек",
        "en": "must not be null",
    },
    'must not be null (send "" to clear a value)': {
        "ru": 'не может быть null (чтобы очистить значение, отправьте "")',
        "kk": 'null болмауы керек (мәнді өшіру үшін "" жіберіңіз)',
        "ky": 'null болбошу керек (маанини тазалоо үчүн "" жөнөтүңүз)',
        "en": 'must not be null (send "" to clear a value)',
    },
    "must be between {low} and {high}": {
        "ru": "должно быть от {low} до {high}", "kk": "{low} мен {high} аралығында болуы керек",
        "ky": "{low} менен {high} ортосунда болушу керек", "en": "must be between {low} and {high}",
    },
    "must be after {other}": {
        "ru": "должно быть позже, чем {other}", "kk": "{other} кейін болуы керек",
        "ky": "{other} кийин болушу керек", "en": "must be after {other}",
    },
    "belongs to another university": {
        "ru": "относится к другому университету", "kk": "басқа университетке тиесілі",
        "ky": "башка университетке таандык", "en": "belongs to another university",
    },
    "is not on this journal's roster": {
        "ru": "нет в списке этого журнала", "kk": "бұл журналдың тізімінде жоқ",
        "ky": "бул журналдын тизмесинде жок", "en": "is not on this journal's roster",
    },
    "is not a column of this journal": {
        "ru": "не является столбцом этого журнала", "kk": "бұл журналдың бағаны емес",
        "ky": "бул журналдын мамычасы эмес", "en": "is not a column of this journal",
    },
    # Statements signed by an external signer (issue 16).
    "is not an X.509 certificate (DER)": {
        "ru": "не является сертификатом X.509 (DER)", "kk": "X.509 сертификаты (DER) емес",
        "ky": "X.509 сертификаты (DER) эмес", "en": "is not an X.509 certificate (DER)",
    },
    "is not trusted for signing here": {
        "ru": "не является доверенным для подписи", "kk": "қол қою үшін сенімді емес",
        "ky": "кол коюу үчүн ишенимдүү эмес", "en": "is not trusted for signing here",
    },
    "does not verify against the prepared digest": {
        "ru": "не проверяется по подготовленному хешу", "kk": "дайындалған хэш бойынша тексерілмейді",
        "ky": "даярдалган хэш боюнча текшерилбейт", "en": "does not verify against the prepared digest",
    },
    "the statement was signed meanwhile; prepare again": {
        "ru": "ведомость тем временем подписана; подготовьте подпись заново",
        "kk": "ведомостьқа осы аралықта қол қойылды; қолтаңбаны қайта дайындаңыз",
        "ky": "ведомостко ушул аралыкта кол коюлду; колтамганы кайра даярдаңыз",
        "en": "the statement was signed meanwhile; prepare again",
    },
    "you have already signed this statement": {
        "ru": "вы уже подписали эту ведомость", "kk": "сіз бұл ведомостьқа қол қойып қойдыңыз",
        "ky": "сиз бул ведомостко кол коюп койдуңуз", "en": "you have already signed this statement",
    },
    "permission denied: {action}": {
        "ru": "Недостаточно прав для этого действия ({action})",
        "kk": "Бұл әрекетке құқығыңыз жеткіліксіз ({action})",
        "ky": "Бул аракетке укугуңуз жетишсиз ({action})",
        "en": "You may not do this ({action})",
    },
    "a bearer token is required": {
        "ru": "Войдите в систему", "kk": "Жүйеге кіріңіз", "ky": "Системага кириңиз",
        "en": "Sign in first",
    },
    "the session has ended; sign in again": {
        "ru": "Сеанс завершён; войдите снова", "kk": "Сеанс аяқталды; қайта кіріңіз",
        "ky": "Сеанс бүттү; кайра кириңиз", "en": "The session has ended; sign in again",
    },
    "token has expired": {
        "ru": "Срок действия входа истёк; войдите снова", "kk": "Кіру мерзімі өтті; қайта кіріңіз",
        "ky": "Кирүү мөөнөтү бүттү; кайра кириңиз", "en": "The sign-in has expired; sign in again",
    },
    "the request does not match the schema": {
        "ru": "Запрос не соответствует схеме", "kk": "Сұрау сызбаға сәйкес емес",
        "ky": "Суроо-талап схемага туура келбейт", "en": "The request does not match the schema",
    },
    "the file is larger than {size} MiB": {
        "ru": "Файл больше {size} МиБ", "kk": "Файл {size} МиБ-тан үлкен", "ky": "Файл {size} МиБдан чоң",
        "en": "The file is larger than {size} MiB",
    },
    "is larger than {size} bytes": {
        "ru": "больше {size} байт", "kk": "{size} байттан үлкен", "ky": "{size} байттан чоң",
        "en": "is larger than {size} bytes",
    },
}  # fmt: skip
REASONS.update(SERVICE_REASONS)  # each service's own refusals (services/gateway/reasons.json)

_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(template)) + r"\Z", re.DOTALL)


_REASON_PATTERNS = [(_pattern(template), texts) for template, texts in REASONS.items()]


def reason_in(text: str, language: str) -> str:
    """A service's English reason or detail in the user's language, if the catalogue knows it; a
    "field: reason" detail keeps its field name and words the reason."""
    for pattern, texts in _REASON_PATTERNS:
        found = pattern.match(text)
        if found:
            return texts.get(language, texts["en"]).format(**found.groupdict())
    field, separator, rest = text.partition(": ")
    if separator and " " not in field:
        worded = reason_in(rest, language)
        if worded != rest:
            return f"{field}: {worded}"
    return text


# pydantic error types that read as another's.
_SCHEMA_ALIASES = {
    "int_type": "int_parsing", "int_from_float": "int_parsing", "float_type": "float_parsing",
    "bool_type": "bool_parsing", "uuid_type": "uuid_parsing", "date_type": "date_parsing",
    "datetime_type": "datetime_parsing", "model_type": "dict_type",
}  # fmt: skip


def schema_reason(error: Mapping[str, Any], language: str) -> str:
    """One of FastAPI's (pydantic's) request-validation errors in the user's language: by its type with
    the values of its context, or a custom validator's message worded like a service's reason."""
    kind = str(error.get("type", ""))
    texts = SCHEMA_REASONS.get(_SCHEMA_ALIASES.get(kind, kind))
    message = str(error.get("msg", ""))
    if texts is None:
        return reason_in(message.removeprefix("Value error, ").removeprefix("Assertion failed, "), language)
    values = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
    try:
        return texts.get(language, texts["en"]).format(**values)
    except (KeyError, IndexError):
        return message


def negotiate(accept_language: str | None) -> str:
    """Pick the best of our languages from an Accept-Language header (q-values respected)."""
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE


def title(key: str, language: str) -> str:
    texts = TITLES.get(key, TITLES["INTERNAL"])
    return texts.get(language, texts["en"])


def worded(info: dict[str, str], language: str) -> str | None:
    """The detail of a service's error in the user's language, if the service named a known wording."""
    texts = DETAILS.get(info.get("wording", ""))
    if texts is None:
        return None
    values = {k.removeprefix("wording."): v for k, v in info.items() if k.startswith("wording.")}
    try:
        return texts.get(language, texts["en"]).format(**values)
    except (KeyError, IndexError):
        return None  # a value the text names is missing: the service's own message stays
