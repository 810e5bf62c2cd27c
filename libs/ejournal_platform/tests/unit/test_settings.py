import pytest

from ejournal_platform.settings import SettingsError, load_settings
from services.gateway.settings import GatewaySettings
from services.gradebook.settings import GradebookSettings

pytestmark = pytest.mark.unit


def test_defaults_fit_the_local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EJOURNAL_GRADEBOOK_GRPC_PORT", raising=False)
    settings = load_settings(GradebookSettings)
    assert settings.grpc_port == 50053
    assert settings.database_url.endswith("/ejournal_gradebook")
    assert load_settings(GatewaySettings).port == 8080


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
