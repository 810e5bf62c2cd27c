"""Which failures mean "a dependency is down or overloaded, try again soon".

A lost database connection, a NATS or Temporal outage, or a callee answering UNAVAILABLE is not a
bug and not the caller's mistake: the error interceptor maps it to UNAVAILABLE (the gateway's 503
with Retry-After), and the clients' retry policy (`ejournal_platform.grpc.retry`) retries it.
"""

from __future__ import annotations

import asyncio

import grpc
import nats.errors
import psycopg
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from temporalio.service import RPCError, RPCStatusCode

# Seconds a client should wait before retrying; the gateway sends it as Retry-After.
RETRY_AFTER_SECONDS = 2

# SQLSTATE classes and codes that say the server is unreachable, restarting or out of capacity:
# 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect now,
# 40001/40P01 a serialization failure or deadlock that a retry of the same request resolves.
_TRANSIENT_SQLSTATE_CLASSES = ("08", "53")
_TRANSIENT_SQLSTATES = {"57P01", "57P02", "57P03", "40001", "40P01"}

_NATS_OUTAGES = (
    nats.errors.NoServersError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.StaleConnectionError,
    nats.errors.NoRespondersError,
    nats.errors.TimeoutError,
    nats.errors.OutboundBufferLimitError,
)

UNAVAILABLE_GRPC_CODES = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED}


def _transient_sqlstate(sqlstate: str | None) -> bool:
    if not sqlstate:
        return False
    return sqlstate.startswith(_TRANSIENT_SQLSTATE_CLASSES) or sqlstate in _TRANSIENT_SQLSTATES


def is_unavailable(error: BaseException) -> bool:
    """True when the error means a dependency is down or overloaded, not a bug or a bad request."""
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        return is_unavailable(error.orig) if error.orig is not None else False
    if isinstance(error, DisconnectionError | PoolTimeout):
        return True
    if isinstance(error, psycopg.Error):
        # OperationalError without a SQLSTATE is a connection that failed or broke (refused, reset).
        if isinstance(error, psycopg.OperationalError) and not error.sqlstate:
            return True
        return _transient_sqlstate(error.sqlstate)
    if isinstance(error, _NATS_OUTAGES):
        return True
    if isinstance(error, RPCError):
        return error.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.RESOURCE_EXHAUSTED)
    if isinstance(error, grpc.aio.AioRpcError):
        return error.code() in UNAVAILABLE_GRPC_CODES
    if isinstance(error, ConnectionError | asyncio.TimeoutError):
        return True
    cause = error.__cause__ or error.__context__
    return cause is not None and cause is not error and isinstance(cause, Exception) and is_unavailable(cause)
