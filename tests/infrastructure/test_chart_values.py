"""Our Helm values for the engines set only keys their charts know (issue 18). Helm ignores a key the
chart does not read, so a misspelt or retired key would silently leave a chart default in place (a
NATS without JetStream, Temporal on its own Cassandra). The charts' own values.yaml are vendored in
deploy/k8s/chart-schemas (see its README for versions); the charts ship no values.schema.json."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.infrastructure.k8s import K8S

pytestmark = pytest.mark.unit

VALUES = {
    "engines/nats-values.yaml": "chart-schemas/nats-values.yaml",
    "engines/nats-values-small.yaml": "chart-schemas/nats-values.yaml",
    "engines/temporal-values.yaml": "chart-schemas/temporal-values.yaml",
}
# Keys the chart reads although its defaults leave them out, each with where it reads them.
READ_THOUGH_NOT_DEFAULTED = {
    "server.config.persistence.default.sql.tls": "temporal 0.72.0 passes the sql map to the server's "
    "config (templates/server-configmap.yaml) and its schema jobs read .tls (_admintools-env.yaml)",
    "server.config.persistence.visibility.sql.tls": "likewise, for the visibility store",
}


def unknown_keys(ours: dict[str, Any], chart: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths in `ours` the chart's defaults do not have. Below a default that is an empty map
    (a free-form one, e.g. nats' `merge`) anything goes."""
    found = []
    for key, value in ours.items():
        where = (*path, str(key))
        if not isinstance(chart, dict) or key not in chart:
            found.append(".".join(where))
        elif isinstance(value, dict) and isinstance(chart[key], dict) and chart[key]:
            found += unknown_keys(value, chart[key], where)
    return found


def load(relative: str) -> Any:
    return yaml.safe_load((K8S / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize("ours", sorted(VALUES))
def test_every_key_of_our_values_is_one_the_chart_has(ours: str) -> None:
    unknown = [k for k in unknown_keys(load(ours), load(VALUES[ours])) if k not in READ_THOUGH_NOT_DEFAULTED]
    assert unknown == [], f"{ours}: keys the chart does not know (Helm would ignore them)"


def test_a_misspelt_key_is_caught() -> None:
    ours = load("engines/nats-values.yaml")
    ours["config"]["jetstream"]["fileStorage"] = ours["config"]["jetstream"].pop("fileStore")
    assert unknown_keys(ours, load(VALUES["engines/nats-values.yaml"])) == ["config.jetstream.fileStorage"]


def test_the_exceptions_are_still_needed() -> None:
    """An exception for a key the chart now defaults (or we no longer set) is stale."""
    chart, ours = load(VALUES["engines/temporal-values.yaml"]), load("engines/temporal-values.yaml")
    for key in READ_THOUGH_NOT_DEFAULTED:
        assert key in unknown_keys(ours, chart), key
