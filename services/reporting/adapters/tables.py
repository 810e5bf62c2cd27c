"""reporting's database tables."""

from ejournal_platform.db import new_metadata
from ejournal_platform.outbox import define_inbox, define_outbox

metadata = new_metadata()
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)
