"""The OpenAPI 3.1 description of ``/api/v1/`` (served at ``/api/v1/openapi.json``)."""

from flask import url_for

from planvoice.api.schemas import SCHEMAS, nullable, ref


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NOT_FOUND = {"404": _json(ref("Error"), "No such object")}


def _id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _query(name: str, type_: str, description: str) -> dict:
    return {"name": name, "in": "query", "schema": {"type": type_}, "description": description}


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
                {
                    "name": "plan",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only the plan with this slug",
                },
                {
                    "name": "section",
                    "in": "query",
                    "schema": {"type": "integer"},
                    "description": "Only the section with this id",
                },
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
                {
                    "name": "after",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Cursor of the comments page to continue from",
                },
            ],
            "responses": {"200": _json(ref("MeasureDetail"), "The measure")} | NOT_FOUND,
        }
    },
    "/ranking": {
        "get": {
            "summary": "Rated measures by resident priority (Bayesian average)",
            "operationId": "showRanking",
            "parameters": [
                {
                    "name": "section",
                    "in": "query",
                    "schema": {"type": "integer"},
                    "description": "Only the measures of the section with this id",
                }
            ],
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
                _query("category", "string", "Category code, e.g. bare_ground"),
                _query("area", "string", "Area code (a street includes its communities)"),
                _query("status", "string", "Only reports in this status"),
                _query("measure", "integer", "Only reports about the measure with this id"),
                _query("before", "integer", "Continue after this report (see next)"),
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
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": _json(ref("ReportDetail"), "The report")} | NOT_FOUND,
        }
    },
}


def build_openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PlanVoice API",
            "version": "1.0.0",
            "description": (
                "Read-only open data: plans, sections, measures and their targets, residents' "
                "priority ratings, published comments and public reports of local problems."
            ),
        },
        "servers": [{"url": url_for("api.list_plans", _external=True).removesuffix("/plans")}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
