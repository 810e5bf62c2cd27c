from ejournal_platform.migrations import run_env
from services.subscribers.adapters.tables import metadata

run_env(metadata)
