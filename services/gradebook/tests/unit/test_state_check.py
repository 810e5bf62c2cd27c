"""The state check replays the history's last value per cell and names the first cell that differs."""

from __future__ import annotations

import pytest

from services.gradebook.domain.state_check import CellMismatch, first_state_mismatch

pytestmark = pytest.mark.unit


def test_the_last_history_value_of_each_cell_must_be_stored() -> None:
    history = [("mark", "c1", "s1", "60"), ("mark", "c1", "s1", "65"), ("attendance", "c1", "s2", "absent")]
    assert (
        first_state_mismatch(history, [("mark", "c1", "s1", "65"), ("attendance", "c1", "s2", "absent")])
        is None
    )
    assert first_state_mismatch(
        history, [("mark", "c1", "s1", "60"), ("attendance", "c1", "s2", "absent")]
    ) == (CellMismatch("mark", "c1", "s1", "65", "60"))


def test_a_cell_without_history_and_a_history_without_its_cell_both_differ() -> None:
    assert first_state_mismatch([], [("mark", "c1", "s1", "н/б")]) == CellMismatch(
        "mark", "c1", "s1", None, "н/б"
    )
    assert first_state_mismatch([("mark", "c1", "s1", "5")], []) == CellMismatch(
        "mark", "c1", "s1", "5", None
    )
    # A cleared mark (history says None, the row holds NULL) agrees.
    assert (
        first_state_mismatch(
            [("mark", "c1", "s1", "5"), ("mark", "c1", "s1", None)], [("mark", "c1", "s1", None)]
        )
        is None
    )
