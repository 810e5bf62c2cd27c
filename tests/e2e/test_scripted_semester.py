"""The scripted semester (deploy/demo/semester.py) against the stack the fixtures start: every step's
expectation holds for both profiles, through the gateway's HTTP API only; a webhook subscriber watching
it receives the semester's events (tests/e2e/semester_webhooks.py)."""

from __future__ import annotations

import re

import pytest

from deploy.demo.semester import run
from tests.e2e import semester_webhooks
from tests.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.mark.rule("KG-01")
def test_the_scripted_semester_passes_for_both_profiles(stack: Stack) -> None:
    lines: list[str] = []
    watch = semester_webhooks.start_watching(stack)  # issue 20: a webhook subscriber of kz-kaznmu
    code = run(stack.gateway, out=lines.append)
    # Issue 20: the subscriber got every kz-kaznmu gradebook event of the semester once, signed, in order
    # per subject, and none of kg-jasu's (checked whatever the steps' outcome: the events happened).
    semester_webhooks.check(stack, watch)
    transcript = "\n".join(lines)
    print(transcript)  # shown by pytest -rA or -s: the semester as played
    assert code == 0, transcript
    assert "== kz-medical ==" in transcript and "== kg-jasu ==" in transcript
    assert "[FAIL]" not in transcript and "not scripted yet" not in transcript
    # Issue 16: the running reporting service signs statements (the launcher gives it its passphrase).
    assert transcript.count("the public check finds it signed by the university") == 2, transcript
    # KZ-14: the ladder proposed a measure and the registrar found it. Which measure depends on how many
    # reopens kz.teacher1 already has on this shared stack (the portal's reopen test adds some).
    assert re.search(
        r"finds the ladder's proposal among their tasks .* got (verbal_warning|warning|reprimand)", transcript
    )
