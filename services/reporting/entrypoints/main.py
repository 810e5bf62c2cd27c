"""`python -m services.reporting`: run the reporting service — the gRPC API, the read-model consumers
(one durable consumer per publishing service), the statement-content fetcher and the report runner."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.public import public_methods
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator, ServiceIdentity
from services.reporting.adapters import tables
from services.reporting.adapters.gradebook_client import GrpcStatementSource
from services.reporting.adapters.signing.keys import Pkcs12Key, trust_bundle
from services.reporting.adapters.signing.setup import Signing
from services.reporting.entrypoints.app import ReportingApp
from services.reporting.entrypoints.grpc_api import ReportingServicer
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.jobs import JobRunner
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.reports.background import BUILDERS
from services.reporting.service_layer.statement_content import StatementFetcher
from services.reporting.settings import ReportingSettings

SERVICE = pb.DESCRIPTOR.services_by_name["ReportingService"].full_name
# Anyone holding a statement on paper may verify it (the portal's public /verify page).
PUBLIC_METHODS = public_methods(pb.DESCRIPTOR.services_by_name["ReportingService"])  # the contract says which


def signing_of(settings: ReportingSettings) -> Signing:
    """Statements are always signed: without a passphrase for the signing keys the service does not
    start. The demo PKI lives under signing_dir; a configured PKCS#12 replaces the university's key."""
    passphrase = settings.signing_key_passphrase.get_secret_value().encode()
    if not passphrase:
        raise ValueError(
            "EJOURNAL_REPORTING_SIGNING_KEY_PASSPHRASE is required: statements are signed, and signing "
            "keys are never stored plain"
        )
    signing = Signing.demo(settings.signing_dir, passphrase, settings.university_name, settings.tsa_url)
    if settings.university_key_file is None:
        return signing
    if settings.trust_file is None:
        raise ValueError("EJOURNAL_REPORTING_TRUST_FILE is required with a university key file")
    roots, crls = trust_bundle(settings.trust_file.read_bytes())
    key_passphrase = settings.university_key_passphrase.get_secret_value().encode()
    key = Pkcs12Key(settings.university_key_file, key_passphrase)
    key.signer()  # a wrong file or passphrase stops the start, not the first print
    return replace(signing, university_key=key, roots=roots, crls=crls)


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    lag = LagTracker()
    deps = Deps(
        runtime.unit_of_work,
        archive_dir=settings.archive_dir,
        public_url=settings.public_url,
        signing=signing_of(settings),
    )
    consumers = ReadModelConsumers(runtime.js, deps, lag, batch=settings.consumer_batch)
    runner = JobRunner(deps, BUILDERS)
    app = ReportingApp(deps, consumers, lag, runner)
    background = [consumers.run, runner.run]
    if settings.service_secret:
        tokens = ServiceIdentity(settings.identity_address, "reporting", settings.service_secret)
        fetcher = StatementFetcher(deps, GrpcStatementSource(settings.gradebook_address, tokens))
        background.append(fetcher.run)
    return Wiring(
        servicers=[(pb_grpc.add_ReportingServiceServicer_to_server, ReportingServicer(app), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
        public_methods=PUBLIC_METHODS,
        background=background,
    )


def main() -> None:
    settings = load_settings(ReportingSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
