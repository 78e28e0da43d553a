"""The JSON shapes the API returns (OpenAPI 3.1 schemas), referenced from ``openapi.py``."""

from planvoice.performance.figures import MEDIAN_DAYS, N_KEYS, P90_DAYS, ROW_RATES


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(type_: str) -> dict:
    return {"type": [type_, "null"]}


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
            "number": nullable("string") | {"description": "Label as written, e.g. (一)"},
            "title": {"type": "string"},
        },
    },
    "Section": {
        "allOf": [ref("SectionRef")],
        "type": "object",
        "required": ["url", "api_url"],
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "api_url": {"type": "string", "format": "uri"},
            "measure_count": {"type": "integer"},
        },
    },
    "Plan": {
        "allOf": [ref("PlanRef")],
        "type": "object",
        "required": ["published", "source", "intro", "sections"],
        "properties": {
            "published": nullable("string") | {"format": "date"},
            "source": nullable("string"),
            "intro": {"type": "array", "items": {"type": "string"}},
            "sections": {"type": "array", "items": ref("Section")},
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
            "comparator": {
                "enum": [
                    "at_least",
                    "reach",
                    "at_most",
                    "increase",
                    "decrease",
                    "annual_growth",
                    "about",
                ]
            },
            "deadline": nullable("integer") | {"description": "Year the plan sets, if any"},
        },
    },
    "Measure": {
        "type": "object",
        "required": ["id", "key", "title", "section", "group", "url", "targets"],
        "properties": {
            "id": {"type": "integer"},
            "key": {"type": "string", "description": "Stable across re-imports"},
            "title": {"type": "string"},
            "section": ref("SectionRef"),
            "group": nullable("string"),
            "url": {"type": "string", "format": "uri"},
            "targets": {"type": "array", "items": ref("Target")},
        },
    },
    "MeasureDetail": {
        "allOf": [ref("Measure")],
        "type": "object",
        "required": ["text", "has_text", "is_retired", "plan", "previous", "next"],
        "properties": {
            "text": {"type": "string"},
            "has_text": {"type": "boolean"},
            "is_retired": {"type": "boolean"},
            "plan": ref("PlanRef"),
            "previous": nullable("integer"),
            "next": nullable("integer"),
            "report_count": {"type": "integer", "description": "Public reports about it"},
            "rating": ref("RatingSummary"),
            "comment_count": {
                "type": "integer",
                "description": "Published comments and replies",
            },
            "comments": {
                "type": "array",
                "items": ref("Comment"),
                "description": "Published comments, oldest first, 50 at a time",
            },
            "comments_next": nullable("string")
            | {"format": "uri", "description": "The next page of comments, if any"},
        },
    },
    "RatingSummary": {
        "type": "object",
        "required": ["count", "mean", "distribution"],
        "properties": {
            "count": {"type": "integer"},
            "mean": nullable("number") | {"description": "Average rating, 1 to 5"},
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
        "allOf": [ref("CommentBase")],
        "type": "object",
        "required": ["replies"],
        "properties": {"replies": {"type": "array", "items": ref("CommentBase")}},
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
            "media_url",
            "support_count",
            "status",
            "satisfaction",
            "solved",
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
            "measure": nullable("integer") | {"description": "Id of the measure concerned"},
            "description": {"type": "string"},
            "area": {
                "type": ["object", "null"],
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "address": nullable("string"),
            "lat": nullable("number") | {"description": "Rounded to about 100 m"},
            "lng": nullable("number") | {"description": "Rounded to about 100 m"},
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
            "media_url": nullable("string")
            | {"description": "A photo the Open311 app that filed it holds (a link as given)"},
            "support_count": {"type": "integer", "minimum": 0},
            "status": {"type": "string"},
            "satisfaction": {
                "enum": ["satisfied", "basically_satisfied", "not_satisfied", None],
                "description": "The resident's word on the latest fix",
            },
            "solved": {
                "type": ["boolean", "null"],
                "description": "Whether the resident says the problem was solved by the latest "
                "fix (null: not answered yet)",
            },
            "bureau": {
                "type": ["object", "null"],
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                "description": "The bureau the report is routed to, once it is",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "published_at": nullable("string") | {"format": "date-time"},
        },
    },
    "ReportDetail": {
        "allOf": [ref("Report")],
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
                        "note": nullable("string"),
                        "bureau": nullable("string") | {"description": "Code, for routed"},
                    },
                },
            }
        },
    },
    "SectionDetail": {
        "allOf": [ref("Section")],
        "type": "object",
        "required": ["plan", "measures"],
        "properties": {
            "plan": ref("PlanRef"),
            "measures": {"type": "array", "items": ref("Measure")},
        },
    },
}


