"""Who the local stack's children run as (issue 18: the same non-root role as the cluster's pods).

A launcher started by root (as in CI, or `sudo`) runs every child — PostgreSQL, NATS, Temporal, the mail
server, the services and the gateway — as the non-root system user `ejournal`: PostgreSQL refuses root,
and the rest follow for least privilege, as the cluster's containers run non-root. A launcher started
by anyone else runs its children as itself, as before.

What such a child needs, and nothing more: every folder above its files and above the Python
interpreter may be passed through (o+x, never listed), and the state folders it writes are its own.
The secrets the launcher keeps in the home (role passwords, service secrets, passphrases, the metrics
token) stay root's 0600 files: the children get them through their environment.
"""

from __future__ import annotations

import os
import pwd
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

SYSTEM_USER = "ejournal"
# Files a child writes are its own: not readable by the other local users of the machine.
CHILD_UMASK = 0o077


@dataclass(frozen=True)
class RunAs:
    name: str
    uid: int
    gid: int

    def own(self, *paths: Path) -> None:
        """Give the user these files and folders (folders with everything in them): a home made by an
        earlier launcher, or by root, keeps working."""
        for path in paths:
            if not path.exists():
                continue
            os.chown(path, self.uid, self.gid)
            if path.is_dir():
                for folder, dirs, files in os.walk(path):
                    for name in [*dirs, *files]:
                        os.chown(os.path.join(folder, name), self.uid, self.gid, follow_symlinks=False)


class PopenAs(TypedDict):
    user: int | None
    group: int | None
    extra_groups: list[int] | None
    umask: int


def popen_as(user: RunAs | None) -> PopenAs:
    """subprocess.Popen's arguments that start a child as `user` with no extra groups, or as ourselves
    (Popen's defaults) when `user` is None."""
    if user is None:
        return {"user": None, "group": None, "extra_groups": None, "umask": -1}
    return {"user": user.uid, "group": user.gid, "extra_groups": [], "umask": CHILD_UMASK}


def system_user() -> RunAs | None:
    """The user the children run as when the launcher is root (made once, a system account without a
    home or a login); None when the launcher is not root: the children run as the launcher's user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
        entry = pwd.getpwnam(SYSTEM_USER)
    return RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid)


def passable(path: Path) -> None:
    """Let any user pass through `path` and every folder above it (x, not r: nothing is listed), so
    the system user reaches a file under e.g. a 0700 /root or a test's 0700 temporary folder."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if mode & 0o011 != 0o011:
            folder.chmod(mode | 0o011)
