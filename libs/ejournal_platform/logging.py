"""structlog configured once per process, with the standard library's loggers routed through it.

JSON lines when stderr is not a terminal (services under the launcher, CI), a console renderer on a
terminal; ISO UTC timestamps; the request id bound by the gRPC interceptors appears in every line.
grpc, sqlalchemy, alembic and temporalio log through the standard library, so a ProcessorFormatter
renders their records with the same processors.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import Processor

from ejournal_platform.telemetry import add_trace_id

_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    add_trace_id,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]

_FOREIGN_LOGGERS = ("grpc", "sqlalchemy", "alembic", "temporalio", "nats", "uvicorn", "asyncio")
# Libraries that narrate their routine work at INFO (fontTools: a few lines per PDF it subsets a
# font for; PIL: per image plugin): only their warnings reach our log.
_CHATTY_LOGGERS = ("fontTools", "PIL")


def configure_logging(
    service: str, level: str = "INFO", fmt: str = "auto", stream: TextIO | None = None
) -> None:
    """Configure structlog and the standard library for this process; safe to call again."""
    out = stream or sys.stderr
    as_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    renderer: Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.processors.format_exc_info if as_json else structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in _FOREIGN_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.INFO))
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
    # SQLAlchemy's engine logs every statement at INFO: keep it for DEBUG only.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str | None = None, **initial: Any) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name, **initial)
    return logger
