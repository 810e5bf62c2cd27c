"""The state one profile's semester carries from step to step."""

from __future__ import annotations

from datetime import date
from typing import Any

from deploy.demo.semester.cast import Cast
from deploy.demo.semester.harness import Api, Transcript


class Scene:
    def __init__(self, api: Api, cast: Cast, log: Transcript, today: date) -> None:
        self.api, self.cast, self.log, self.today = api, cast, log, today
        self.journal: dict[str, Any] = {}  # the teacher's journal that has the student
        self.grid: dict[str, Any] = {}
        self.column: dict[str, Any] = {}  # the past lesson of an open section the marks go into
