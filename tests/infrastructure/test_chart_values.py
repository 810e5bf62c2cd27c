"""Our Helm values for the engines set only keys their charts know (issue 18). Helm ignores a key the
chart does not read, so a misspelt or retired key would silently leave a chart default in place (a
NATS without JetStream, Temporal on its default store). The charts are vendored in deploy/k8s/charts
(see its README for versions); they ship no values.schema.json, so their values.yaml is the schema.
tests/infrastructure/test_chart_render.py renders them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.infrastructure.k8s import K8S

pytestmark = pytest.mark.unit

VALUES = {
    "engines/nats-values.yaml": "charts/nats/values.yaml",
    "engines/nats-values-small.yaml": "charts/nats/values.yaml",
    "engines/temporal-values.yaml": "charts/temporal/values.yaml",
    "engines/temporal-values-ha.yaml": "charts/temporal/values.yaml",
}
# Temporal 1.x leaves each datastore empty (`default:` with a commented example): the store's map is
# the Temporal server's own SQL configuration plus the chart's keys, so it is checked against those
# here instead of letting anything through. From the commented example in the chart's values.yaml
# (server.config.persistence.datastores) and templates/_helpers.tpl (temporal.persistence.filterConfig).
SQL_STORE_KEYS = {
    # the Temporal server's persistence.datastores.<store>.sql
    "pluginName", "databaseName", "connectAddr", "connectProtocol", "host", "port", "user", "password",
    "passwordCommand", "maxConns", "maxIdleConns", "maxConnLifetime", "connectAttributes", "tls",
    # the chart's own, stripped before the server sees them
    "createDatabase", "manageSchema", "existingSecret", "secretKey",
}  # fmt: skip
SQL_TLS_KEYS = {"enabled", "caFile", "certFile", "keyFile", "serverName", "enableHostVerification"}
FREE_FORM = {
    "server.config.persistence.datastores.default": {"sql"},
    "server.config.persistence.datastores.visibility": {"sql"},
    "server.config.persistence.datastores.default.sql": SQL_STORE_KEYS,
    "server.config.persistence.datastores.visibility.sql": SQL_STORE_KEYS,
    "server.config.persistence.datastores.default.sql.tls": SQL_TLS_KEYS,
    "server.config.persistence.datastores.visibility.sql.tls": SQL_TLS_KEYS,
}


def unknown_keys(ours: dict[str, Any], chart: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths in `ours` the chart's defaults do not have. Below a default that is an empty map
    (a free-form one, e.g. nats' `merge`) anything goes, unless FREE_FORM names what it may hold."""
    found = []
    for key, value in ours.items():
        where = (*path, str(key))
        allowed = FREE_FORM.get(".".join(path))
        if allowed is not None:
            if key not in allowed:
                found.append(".".join(where))
            elif isinstance(value, dict):
                found += unknown_keys(value, {}, where)
        elif not isinstance(chart, dict) or key not in chart:
            found.append(".".join(where))
        elif isinstance(value, dict) and isinstance(chart[key], dict) and chart[key]:
            found += unknown_keys(value, chart[key], where)
        elif isinstance(value, dict) and ".".join(where) in FREE_FORM:
            found += unknown_keys(value, {}, where)
    return found


def load(relative: str) -> Any:
    return yaml.safe_load((K8S / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize("ours", sorted(VALUES))
def test_every_key_of_our_values_is_one_the_chart_has(ours: str) -> None:
    unknown = unknown_keys(load(ours), load(VALUES[ours]))
    assert unknown == [], f"{ours}: keys the chart does not know (Helm would ignore them)"


def test_a_misspelt_key_is_caught() -> None:
    ours = load("engines/nats-values.yaml")
    ours["config"]["jetstream"]["fileStorage"] = ours["config"]["jetstream"].pop("fileStore")
    assert unknown_keys(ours, load(VALUES["engines/nats-values.yaml"])) == ["config.jetstream.fileStorage"]


def test_a_misspelt_key_inside_a_temporal_datastore_is_caught() -> None:
    """The chart's own datastores are empty maps: without FREE_FORM anything would pass below them."""
    ours = load("engines/temporal-values.yaml")
    store = ours["server"]["config"]["persistence"]["datastores"]["visibility"]["sql"]
    store["maxConnections"] = store.pop("maxConns")
    store["tls"]["verifyHost"] = True
    assert unknown_keys(ours, load(VALUES["engines/temporal-values.yaml"])) == [
        "server.config.persistence.datastores.visibility.sql.tls.verifyHost",
        "server.config.persistence.datastores.visibility.sql.maxConnections",
    ]


def test_the_free_form_paths_are_still_free_form_in_the_chart() -> None:
    """A FREE_FORM entry for a path the chart now defaults (or no longer has) is stale."""
    chart = load(VALUES["engines/temporal-values.yaml"])
    for path in FREE_FORM:
        node = chart
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        assert not node, f"{path}: the chart has defaults there now ({node!r}); check against them"
