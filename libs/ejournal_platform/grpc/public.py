"""Which methods of a service answer without a token: the contract says so, once, with the method
option `(ejournal.api.v1.public) = true` (proto/ejournal/api/v1/options.proto). The services'
authentication hook and the gateway's routes both read it from the descriptors."""

from __future__ import annotations

from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor

from ejournal.api.v1 import options_pb2


def is_public(method: MethodDescriptor) -> bool:
    return bool(method.GetOptions().Extensions[options_pb2.public])


def public_methods(service: ServiceDescriptor) -> frozenset[str]:
    """The gRPC method paths ("/ejournal.identity.v1.IdentityService/Login") marked public."""
    return frozenset(f"/{service.full_name}/{m.name}" for m in service.methods if is_public(m))
