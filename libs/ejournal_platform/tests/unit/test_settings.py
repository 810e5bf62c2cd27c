import pytest

from ejournal_platform.services import SERVICES
from ejournal_platform.settings import SettingsError, deployment_variables, load_settings
from services.gateway.settings import GatewaySettings
from services.gradebook.settings import GradebookSettings

pytestmark = pytest.mark.unit

ADDRESSES = {
    "EJOURNAL_GRADEBOOK_DATABASE_URL": "postgresql+psycopg://ejournal_gradebook@db/ejournal_gradebook",
    "EJOURNAL_GRADEBOOK_NATS_URL": "nats://nats:4222",
    "EJOURNAL_GRADEBOOK_IDENTITY_ADDRESS": "identity:50051",
    "EJOURNAL_GRADEBOOK_CURRICULUM_ADDRESS": "curriculum:50052",
}


@pytest.fixture(autouse=True)
def gradebook_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*ADDRESSES, "EJOURNAL_GRADEBOOK_GRPC_PORT", "EJOURNAL_GRADEBOOK_LOG_LEVEL"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in ADDRESSES.items():
        monkeypatch.setenv(name, value)


def test_where_other_parts_live_has_no_default_and_a_missing_one_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(GradebookSettings)
    assert settings.grpc_port == 50053
    assert settings.curriculum_address == "curriculum:50052"
    monkeypatch.delenv("EJOURNAL_GRADEBOOK_CURRICULUM_ADDRESS")
    monkeypatch.delenv("EJOURNAL_GRADEBOOK_NATS_URL")
    with pytest.raises(SettingsError) as raised:
        load_settings(GradebookSettings)
    assert "EJOURNAL_GRADEBOOK_CURRICULUM_ADDRESS" in str(raised.value)
    assert "EJOURNAL_GRADEBOOK_NATS_URL" in str(raised.value)
    for service in SERVICES:
        monkeypatch.delenv(f"EJOURNAL_GATEWAY_{service.upper()}_ADDRESS", raising=False)
    with pytest.raises(SettingsError, match="EJOURNAL_GATEWAY_WORKFLOW_ADDRESS"):
        load_settings(GatewaySettings)


def test_a_deployment_must_set_the_addresses_and_the_fields_marked_for_it() -> None:
    needed = deployment_variables(GradebookSettings)
    assert set(ADDRESSES) <= needed  # no default
    # Defaults that suit a developer's machine only: where to listen, the probes' port, its secret.
    assert {"EJOURNAL_GRADEBOOK_GRPC_HOST", "EJOURNAL_GRADEBOOK_HEALTH_PORT"} <= needed
    assert "EJOURNAL_GRADEBOOK_SERVICE_SECRET" in needed
    assert "EJOURNAL_GRADEBOOK_LOG_LEVEL" not in needed  # a default that suits everywhere
    assert {f"EJOURNAL_GATEWAY_{s.upper()}_ADDRESS" for s in SERVICES} <= deployment_variables(
        GatewaySettings
    )


def test_environment_overrides_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_GRADEBOOK_GRPC_PORT", "61000")
    assert load_settings(GradebookSettings).grpc_port == 61000


def test_a_bad_value_stops_the_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EJOURNAL_GRADEBOOK_GRPC_PORT", "not-a-port")
    monkeypatch.setenv("EJOURNAL_GRADEBOOK_LOG_LEVEL", "LOUD")
    with pytest.raises(SettingsError) as raised:
        load_settings(GradebookSettings)
    message = str(raised.value)
    assert "EJOURNAL_GRADEBOOK_GRPC_PORT" in message and "not-a-port" in message
    assert "EJOURNAL_GRADEBOOK_LOG_LEVEL" in message
    assert "EJOURNAL_GRADEBOOK_GRPC_PORT" in capsys.readouterr().err
