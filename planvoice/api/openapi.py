"""The OpenAPI 3.1 description of ``/api/v1/`` (served at ``/api/v1/openapi.json``)."""

from flask import url_for


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_: str) -> dict:
    return {"type": [type_, "null"]}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NOT_FOUND = {"404": _json(_ref("Error"), "No such object")}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
            }
        },
    },
    "PlanRef": {
        "type": "object",
        "required": ["id", "slug", "title", "url"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "SectionRef": {
        "type": "object",
        "required": ["id", "number", "title"],
        "properties": {
            "id": {"type": "integer"},
            "number": _nullable("string") | {"description": "Label as written, e.g. (一)"},
            "title": {"type": "string"},
        },
    },
    "Section": {
        "allOf": [_ref("SectionRef")],
        "type": "object",
        "required": ["url", "api_url"],
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "api_url": {"type": "string", "format": "uri"},
            "measure_count": {"type": "integer"},
        },
    },
    "Plan": {
        "allOf": [_ref("PlanRef")],
        "type": "object",
        "required": ["published", "source", "intro", "sections"],
        "properties": {
            "published": _nullable("string") | {"format": "date"},
            "source": _nullable("string"),
            "intro": {"type": "array", "items": {"type": "string"}},
            "sections": {"type": "array", "items": _ref("Section")},
        },
    },
    "Target": {
        "type": "object",
        "required": ["id", "text", "value", "unit", "subject", "comparator", "deadline"],
        "properties": {
            "id": {"type": "integer"},
            "text": {"type": "string", "description": "The exact words of the plan"},
            "value": {"type": "number"},
            "unit": {"type": "string"},
            "subject": {"type": "string"},
            "comparator": {"enum": ["at_least", "reach", "at_most", "increase"]},
            "deadline": _nullable("integer") | {"description": "Year the plan sets, if any"},
        },
    },
    "Measure": {
        "type": "object",
        "required": ["id", "key", "title", "section", "group", "url", "targets"],
        "properties": {
            "id": {"type": "integer"},
            "key": {"type": "string", "description": "Stable across re-imports"},
            "title": {"type": "string"},
            "section": _ref("SectionRef"),
            "group": _nullable("string"),
            "url": {"type": "string", "format": "uri"},
            "targets": {"type": "array", "items": _ref("Target")},
        },
    },
    "MeasureDetail": {
        "allOf": [_ref("Measure")],
        "type": "object",
        "required": ["text", "has_text", "is_retired", "plan", "previous", "next"],
        "properties": {
            "text": {"type": "string"},
            "has_text": {"type": "boolean"},
            "is_retired": {"type": "boolean"},
            "plan": _ref("PlanRef"),
            "previous": _nullable("integer"),
            "next": _nullable("integer"),
            "report_count": {"type": "integer", "description": "Public reports about it"},
            "rating": _ref("RatingSummary"),
            "comment_count": {
                "type": "integer",
                "description": "Published comments and replies",
            },
            "comments": {
                "type": "array",
                "items": _ref("Comment"),
                "description": "Published comments, oldest first, 50 at a time",
            },
            "comments_next": _nullable("string")
            | {"format": "uri", "description": "The next page of comments, if any"},
        },
    },
    "RatingSummary": {
        "type": "object",
        "required": ["count", "mean", "distribution"],
        "properties": {
            "count": {"type": "integer"},
            "mean": _nullable("number") | {"description": "Average rating, 1 to 5"},
            "distribution": {
                "type": "object",
                "required": ["1", "2", "3", "4", "5"],
                "properties": {str(value): {"type": "integer"} for value in range(1, 6)},
                "additionalProperties": False,
            },
        },
    },
    "CommentBase": {
        "type": "object",
        "required": ["id", "author", "body", "published_at"],
        "properties": {
            "id": {"type": "integer"},
            "author": {"type": "string", "description": "Name or nickname shown on the page"},
            "body": {"type": "string", "description": "Plain text"},
            "published_at": {"type": "string", "format": "date-time"},
        },
    },
    "Comment": {
        "allOf": [_ref("CommentBase")],
        "type": "object",
        "required": ["replies"],
        "properties": {"replies": {"type": "array", "items": _ref("CommentBase")}},
    },
    "RankedMeasure": {
        "type": "object",
        "required": ["rank", "measure", "score", "mean", "count"],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "measure": {
                "type": "object",
                "required": ["id", "key", "title", "url"],
                "properties": {
                    "id": {"type": "integer"},
                    "key": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            "score": {
                "type": "number",
                "description": "Bayesian average: (5 × mean of all ratings + total) / (5 + count)",
            },
            "mean": {"type": "number"},
            "count": {"type": "integer", "minimum": 1},
        },
    },
    "Report": {
        "type": "object",
        "required": [
            "code",
            "url",
            "category",
            "measure",
            "description",
            "area",
            "address",
            "lat",
            "lng",
            "photos",
            "support_count",
            "status",
            "bureau",
            "created_at",
            "published_at",
        ],
        "properties": {
            "code": {"type": "string", "description": "Tracking code, e.g. EDQ-7K3M-2P"},
            "url": {"type": "string", "format": "uri"},
            "category": {
                "type": "object",
                "required": ["code", "name_zh", "name_en"],
                "properties": {k: {"type": "string"} for k in ("code", "name_zh", "name_en")},
            },
            "measure": _nullable("integer") | {"description": "Id of the measure concerned"},
            "description": {"type": "string"},
            "area": {
                "type": ["object", "null"],
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "address": _nullable("string"),
            "lat": _nullable("number") | {"description": "Rounded to about 100 m"},
            "lng": _nullable("number") | {"description": "Rounded to about 100 m"},
            "photos": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["url", "thumbnail_url"],
                    "properties": {
                        "url": {"type": "string", "format": "uri"},
                        "thumbnail_url": {"type": "string", "format": "uri"},
                    },
                },
            },
            "support_count": {"type": "integer", "minimum": 0},
            "status": {"type": "string"},
            "bureau": {
                "type": ["object", "null"],
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                "description": "The bureau the report is routed to, once it is",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "published_at": _nullable("string") | {"format": "date-time"},
        },
    },
    "ReportDetail": {
        "allOf": [_ref("Report")],
        "type": "object",
        "required": ["timeline"],
        "properties": {
            "timeline": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["status", "at", "note", "bureau"],
                    "properties": {
                        "status": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                        "note": _nullable("string"),
                        "bureau": _nullable("string") | {"description": "Code, for routed"},
                    },
                },
            }
        },
    },
    "SectionDetail": {
        "allOf": [_ref("Section")],
        "type": "object",
        "required": ["plan", "measures"],
        "properties": {
            "plan": _ref("PlanRef"),
            "measures": {"type": "array", "items": _ref("Measure")},
        },
    },
}


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
                        "properties": {"plans": {"type": "array", "items": _ref("Plan")}},
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
            "responses": {"200": _json(_ref("SectionDetail"), "The section")} | NOT_FOUND,
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
                        "properties": {"measures": {"type": "array", "items": _ref("Measure")}},
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
            "responses": {"200": _json(_ref("MeasureDetail"), "The measure")} | NOT_FOUND,
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
                        "properties": {
                            "ranking": {"type": "array", "items": _ref("RankedMeasure")}
                        },
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
                            "reports": {"type": "array", "items": _ref("Report")},
                            "next": _nullable("string") | {"format": "uri"},
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
            "responses": {"200": _json(_ref("ReportDetail"), "The report")} | NOT_FOUND,
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
