"""Ids read from URLs are whole numbers the database can hold, written plainly."""

import pytest
from flask import Blueprint, Flask, request

from planvoice.core.params import MAX_ID, init_app, parse_id


@pytest.mark.parametrize("text", ["1", "42", str(MAX_ID)])
def test_an_id_is_read(text):
    assert parse_id(text) == int(text)


@pytest.mark.parametrize(
    "text",
    ["", "0", "-1", "+1", " 1", "1 ", "1.0", "01", "null", "1e3", "١٢", str(MAX_ID + 1), "9" * 30],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_id(text)


def test_a_query_parameter_that_is_no_id_is_absent():
    app = Flask(__name__)
    with app.test_request_context("/?section=9999999999999999999999&before=7"):
        assert request.args.get("section", type=parse_id) is None
        assert request.args.get("before", type=parse_id) == 7


def _app_with_a_route() -> Flask:
    app = Flask(__name__)
    init_app(app)
    app.add_url_rule("/sections/<int:section_id>", "show", lambda section_id: str(section_id))
    return app


def test_a_path_id_beyond_the_columns_range_is_not_found():
    client = _app_with_a_route().test_client()
    assert client.get(f"/sections/{MAX_ID}").text == str(MAX_ID)
    assert client.get("/sections/65553432920359436288").status_code == 404
    assert client.get(f"/sections/{MAX_ID + 1}").status_code == 404


def test_the_converter_must_come_before_the_blueprints():
    app = Flask(__name__)
    app.register_blueprint(Blueprint("plans", __name__))
    with pytest.raises(RuntimeError):
        init_app(app)
