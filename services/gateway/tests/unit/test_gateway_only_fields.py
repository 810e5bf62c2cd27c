"""Fields marked (ejournal.api.v1.gateway_only) are between the gateway and a service: the OpenAPI
document does not show them, a client cannot set them, and the gateway itself sets a request's flags
(the grid's cells asked as JSON, also for the If-Match read of a save, so both ETags are of one form)."""

from __future__ import annotations

import orjson
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gateway.app import create_app
from services.gateway.rpc_routes import etag_of, gateways_form
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit


def test_the_openapi_document_shows_no_gateway_only_field() -> None:
    document = orjson.dumps(create_app(gateway_settings()).openapi()).decode()
    for name in ("cells_as_json", "cells_json", "attendance_json"):
        assert name not in document
    grid = create_app(gateway_settings()).openapi()["paths"]["/api/v1/journals/{journal_id}/grid"]["get"]
    assert [p["name"] for p in grid["parameters"]] == ["journal_id"]


def test_the_gateway_asks_for_its_own_form_on_every_grid_read() -> None:
    asked = gateways_form(pb.GetJournalGridRequest(journal_id="j"))
    assert asked.cells_as_json and asked.journal_id == "j"
    # A request without gateway-only flags is left as it is.
    assert gateways_form(pb.WriteMarksRequest(journal_id="j")) == pb.WriteMarksRequest(journal_id="j")


def test_a_grid_in_either_form_has_an_etag_that_follows_its_cells() -> None:
    one = pb.GetJournalGridResponse(
        cells_json=b'[{"column_id":"c","student_id":"s","value":"5","version":"1"}]'
    )
    two = pb.GetJournalGridResponse(
        cells_json=b'[{"column_id":"c","student_id":"s","value":"4","version":"2"}]'
    )
    assert etag_of(one) != etag_of(two) and etag_of(one) == etag_of(
        pb.GetJournalGridResponse.FromString(one.SerializeToString())
    )
