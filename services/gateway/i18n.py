"""The gateway speaks the user's language: ru, kk, ky or en, chosen from Accept-Language.

Services report what went wrong (status, field, reason); the gateway words the problem's title in the
user's language. Texts are data in one table so translators edit one place.
"""

from __future__ import annotations

from ejournal_platform.languages import from_accept_language

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
}


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
