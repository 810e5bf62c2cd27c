"""One semester per profile, in the order of the transcript; the command's entry point."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date

from deploy.demo.semester.cast import CASTS
from deploy.demo.semester.closing import ClosingSteps
from deploy.demo.semester.harness import Api, StepFailed, Transcript
from deploy.demo.semester.marks import MarkSteps
from deploy.demo.semester.presence import PresenceSteps
from deploy.demo.semester.reopen import ReopenSteps


class Semester(MarkSteps, PresenceSteps, ClosingSteps, ReopenSteps):
    def play(self) -> None:
        self.sign_in()
        self.read_grid()
        self.enter_marks()
        self.parent_view()
        self.dispute()
        self.qr_check_in()
        self.substitute()
        self.close_section()
        if self.cast.reopen is not None:
            self.reopen(self.cast.reopen)
        else:
            self.log.out(
                f"  [ n/a] {'':<18} reopen procedure and sanction ladder: kz-medical's rules (KZ-13, KZ-14)"
            )


def run(gateway: str, out: Callable[[str], None] = print, today: date | None = None) -> int:
    log = Transcript(out)
    api = Api(gateway)
    started = time.monotonic()
    for cast in CASTS:
        out(f"== {cast.profile} ==")
        try:
            Semester(api, cast, log, today or date.today()).play()
        except StepFailed:
            out(f"  {cast.profile}: stopped at the first failed step")
        except Exception as error:  # any surprise is a failed step, reported, not a crash
            log.failed.append(f"{cast.profile}: {error!r}")
            out(f"  [FAIL] {cast.profile}: {error!r}")
    elapsed = time.monotonic() - started
    out(f"== {log.passed} step(s) passed, {len(log.failed)} failed, {elapsed:.1f} s ==")
    for failure in log.failed:
        out(f"  failed: {failure}")
    return 1 if log.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    args = parser.parse_args(argv)
    return run(args.gateway)
