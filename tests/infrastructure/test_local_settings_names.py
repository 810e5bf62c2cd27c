"""The local stack gives each service the settings names the cluster gives it (issue 18): every
variable the launcher sets names a field of the service's settings class (pydantic-settings ignores
an unknown name, so a misspelt one would silently leave a default in place), every field the service
cannot start without is set, and whatever the cluster's Deployment sets for the service is set locally
too, apart from what only a cluster has (listed below, with why)."""

from __future__ import annotations

import pytest

from deploy.local.launcher import LauncherSettings, Stack
from deploy.local.servers import NatsServer, TemporalDevServer
from ejournal_platform.services import SERVICES
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES
from tests.infrastructure.k8s import Manifest, rendered
from tests.infrastructure.test_k8s_manifests import environment, main_container, settings_class

pytestmark = pytest.mark.unit
# Set by the cluster only, each with why the local stack leaves the default.
CLUSTER_ONLY = {
    "GRPC_HOST": "a pod listens on 0.0.0.0; locally 127.0.0.1 (the default) keeps it off the network",
    "STREAM_REPLICAS": "one local nats-server: 1, the default",
    "NATS_CA_FILE": "the local nats-server listens on 127.0.0.1 only: no network to protect, plain NATS",
    "NATS_CERT_FILE": "likewise: no TLS, so no client certificate",
    "NATS_KEY_FILE": "likewise",
    "ALLOW_LOOPBACK_HTTP": "a cluster refuses loopback webhooks; locally test receivers run on 127.0.0.1",
    "TEMPORAL_NAMESPACE": "the launcher's dev server makes the default namespace, ejournal",
    "TEMPORAL_TLS": "the local dev server has no TLS (false, the default)",
    "TEMPORAL_API_KEY": "Temporal Cloud's key; the local dev server takes none",
    "UNIVERSITY_NAME": "the demo university's name is the default",
    "TIME_ZONE": "the demo runs in the default zone",
    "UTC_OFFSET_HOURS": "likewise",
    "SMTP_SECURITY": "the local mail server speaks plain SMTP (the default for 127.0.0.1)",
    "SMTP_USERNAME": "the local mail server takes no login",
    "SMTP_PASSWORD": "likewise",
    "MAIL_FROM": "the default sender",
    "TELEGRAM_API_URL": "no bot locally",
    "HOST": "the gateway's pod listens on 0.0.0.0; locally 127.0.0.1, the default",
    "TSA_URL": "no timestamp authority locally: statements are signed without a timestamp",
    "EXPORT_NATS_URL": "the local stack runs no export NATS: NATS subscribers are refused, webhooks work",
    "EXPORT_ACCOUNT": "likewise",
    "EXPORT_SIGNING_SEED": "likewise",
    "METRICS_PORT": "subscribers' own metrics listener (no token) is left off locally",
}


@pytest.fixture(scope="module")
def environments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    home = tmp_path_factory.mktemp("home")
    stack = Stack(LauncherSettings.model_validate({"home": home}))
    stack.home.mkdir(parents=True, exist_ok=True)
    stack.logs.mkdir(parents=True, exist_ok=True)
    s = stack.settings
    stack.nats = NatsServer(home / "nats", s.nats_port, s.nats_monitor_port, stack.logs / "nats.log")
    stack.temporal = TemporalDevServer(
        home / "temporal.db",
        s.temporal_port,
        s.temporal_ui_port,
        NAMESPACE,
        SEARCH_ATTRIBUTES,
        stack.logs / "t.log",
    )
    return stack.environments(lambda database: f"postgresql+psycopg://role:secret@127.0.0.1:5432/{database}")


def field_names(name: str, required_only: bool = False) -> set[str]:
    cls = settings_class(name)
    prefix = str(cls.model_config.get("env_prefix", "")).upper()
    return {
        prefix + f.upper() for f, info in cls.model_fields.items() if info.is_required() or not required_only
    }


@pytest.mark.parametrize("name", [*SERVICES, "gateway"])
def test_the_launcher_sets_only_names_of_the_settings_class_and_every_one_needed(
    name: str, environments: dict[str, dict[str, str]]
) -> None:
    given = set(environments[name]) - {"EJOURNAL_LOG_FORMAT"}  # every process's, the platform's own
    assert given - field_names(name) == set(), f"{name}: names its settings do not read"
    required = field_names(name, required_only=True)
    assert required <= given, f"{name}: the launcher does not set {sorted(required - given)}"


@pytest.mark.parametrize("name", [*SERVICES, "gateway"])
def test_what_the_cluster_sets_the_launcher_sets_too(
    name: str, environments: dict[str, dict[str, str]]
) -> None:
    manifests: list[Manifest] = rendered("overlays/small")
    cluster = set(environment(main_container(manifests, name), manifests)) & field_names(name)
    prefix = str(settings_class(name).model_config.get("env_prefix", "")).upper()
    missing = {v for v in cluster - set(environments[name]) if v.removeprefix(prefix) not in CLUSTER_ONLY}
    assert missing == set(), f"{name}: the cluster sets {sorted(missing)}, the local stack does not"


def test_the_cluster_only_list_has_no_stale_entry(environments: dict[str, dict[str, str]]) -> None:
    manifests: list[Manifest] = rendered("overlays/small")
    used = set()
    for name in [*SERVICES, "gateway"]:
        prefix = str(settings_class(name).model_config.get("env_prefix", "")).upper()
        cluster = set(environment(main_container(manifests, name), manifests)) - set(environments[name])
        used |= {v.removeprefix(prefix) for v in cluster}
    assert set(CLUSTER_ONLY) - used == set()
