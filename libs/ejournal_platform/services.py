"""The services behind the gateway, in start order: the one list the launcher, the migrations, the
backups and the gateway's clients share. Each has its own database (ejournal_<name>), event stream
(EJOURNAL_<NAME>), settings prefix (EJOURNAL_<NAME>_) and gRPC port; adding a service starts here."""

from typing import Final

SERVICES: Final = ("identity", "curriculum", "gradebook", "reporting", "workflow", "notifier", "subscribers")
