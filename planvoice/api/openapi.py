"""The OpenAPI 3.1 description of ``/api/v1/`` (served at ``/api/v1/openapi.json``)."""

from flask import url_for

from planvoice.api.schemas import SCHEMAS, nullable, ref
from planvoice.core.params import MAX_ID


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NOT_FOUND = {"404": _json(ref("Error"), "No such object")}
# Any URL holding a NUL character is refused (core.security), as is an id past its bounds.
BAD_PARAMETER = {"400": _json(ref("Error"), "A parameter is not an id, or holds a NUL")}
TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}
# Ids are the database's signed 64-bit keys: larger numbers are no id at all.
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "schema": TEXT, "description": description}


def _id_query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "schema": ID, "description": description}


PERFORMANCE_PARAMETERS = [
    {
        "name": "group",
        "in": "query",
        "description": "bureau (default) or area (streets and towns)",
        "schema": {"enum": ["bureau", "area"]},
    },
    {
        "name": "window",
        "in": "query",
        "description": "30d, 90d, 365d, or a calendar month YYYY-MM (default: this month)",
        "schema": {
            "anyOf": [
                {"enum": ["30d", "90d", "365d"]},
                {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"},
            ]
        },
    },
]

PATHS = {
    "/plans": {
        "get": {
            "summary": "All plans with their sections",
            "operationId": "listPlans",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["plans"],
                        "properties": {"plans": {"type": "array", "items": ref("Plan")}},
                    },
                    "The plans",
                )
            },
        }
    },
    "/sections/{section_id}": {
        "get": {
            "summary": "One section with its measures",
            "operationId": "showSection",
            "parameters": [_id_parameter("section_id")],
            "responses": {"200": _json(ref("SectionDetail"), "The section")} | NOT_FOUND,
        }
    },
    "/measures": {
        "get": {
            "summary": "Current measures in plan order",
            "operationId": "listMeasures",
            "parameters": [
                _query("plan", "Only the plan with this slug"),
                _id_query("section", "Only the section with this id"),
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["measures"],
                        "properties": {"measures": {"type": "array", "items": ref("Measure")}},
                    },
                    "The measures",
                )
            }
            | NOT_FOUND,
        }
    },
    "/measures/{measure_id}": {
        "get": {
            "summary": "One measure with its text, targets, ratings and published comments",
            "operationId": "showMeasure",
            "parameters": [
                _id_parameter("measure_id"),
                _query("after", "Cursor of the comments page to continue from"),
            ],
            "responses": {"200": _json(ref("MeasureDetail"), "The measure")} | NOT_FOUND,
        }
    },
    "/ranking": {
        "get": {
            "summary": "Rated measures by resident priority (Bayesian average)",
            "operationId": "showRanking",
            "parameters": [_id_query("section", "Only the measures of the section with this id")],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["ranking"],
                        "properties": {"ranking": {"type": "array", "items": ref("RankedMeasure")}},
                    },
                    "The ranking",
                )
            },
        }
    },
    "/reports": {
        "get": {
            "summary": "Public reports of local problems, newest first, 20 at a time",
            "operationId": "listReports",
            "parameters": [
                _query("category", "Category code, e.g. bare_ground"),
                _query("area", "Area code (a street includes its communities)"),
                _query("status", "Only reports in this status"),
                _id_query("measure", "Only reports about the measure with this id"),
                _id_query("before", "Continue after this report (see next)"),
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["reports", "next"],
                        "properties": {
                            "reports": {"type": "array", "items": ref("Report")},
                            "next": nullable("string") | {"format": "uri"},
                        },
                    },
                    "The reports",
                )
            },
        }
    },
    "/reports/{code}": {
        "get": {
            "summary": "One public report by its tracking code, with its timeline",
            "operationId": "showReport",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": TEXT}],
            "responses": {"200": _json(ref("ReportDetail"), "The report")} | NOT_FOUND,
        }
    },
    "/performance": {
        "get": {
            "summary": "The scorecard: how each bureau or street answered residents' reports",
            "operationId": "showPerformance",
            "parameters": PERFORMANCE_PARAMETERS,
            "responses": {"200": _json(ref("Scorecard"), "One row per bureau or street")},
        }
    },
    "/performance.csv": {
        "get": {
            "summary": "The same scorecard as CSV",
            "operationId": "downloadPerformance",
            "parameters": PERFORMANCE_PARAMETERS,
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": TEXT}}}},
        }
    },
    "/targets": {
        "get": {
            "summary": "The plan's targets with their owner, state and latest value",
            "operationId": "listTargets",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["targets"],
                        "properties": {"targets": {"type": "array", "items": ref("TrackedTarget")}},
                    },
                    "The targets",
                )
            },
        }
    },
    "/targets/{target_id}": {
        "get": {
            "summary": "One target with its history of progress entries",
            "operationId": "showTarget",
            "parameters": [_id_parameter("target_id")],
            "responses": {"200": _json(ref("TrackedTargetDetail"), "The target")} | NOT_FOUND,
        }
    },
}

for _operations in PATHS.values():
    for _operation in _operations.values():
        _operation["responses"] |= BAD_PARAMETER


def build_openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PlanVoice API",
            "version": "1.0.0",
            "description": (
                "Read-only open data: plans, sections, measures and their targets with their "
                "progress, residents' priority ratings, published comments, public reports of "
                "local problems, and the scorecard of how bureaus and streets answer them."
            ),
        },
        "servers": [{"url": url_for("api.list_plans", _external=True).removesuffix("/plans")}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
