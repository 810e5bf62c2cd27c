"""The demo data's names, in Kazakh, Russian and Kyrgyz with their own letters, and its logins.

People belong to identity; here they are only person ids, uuid5(NAMESPACE_URL, "ejournal:person:<login>"),
so identity's demo seed creates the same people under the same logins (listed by `demo_logins()`).
"""

from __future__ import annotations

from dataclasses import dataclass

KZ_FIRST = [
    "Әсел",
    "Айгерім",
    "Нұрсұлтан",
    "Ерлан",
    "Дәулет",
    "Жансая",
    "Қуаныш",
    "Ғалым",
    "Өмірзақ",
    "Ұлжан",
    "Іңкәр",
    "Бекзат",
    "Аружан",
    "Мұхтар",
    "Гүлнұр",
    "Тоғжан",
    "Шыңғыс",
    "Әлішер",
    "Меруерт",
    "Қайрат",
    "Зере",
    "Нұрлан",
    "Сәуле",
    "Ілияс",
    "Дариға",
]
KZ_LAST = [
    "Сейітқали",
    "Оспанов",
    "Әбенова",
    "Қасымов",
    "Нұрланова",
    "Жұмабаев",
    "Төлеген",
    "Ықсанова",
    "Бөкейхан",
    "Құдайбергенов",
    "Шәріпова",
    "Ғабитов",
    "Өтепова",
    "Үсенов",
    "Ілиясова",
]
RU_FIRST = [
    "Алексей",
    "Виктория",
    "Дмитрий",
    "Екатерина",
    "Артём",
    "Ксения",
    "Никита",
    "Полина",
    "Фёдор",
    "Юлия",
    "Сергей",
    "Анастасия",
    "Илья",
    "Дарья",
    "Максим",
    "Алина",
    "Роман",
    "Елизавета",
    "Тимур",
    "Софья",
    "Георгий",
    "Мария",
    "Кирилл",
    "Вероника",
    "Олег",
]
RU_LAST = [
    "Иванов",
    "Ким",
    "Смирнов",
    "Пак",
    "Кузнецов",
    "Цой",
    "Попов",
    "Шевченко",
    "Соколов",
    "Ли",
    "Лебедев",
    "Морозов",
    "Волков",
    "Фёдоров",
    "Ершов",
]
KY_FIRST = [
    "Айбек",
    "Бермет",
    "Нурлан",
    "Гүлнара",
    "Үмүт",
    "Өмүрбек",
    "Жыпар",
    "Эрмек",
    "Айпери",
    "Нурбек",
    "Жаңыл",
    "Таңсык",
    "Бактыгүл",
    "Мээрим",
    "Элнура",
    "Өзгөчө",
    "Күмүшай",
    "Азамат",
    "Чолпон",
    "Бекболот",
]
KY_LAST = [
    "Токтогулов",
    "Осмонова",
    "Жээнбеков",
    "Сыдыкова",
    "Абдыкадыров",
    "Мамытова",
    "Үсөнов",
    "Өмүрзакова",
    "Кыдыралиев",
    "Төрөбаева",
    "Ташиев",
    "Жумабекова",
]
FEMININE_ENDINGS = ("а", "я", "ь")
KZ_FEMALE = {
    "Әсел",
    "Айгерім",
    "Жансая",
    "Ұлжан",
    "Іңкәр",
    "Аружан",
    "Гүлнұр",
    "Тоғжан",
    "Меруерт",
    "Зере",
    "Сәуле",
    "Дариға",
}
RU_FEMALE = {
    "Виктория",
    "Екатерина",
    "Ксения",
    "Полина",
    "Юлия",
    "Анастасия",
    "Дарья",
    "Алина",
    "Елизавета",
    "Софья",
    "Мария",
    "Вероника",
}
KY_FEMALE = {
    "Бермет",
    "Гүлнара",
    "Үмүт",
    "Жыпар",
    "Айпери",
    "Жаңыл",
    "Таңсык",
    "Бактыгүл",
    "Мээрим",
    "Элнура",
    "Күмүшай",
    "Чолпон",
}


