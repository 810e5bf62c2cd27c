"""How a form page says the API's refusal: the fields it named, in the person's language; otherwise
what kind of refusal it was. Each page passes its own field labels."""

from __future__ import annotations

from collections.abc import Mapping

from services.portal.api import Reply
from services.portal.visit import Visit


def form_refusal(visit: Visit, reply: Reply, fields: Mapping[str, str]) -> str:
    errors = reply.body.get("errors", []) if isinstance(reply.body, dict) else []
    named = [visit.gettext(fields[e.get("field", "")]) for e in errors if e.get("field", "") in fields]
    if reply.status in (409, 412, 422) and named:
        return visit.gettext("Please check: %(fields)s.") % {"fields": ", ".join(dict.fromkeys(named))}
    if reply.status == 409:
        return visit.gettext("This was changed meanwhile; it is shown as it is now.")
    if reply.status in (403, 404):
        return visit.gettext("This action is not yours to take.")
    return visit.gettext("The action was not accepted. Check the form and try again.")
