"""Domain errors as gRPC statuses with machine-readable details (google.rpc.BadRequest, ErrorInfo)."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from ejournal_platform.errors import Conflict, DomainError, ValidationFailed

ERROR_DOMAIN = "ejournal"


def to_rpc_status(error: DomainError) -> grpc.Status:
    code = getattr(code_pb2, error.code_name)
    details: list[any_pb2.Any] = []
    violations = error.violations if isinstance(error, ValidationFailed) else []
    if error.field and not violations:
        violations = [(error.field, error.reason)]
    if violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=field, description=reason)
                for field, reason in violations
            ]
        )
        packed = any_pb2.Any()
        packed.Pack(bad_request)
        details.append(packed)
    metadata = {"field": error.field} if error.field else {}
    if isinstance(error, Conflict) and error.current is not None:
        metadata["current"] = error.current
    if error.wording is not None:
        metadata["wording"] = error.wording.key
        metadata.update({f"wording.{name}": value for name, value in error.wording.values.items()})
    info = error_details_pb2.ErrorInfo(
        reason=type(error).__name__.upper(), domain=ERROR_DOMAIN, metadata=metadata
    )
    packed = any_pb2.Any()
    packed.Pack(info)
    details.append(packed)
    return rpc_status.to_status(status_pb2.Status(code=code, message=error.message, details=details))


def field_violations(call_error: grpc.aio.AioRpcError | grpc.RpcError) -> list[tuple[str, str]]:
    """Read (field, reason) pairs back from a failed call, for clients such as the gateway."""
    status = rpc_status.from_call(call_error)
    found: list[tuple[str, str]] = []
    for detail in status.details if status else []:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            found += [(v.field, v.description) for v in bad_request.field_violations]
    return found


def error_info(call_error: grpc.aio.AioRpcError | grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(call_error)
    for detail in status.details if status else []:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return {"reason": info.reason, **dict(info.metadata)}
    return {}
