from ejournal_platform.migrations import run_env
from services.reporting.adapters.schema import metadata

run_env(metadata)
