"""Navigation by role: a link appears only when the person holds a role that may use the page, and
only once the page exists (a page registers its path in the portal's router).

The oversight pages (department head, dean, registrar, vice-rector, administrator) are listed here
already; their links appear as soon as their routes are added.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from babel.support import Translations

# Role names as identity issues them (ejournal_platform.authz.Role).
TEACHING = frozenset({"teacher"})
STUDENT = frozenset({"student"})
PARENT = frozenset({"parent"})
HEADS = frozenset({"department_head", "dean", "dean_curation", "dean_staff"})
DEANS_OFFICE = frozenset({"dean", "dean_curation", "dean_staff"})
CURATOR = frozenset({"curator"})
REGISTRAR = frozenset({"registrar_inspector", "registrar_senior_inspector", "registrar_head"})
VICE_RECTOR = frozenset({"vice_rector"})
ADMINISTRATOR = frozenset({"administrator"})
EVERYONE: frozenset[str] = frozenset()  # no role needed: any signed-in person


def N_(message: str) -> str:
    """Marks a message for the catalogs; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Link:
    path: str
    label: str  # msgid, translated when shown
    roles: frozenset[str]

    def allowed(self, roles: Collection[str]) -> bool:
        return not self.roles or bool(self.roles.intersection(roles))


LINKS = (
    Link("/home", N_("Home"), EVERYONE),
    Link("/teacher/today", N_("Today"), TEACHING),
    Link("/teacher/journals", N_("My journals"), TEACHING),
    Link("/teacher/disputes", N_("Disputes"), TEACHING),
    Link("/teacher/cases", N_("My reopen cases"), TEACHING),
    Link("/student/results", N_("My results"), STUDENT),
    Link("/student/check-in", N_("Check in"), STUDENT),
    Link("/parent/child", N_("My child"), PARENT),
    Link("/tasks", N_("Tasks"), HEADS | REGISTRAR | VICE_RECTOR),
    Link("/oversight/filling", N_("Filling"), HEADS | REGISTRAR | VICE_RECTOR),
    Link("/checks", N_("Weekly checks"), TEACHING | HEADS | REGISTRAR | VICE_RECTOR),
    Link("/department/substitutions", N_("Substitutions"), HEADS),
    Link("/department/teaching-load", N_("Teaching load"), HEADS),
    Link("/department/curators", N_("Curator lists"), DEANS_OFFICE | CURATOR),
    Link("/registrar/calendar", N_("Calendar"), REGISTRAR),
    Link("/registrar/reports", N_("Reports"), REGISTRAR),
    Link("/registrar/statements", N_("Statements"), HEADS | REGISTRAR),
    Link("/registrar/imports", N_("Imports"), REGISTRAR | ADMINISTRATOR),
    Link("/dashboard", N_("Dashboard"), VICE_RECTOR),
    Link("/admin/people", N_("People"), ADMINISTRATOR),
    Link("/notices", N_("Notices"), EVERYONE),
    Link("/account", N_("Account"), EVERYONE),
)


def visible(
    roles: Collection[str], existing_paths: Collection[str], links: Iterable[Link] = LINKS
) -> list[Link]:
    return [link for link in links if link.path in existing_paths and link.allowed(roles)]


def labelled(links: Iterable[Link], texts: Translations) -> list[tuple[str, str]]:
    return [(link.path, texts.gettext(link.label)) for link in links]
