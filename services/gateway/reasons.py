"""The services' own English refusals (a field's reason), worded in ru/kk/ky by their text (issue 13),
and FastAPI's schema errors in the user's language.

Data only, kept as data in `reasons.json` beside this module (package data, read once at import):
- `service_reasons`, in the shape of `i18n.REASONS` (which merges this table after its common
  entries): each key is the English text a service writes, with `{names}` where the service puts
  values; the gateway puts the values back unchanged. A more specific template comes before a more
  general one (the file keeps the order).
- `schema_reasons`: pydantic's error `type` -> the wording (`{names}` come from the error's `ctx`),
  used by `i18n.schema_reason`. A type not listed keeps pydantic's English message.
"""

from __future__ import annotations

import json
from importlib import resources

_TABLES = json.loads((resources.files("services.gateway") / "reasons.json").read_text(encoding="utf-8"))
SERVICE_REASONS: dict[str, dict[str, str]] = _TABLES["service_reasons"]
SCHEMA_REASONS: dict[str, dict[str, str]] = _TABLES["schema_reasons"]