RATE = {
    "type": ["number", "null"],
    "minimum": 0,
    "maximum": 1,
    "description": "Share of the cases counted (see n); null when fewer than 5",
}
DAYS = {"type": ["number", "null"], "minimum": 0, "description": "Working days; null under 5"}
BUREAU_REF = {
    "type": ["object", "null"],
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
VALUE_ON = {
    "type": ["object", "null"],
    "required": ["value", "date"],
    "properties": {"value": {"type": "number"}, "date": {"type": "string", "format": "date"}},
}
TARGET_STATES = ["not_started", "on_track", "behind", "achieved", "overdue"]
_TARGET_FIELDS = {
    "id": {"type": "integer"},
    "measure": {"type": "integer", "description": "The measure's id"},
    "subject": {"type": "string"},
    "value": {"type": "number"},
    "unit": {"type": "string"},
    "comparator": {"type": "string"},
    "deadline": {"type": ["integer", "null"], "description": "Year (the plan's end if unsaid)"},
    "owner": BUREAU_REF | {"description": "The bureau that reports progress"},
    "baseline": VALUE_ON,
    "latest": VALUE_ON | {"description": "The latest value that no correction replaced"},
    "state": {"enum": TARGET_STATES},
}

SCHEMAS |= {
    "PerformanceRow": {
        "type": "object",
        "required": [
            "code",
            "name",
            "cases",
            *ROW_RATES,
            *MEDIAN_DAYS,
            "overdue_now",
            "n",
        ],  # fmt: skip
        "properties": {
            "code": {"type": "string", "description": "Bureau code or street code"},
            "name": {"type": "string"},
            "cases": {"type": "integer", "description": "Routings in the window"},
            **dict.fromkeys(ROW_RATES, RATE),
            **dict.fromkeys(MEDIAN_DAYS + P90_DAYS, DAYS),
            "overdue_now": {"type": "integer", "minimum": 0},
            "n": {
                "type": "object",
                "required": list(N_KEYS),
                "properties": dict.fromkeys(N_KEYS, {"type": "integer", "minimum": 0}),
            },
            "rank": {"type": ["integer", "null"], "description": "By the mean of the rates"},
        },
    },
    "Scorecard": {
        "type": "object",
        "required": ["window", "group", "rows"],
        "properties": {
            "window": {"type": "string"},
            "group": {"enum": ["bureau", "area"]},
            "stored": {"type": "boolean", "description": "A closed month, read from the store"},
            "rows": {"type": "array", "items": ref("PerformanceRow")},
        },
    },
    "TrackedTarget": {
        "type": "object",
        "required": [*_TARGET_FIELDS, "history_url"],
        "properties": _TARGET_FIELDS | {"history_url": {"type": "string", "format": "uri"}},
    },
    "TrackedTargetDetail": {
        "type": "object",
        "required": [*_TARGET_FIELDS, "progress"],
        "properties": _TARGET_FIELDS
        | {
            "progress": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "value", "note", "evidence_url", "author", "supersedes"],
                    "properties": {
                        "id": {"type": "integer"},
                        "date": {"type": "string", "format": "date"},
                        "value": {"type": "number"},
                        "note": {"type": "string"},
                        "evidence_url": nullable("string") | {"format": "uri"},
                        "author": {"type": "string"},
                        "supersedes": {"type": ["integer", "null"], "description": "Entry id"},
                    },
                },
            }
        },
    },
}
