"""Cross-service fixtures: the whole stack, started by the real launcher on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import STACK_TIMEOUT, Stack, launch, stack_environment, stop, wait_for_line


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole system with its demo data, shared by the end-to-end tests that only read or add."""
    home = tmp_path_factory.mktemp("stack")
    env = stack_environment(home)
    process = launch(env)
    try:
        wait_for_line(process, "ejournal is up", timeout=STACK_TIMEOUT)
        yield Stack(env, home)
    finally:
        stop(process)
