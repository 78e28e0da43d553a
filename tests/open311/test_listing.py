"""A client app lists public requests: by id, service, dates and status, newest first; at most
the last 90 days and 1000 requests, as the specification says."""

from datetime import timedelta, timezone

import pytest
from sqlalchemy import insert

from planvoice.bureaus.queries import get_bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.models import Report, ReportPhoto
from planvoice.reports.queries import get_area, get_category
from tests.factories import ReportFactory

NOW = utcnow()


def made(code_letter: str, category: str, status: str, days_ago: float, **fields) -> Report:
    code = f"EDQ-{code_letter * 4}-{code_letter * 2}"
    return ReportFactory(
        code=code, category=get_category(category), status=status,
        created_at=NOW - timedelta(days=days_ago), area=get_area("dongsheng"), **fields,
    )  # fmt: skip


@pytest.fixture
def requests_made(reference_data):
    """Reports of several kinds, ages and states (private ones too)."""
    return {
        "new_dust": made("A", "dust", "published", 1),
        "routed_bare": made("B", "bare_ground", "routed", 5),
        "resolved_bare": made("C", "bare_ground", "resolved", 10),
        "closed_road": made("D", "road", "closed", 30),
        "old_dust": made("E", "dust", "published", 120),
        "waiting": made("F", "dust", "submitted", 2),
        "refused": made("G", "dust", "rejected", 3),
    }


def codes(reply) -> list[str]:
    return [request["service_request_id"] for request in reply.json()]


def w3c(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def test_by_default_the_last_90_days_of_public_requests_newest_first(open311, requests_made):
    expected = [requests_made[k].code for k in ("new_dust", "routed_bare", "resolved_bare",
                                                "closed_road")]  # fmt: skip

    assert codes(open311.get("requests.json")) == expected
    root = open311.get("requests.xml").xml()
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == expected


def test_the_xml_of_a_request_has_the_specifications_elements(open311, requests_made):
    request = open311.get("requests.xml").xml().find("request")

    assert [child.tag for child in request] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    ]  # fmt: skip


def test_service_request_ids_pick_those_requests_whatever_else_is_asked(open311, requests_made):
    wanted = [requests_made[k].code for k in ("old_dust", "resolved_bare", "waiting")]
    params = {"service_request_id": ",".join(wanted), "status": "open", "service_code": "road"}

    found = codes(open311.get("requests.json", params))

    # The private one is not shown; the old one is, since ids override the date range.
    assert sorted(found) == sorted([requests_made["old_dust"].code,
                                    requests_made["resolved_bare"].code])  # fmt: skip


def test_filter_by_service_codes(open311, requests_made):
    assert codes(open311.get("requests.json", {"service_code": "bare_ground"})) == [
        requests_made["routed_bare"].code, requests_made["resolved_bare"].code,
    ]  # fmt: skip
    both = codes(open311.get("requests.json", {"service_code": "road,dust"}))
    assert both == [requests_made["new_dust"].code, requests_made["closed_road"].code]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["new_dust", "routed_bare"]),
        ("closed", ["resolved_bare", "closed_road"]),
        ("open,closed", ["new_dust", "routed_bare", "resolved_bare", "closed_road"]),
    ],
)
def test_filter_by_status(open311, requests_made, status, expected):
    found = codes(open311.get("requests.json", {"status": status}))

    assert found == [requests_made[k].code for k in expected]
    statuses = {r["status"] for r in open311.get("requests.json", {"status": status}).json()}
    assert statuses == set(status.split(","))


def test_filter_by_dates(open311, requests_made):
    between = {"start_date": w3c(12), "end_date": w3c(3)}
    assert codes(open311.get("requests.json", between)) == [
        requests_made["routed_bare"].code, requests_made["resolved_bare"].code,
    ]  # fmt: skip
    # A lone start looks 90 days on from it; a lone end, 90 days back from it.
    from_long_ago = codes(open311.get("requests.json", {"start_date": w3c(125)}))
    assert from_long_ago == [requests_made["old_dust"].code]
    until_a_week_ago = codes(open311.get("requests.json", {"end_date": w3c(7)}))
    assert until_a_week_ago == [requests_made["resolved_bare"].code,
                                requests_made["closed_road"].code]  # fmt: skip


def test_dates_with_an_offset_are_understood(open311, requests_made):
    two_days_ago_in_beijing = (NOW - timedelta(days=2)).astimezone(timezone(timedelta(hours=8)))
    start = two_days_ago_in_beijing.replace(microsecond=0).isoformat()
    assert start.endswith("+08:00")

    assert codes(open311.get("requests.json", {"start_date": start})) == [
        requests_made["new_dust"].code
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"start_date": "last tuesday"}, "start_date"),
        ({"end_date": "2026-11-30T08:00:00"}, "end_date"),  # no time zone
        ({"start_date": w3c(1), "end_date": w3c(5)}, "start_date"),
        ({"start_date": w3c(100), "end_date": w3c(1)}, "end_date"),
        ({"start_date": "9999-12-31T00:00:00+00:00"}, "start_date"),
        ({"end_date": "0001-01-01T00:00:00+14:00"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "dust,potholes"}, "service_code"),
    ],
)
def test_bad_filters_are_400s_naming_the_parameter(open311, requests_made, params, parameter):
    open311.language = "en"
    reply = open311.get("requests.json", params)

    assert reply.status == 400
    (error,) = reply.json()
    assert error["code"] == 400 and error["description"].startswith(f"{parameter}: ")


def test_at_most_1000_requests_are_listed(open311, reference_data):
    category, area = get_category("garbage"), get_area("jilin")
    db.session.execute(
        insert(Report),
        [
            {
                "code": f"EDQ-{n:04d}-ZZ", "category_id": category.id, "area_id": area.id,
                "description": "垃圾桶满了没人清运。", "status": "published",
                "author_key": "guest:bulk", "submission_token": f"bulk-{n}",
                "created_at": NOW - timedelta(minutes=n), "updated_at": NOW,
            }
            for n in range(1001)
        ],
    )  # fmt: skip
    db.session.commit()

    found = codes(open311.get("requests.json"))

    assert len(found) == 1000
    assert found[0] == "EDQ-0000-ZZ" and "EDQ-1000-ZZ" not in found


def test_listing_costs_the_same_queries_whatever_the_number_of_requests(
    client, requests_made, count_queries
):
    with count_queries as few:
        assert len(client.get("/open311/v2/requests.json").json) == 4
    for letter in "HJK":
        routed = made(letter, "road", "routed", 2, bureau=get_bureau("housing"), routed_at=NOW)
        photo = {"path": f"{letter}.jpg", "thumbnail_path": f"{letter}-t.jpg"}
        db.session.add(ReportPhoto(report_id=routed.id, position=1, width=4, height=3, **photo))
    db.session.commit()
    with count_queries as more:
        assert len(client.get("/open311/v2/requests.json").json) == 7

    assert more.count == few.count
