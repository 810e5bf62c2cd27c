"""Names to print: people from the read models, structure units from the caller's display names;
an id prints itself where no name is known."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class Names:
    people: dict[str, str] = field(default_factory=dict)
    display: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, some_id: str) -> str:
        if not some_id:
            return ""
        return self.people.get(some_id) or self.display.get(some_id) or some_id
