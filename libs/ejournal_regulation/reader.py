"""A strict reader of untyped YAML data: every problem is collected with its dotted path, so a broken
profile file is reported completely at once rather than one error per attempt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from ejournal_regulation.scales import to_decimal

T = TypeVar("T")


class ProfileError(ValueError):
    """A profile file that cannot be used; `problems` are (path, reason) pairs, e.g.
    ("scale.letters[3].gpa", "must be a number")."""

    def __init__(self, source: str, problems: Sequence[tuple[str, str]]) -> None:
        lines = "\n".join(f"  {path}: {reason}" for path, reason in problems)
        super().__init__(f"invalid regulation profile {source}:\n{lines}")
        self.source = source
        self.problems = list(problems)


class Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, reason: str) -> None:
        # The first problem at a path is the informative one ("is required" before "must be a mapping").
        if all(known != path for known, _ in self.problems):
            self.problems.append((path, reason))

    def mapping(self, data: object, path: str, allowed: Sequence[str]) -> Mapping[str, object]:
        if not isinstance(data, Mapping):
            self.fail(path or "<root>", "must be a mapping")
            return {}
        for key in data:
            if key not in allowed:
                self.fail(join(path, str(key)), f"unknown key; allowed: {', '.join(allowed)}")
        return {str(k): v for k, v in data.items()}

    def items(self, data: Mapping[str, object], key: str, path: str) -> list[object]:
        value = data.get(key)
        if not isinstance(value, list):
            self.fail(join(path, key), "must be a list")
            return []
        return list(value)

    def text(self, data: Mapping[str, object], key: str, path: str, *, choices: Sequence[str] = ()) -> str:
        value = data.get(key)
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            self.fail(join(path, key), "must be a non-empty text")
            return ""
        text = str(value)
        if choices and text not in choices:
            self.fail(join(path, key), f"{text!r} is not one of: {', '.join(choices)}")
        return text

    def integer(
        self, data: Mapping[str, object], key: str, path: str, *, minimum: int = 0, optional: bool = False
    ) -> int | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(join(path, key), "must be a whole number")
            return None
        if value < minimum:
            self.fail(join(path, key), f"must be at least {minimum}")
            return None
        return value

    def number(
        self, data: Mapping[str, object], key: str, path: str, *, optional: bool = False
    ) -> Decimal | None:
        value = data.get(key)
        if value is None and optional:
            return None
        number = to_decimal(value)
        if number is None:
            self.fail(join(path, key), "must be a number")
        return number

    def flag(self, data: Mapping[str, object], key: str, path: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            self.fail(join(path, key), "must be true or false")
            return False
        return value

    def texts(
        self, data: Mapping[str, object], key: str, path: str, choices: Sequence[str]
    ) -> tuple[str, ...]:
        found: list[str] = []
        for index, item in enumerate(self.items(data, key, path)):
            if not isinstance(item, str) or item not in choices:
                self.fail(f"{join(path, key)}[{index}]", f"{item!r} is not one of: {', '.join(choices)}")
            elif item in found:
                self.fail(f"{join(path, key)}[{index}]", f"{item!r} is listed twice")
            else:
                found.append(item)
        return tuple(found)

    def translations(self, data: Mapping[str, object], key: str, path: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
        ):
            self.fail(join(path, key), "must map language codes (ru, kk, ky, en) to texts")
            return {}
        return {str(k): str(v) for k, v in value.items()}


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
