"""Inputs and outputs of the monthly backup (KZ-16), one dataclass each."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BackupInput:
    time_zone: str  # the university's: the backup runs at 02:00 on the 1st, local time
    keep_years: int  # backups older than this are removed after a successful one (the profiles' retention)
    activity_timeout_seconds: int = 3 * 3600


@dataclass(frozen=True)
class BackupTaken:
    backup_id: str
    folder: str
    size_bytes: int


@dataclass(frozen=True)
class PruneRequest:
    keep_years: int
    now: str  # ISO instant of the run, so a retried activity prunes the same set


@dataclass(frozen=True)
class BackupFailed:
    error: str
    at: str
