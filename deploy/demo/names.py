"""Names of the demo's students, in Kazakh, Russian and Kyrgyz with their own letters.

Generated from short lists (deterministically: the same login always gets the same name), so a group
of 25 looks like a real one — surnames agree with the student's sex, patronymics follow each
language's pattern (Kazakh -ұлы/-қызы, Russian and Kyrgyz -ович/-овна) — without a long hand-written
roster. Named people (staff, the students and parents the documentation mentions) are written out in
`university.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    last: str
    first: str
    patronymic: str = ""

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.last, self.first, self.patronymic) if part)


def name(text: str) -> Name:
    """ "Surname Given Patronymic" (the patronymic may be missing)."""
    parts = text.split()
    if not 2 <= len(parts) <= 3:
        raise ValueError(f"{text!r} is not 'Surname Given [Patronymic]'")
    return Name(*parts)


@dataclass(frozen=True)
class Pool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    # Fathers' names: (son's patronymic, daughter's patronymic).
    patronymics: tuple[tuple[str, str], ...]


KK = Pool(
    male=("Нұрсұлтан", "Ерлан", "Дәулет", "Қуаныш", "Ғалым", "Өмірзақ", "Бекзат", "Мұхтар", "Шыңғыс",
          "Әлішер", "Қайрат", "Нұрлан", "Ілияс"),
    female=("Әсел", "Айгерім", "Жансая", "Ұлжан", "Іңкәр", "Аружан", "Гүлнұр", "Тоғжан", "Меруерт",
            "Зере", "Сәуле", "Дариға"),
    last=("Сейітқали", "Оспанов", "Әбенов", "Қасымов", "Нұрланов", "Жұмабаев", "Төлеген", "Ықсанов",
          "Бөкейхан", "Құдайбергенов", "Шәріпов", "Ғабитов", "Өтепов", "Үсенов", "Ілиясов"),
    patronymics=tuple((f"{root}ұлы", f"{root}қызы") for root in (
        "Серік", "Болат", "Нұрлан", "Қайрат", "Ерлан", "Марат", "Асқар", "Бауыржан", "Жақсылық", "Өмірзақ",
        "Һашим")),
)  # fmt: skip
RU = Pool(
    male=("Алексей", "Дмитрий", "Артём", "Никита", "Фёдор", "Сергей", "Илья", "Максим", "Роман", "Тимур",
          "Георгий", "Кирилл", "Олег"),
    female=("Виктория", "Екатерина", "Ксения", "Полина", "Юлия", "Анастасия", "Дарья", "Алина",
            "Елизавета", "Софья", "Мария", "Вероника"),
    last=("Иванов", "Ким", "Смирнов", "Пак", "Кузнецов", "Цой", "Попов", "Шевченко", "Соколов", "Ли",
          "Лебедев", "Морозов", "Волков", "Фёдоров", "Ершов"),
    patronymics=(("Алексеевич", "Алексеевна"), ("Сергеевич", "Сергеевна"), ("Викторович", "Викторовна"),
                 ("Игоревич", "Игоревна"), ("Андреевич", "Андреевна"), ("Петрович", "Петровна"),
                 ("Олегович", "Олеговна"), ("Фёдорович", "Фёдоровна")),
)  # fmt: skip
KY = Pool(
    male=("Айбек", "Нурлан", "Өмүрбек", "Эрмек", "Нурбек", "Азамат", "Бекболот", "Үсөн", "Таалай",
          "Жеңиш", "Мирлан"),
    female=("Бермет", "Гүлнара", "Үмүт", "Жыпар", "Айпери", "Жаңыл", "Таңсык", "Бактыгүл", "Мээрим",
            "Элнура", "Күмүшай", "Чолпон"),
    last=("Токтогулов", "Осмонов", "Жээнбеков", "Сыдыков", "Абдыкадыров", "Мамытов", "Үсөнов",
          "Өмүрзаков", "Кыдыралиев", "Төрөбаев", "Ташиев", "Жумабеков"),
    patronymics=(("Төлөнович", "Төлөновна"), ("Бакытович", "Бакытовна"), ("Өмүрбекович", "Өмүрбековна"),
                 ("Үсөнович", "Үсөновна"), ("Жумабаевич", "Жумабаевна"), ("Алымбекович", "Алымбековна"),
                 ("Таңсыкович", "Таңсыковна"), ("Асанович", "Асановна")),
)  # fmt: skip
POOLS = {"kk": KK, "ru": RU, "ky": KY}


def surname(last: str, female: bool) -> str:
    """Surnames in -ов/-ев/-ин take -а for women in all three languages; others (Ким, Төлеген) do not."""
    return last + "а" if female and last.endswith(("ов", "ев", "ин", "ёв")) else last


def generated(language: str, number: int, seed: int) -> Name:
    """The `number`-th generated person of a roster (`seed` tells rosters apart)."""
    pool = POOLS[language]
    female = (number * 3 + seed) % 2 == 0
    given = pool.female if female else pool.male
    first = given[(number * 7 + seed) % len(given)]
    last = surname(pool.last[(number * 5 + seed * 3) % len(pool.last)], female)
    son, daughter = pool.patronymics[(number * 3 + seed) % len(pool.patronymics)]
    return Name(last, first, daughter if female else son)