@dataclass(frozen=True)
class Person:
    login: str
    full_name: str
    role: str


def surname(last: str, female: bool, language: str) -> str:
    """Kazakh and Russian surnames in -ов/-ев/-ин take -а for women; Kyrgyz likewise (-ов → -ова)."""
    if not female or last.endswith(FEMININE_ENDINGS) or not last.endswith(("ов", "ев", "ин", "ёв")):
        return last
    return last + "а"


def students(prefix: str, count: int, language: str, seed: int) -> list[Person]:
    first, last, female = {
        "kk": (KZ_FIRST, KZ_LAST, KZ_FEMALE),
        "ru": (RU_FIRST, RU_LAST, RU_FEMALE),
        "ky": (KY_FIRST, KY_LAST, KY_FEMALE),
    }[language]
    people = []
    for i in range(count):
        given = first[(i * 7 + seed) % len(first)]
        family = surname(last[(i * 5 + seed * 3) % len(last)], given in female, language)
        people.append(Person(f"{prefix}-{i + 1:02}", f"{family} {given}", "student"))
    return people


# Logins shared with identity's demo accounts (services/identity/entrypoints/seed.py on branch identity)
# where they exist; the rest are curriculum's and must be added there.
KZ_TEACHERS = [
    Person("kz.head.anatomy", "Жақсыбаев Мұрат Өмірзақұлы", "department_head"),  # lectures, anatomy
    Person("kz.teacher1", "Әбілқасымова Гүлнұр Серікқызы", "teacher"),  # practicals, plan uploader
    Person("kz.teacher2", "Омаров Ерлан Болатұлы", "teacher"),  # practicals, blocks 1–2
    Person("kz.teacher3", "Петрова Анна Игоревна", "teacher"),  # physiology: block 3, modular disciplines
]
KZ_HEADS = [Person("kz.head.physiology", "Серікова Айнұр Болатқызы", "department_head")]
KZ_REGISTRAR = Person("kz.registrar", "Ким Елена Викторовна", "registrar_head")
KZ_NAMED_STUDENTS = [
    Person("kz.student1", "Жұмабекова Айгерім Қуанышқызы", "student"),
    Person("kz.student2", "Smith John", "student"),
]
KG_TEACHERS = [
    Person("kg.teacher1", "Үсөнбаева Нурзат Төлөнбековна", "teacher"),  # math lectures
    Person("kg.teacher2", "Исаков Эрмек Жумабаевич", "teacher"),  # math practicals per subgroup
    Person("kg.teacher.info", "Жээнбеков Эрмек Таңсыкович", "teacher"),  # informatics (curriculum's own)
]
KG_ADMIN = Person("kg.admin", "Токтогулов Азамат Бакытович", "administrator")
KG_NAMED_STUDENTS = [Person("kg.student1", "Асанов Нурбек Үмөталиевич", "student")]


def kz_groups() -> list[tuple[str, str, list[Person]]]:
    return [
        ("ЖМ-101", "kk", students("kz-101", 25, "kk", 1)),
        ("ЖМ-102", "kk", students("kz-102", 25, "kk", 2)),
        ("ОМ-103", "ru", students("kz-103", 25, "ru", 3)),
    ]


def kg_groups() -> list[tuple[str, str, list[Person]]]:
    return [
        ("МИ-1-26", "ky", students("kg-mi1", 24, "ky", 4)),
        ("ФМ-1-26", "ky", students("kg-fm1", 22, "ky", 5)),
    ]


def demo_logins() -> list[Person]:
    """Every person the curriculum demo refers to, for identity's seed."""
    people = [*KZ_TEACHERS, *KZ_HEADS, KZ_REGISTRAR, *KG_TEACHERS, KG_ADMIN]  # students follow
    for _, _, members in [*kz_groups(), *kg_groups()]:
        people.extend(members)
    return people
