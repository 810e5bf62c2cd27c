"""curriculum's database tables: the typed models (adapters/models) plus the outbox and inbox."""

from ejournal_platform.outbox import define_inbox, define_outbox
from services.curriculum.adapters import models  # noqa: F401  (registers every model's table)
from services.curriculum.adapters.orm import metadata

outbox = define_outbox(metadata)
inbox = define_inbox(metadata)

__all__ = ["inbox", "metadata", "outbox"]
