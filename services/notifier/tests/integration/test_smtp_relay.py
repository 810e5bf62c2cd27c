"""An authenticated relay, as a university's mail server is: the notifier logs in (AUTH) over STARTTLS
or implicit TLS, verifies the relay's certificate, and a message arrives only then. The relay is the
local mail server (aiosmtpd) started with one account, AUTH offered only over TLS and required for mail."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError

from deploy.local.mail import MailServer, subject_of
from deploy.local.servers import free_port
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.testing.fixtures import Databases
from services.identity.tests.harness import pid
from services.notifier.adapters.channels import SmtpChannel, SmtpSecurity
from services.notifier.entrypoints.main import smtp_channel
from services.notifier.settings import NotifierSettings
from services.notifier.tests.harness import running_notifier

pytestmark = pytest.mark.integration
SENDER = "ejournal <noreply@ejournal.example>"
ACCOUNT = ("ejournal-relay", "correct horse battery staple")
# What the settings need besides the relay (nothing here connects to these).
ELSEWHERE = {"database_url": "postgresql+psycopg://x/y", "nats_url": "nats://x", "portal_url": "http://p",
             "identity_address": "127.0.0.1:1"}  # fmt: skip


def settings(**relay: object) -> NotifierSettings:
    return NotifierSettings.model_validate({**ELSEWHERE, **relay})


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own CA), as a relay with a private CA would have."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    )  # fmt: skip
    return cert_file, key_file


def relay(folder: Path, tls: str) -> MailServer:
    cert, key = self_signed(folder)
    server = MailServer(folder / "mail", free_port(), tls=tls, cert=cert, key=key, account=":".join(ACCOUNT))
    server.start()
    return server


def channel(
    server: MailServer, security: SmtpSecurity, *, password: str = ACCOUNT[1], ca: bool = True
) -> SmtpChannel:
    return SmtpChannel(
        "127.0.0.1", server.port, SENDER, timeout=5, security=security, username=ACCOUNT[0],
        password=password, ca_file=str(server.cert) if ca else "",
    )  # fmt: skip


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_the_notifier_logs_in_to_an_authenticated_relay_over_tls(
    security: SmtpSecurity, tmp_path: Path
) -> None:
    server = relay(tmp_path, security)
    try:
        await channel(server, security).send("a@demo.ejournal.example", "Хабарлама", "мәтін")
        async with channel(server, security).batch() as connection:  # one session, many messages
            for n in range(3):
                await connection.send("b@demo.ejournal.example", f"Хабарлама {n}", "мәтін")
        assert [subject_of(m) for m in server.messages()] == [
            "Хабарлама", "Хабарлама 0", "Хабарлама 1", "Хабарлама 2",
        ]  # fmt: skip
        # A wrong password, no account at all, or an unverifiable certificate: refused, nothing kept.
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await channel(server, security, password="wrong").send("c@x.example", "no", "no")
        anonymous = SmtpChannel("127.0.0.1", server.port, SENDER, timeout=5, security=security,
                                ca_file=str(server.cert))  # fmt: skip
        with pytest.raises(aiosmtplib.SMTPException):
            await anonymous.send("c@x.example", "no", "no")
        with pytest.raises((aiosmtplib.SMTPException, ssl.SSLCertVerificationError)):
            await channel(server, security, ca=False).send("c@x.example", "no", "no")
        assert len(server.messages()) == 4
    finally:
        server.stop()


async def test_the_settings_reach_the_relay_and_a_dispute_arrives_through_it(
    databases: Databases, tmp_path: Path
) -> None:
    """From the environment variables a deployment sets to a mail kept by the relay."""
    server = relay(tmp_path, "starttls")
    try:
        chosen = settings(
            smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="starttls",
            smtp_username=ACCOUNT[0], smtp_password=ACCOUNT[1], smtp_ca_file=str(server.cert),
        )  # fmt: skip
        assert ACCOUNT[1] not in repr(chosen)
        async with running_notifier(databases, {"email": smtp_channel(chosen)}) as notifier:
            await notifier.deliver(gb.DisputeOpened(
                dispute_id="d1", journal_id="j1", column_id="c1", student_id=pid("kz.student1"),
                disputed_value="н/б", answer_due_at="2026-12-04T07:00:00+00:00",
                teacher_ids=[pid("kz.teacher1")],
            ))  # fmt: skip
            assert await notifier.dispatcher.dispatch_due() == 1
            assert await notifier.rows("SELECT outcome FROM delivery_attempts") == [("sent",)]
        (mail,) = server.messages()
        assert mail["To"] == "kz.teacher1@demo.ejournal.example"
    finally:
        server.stop()


def test_a_password_never_travels_in_the_clear_to_another_machine() -> None:
    with pytest.raises(ValidationError, match="SMTP_SECURITY"):
        settings(smtp_host="smtp.example.edu", smtp_username="u", smtp_password="p")
    # The local mail server on loopback needs no TLS; a relay without an account needs no password.
    settings(smtp_host="127.0.0.1", smtp_username="u", smtp_password="p")
    settings(smtp_host="smtp.example.edu")
    assert (
        settings(smtp_host="smtp.example.edu", smtp_security="tls", smtp_username="u").smtp_security == "tls"
    )
