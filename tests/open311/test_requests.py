"""A client app files a report with its api_key, follows the token to the tracking code once a
community worker publishes it, and reads it back as the bureau works on it."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from planvoice.bureaus import services as bureau_work
from planvoice.bureaus.queries import get_bureau
from planvoice.core.extensions import db
from planvoice.open311.models import ApiKey, Open311Request
from planvoice.open311.services import issue_key, revoke_key
from planvoice.reports.models import Report
from planvoice.reports.queries import get_area
from tests.conftest import csrf_from
from tests.factories import UserFactory

DESCRIPTION = "东盛大街公交站旁的空地一直是黄土,一刮风就起尘。"


def filing(api_key, **fields) -> dict:
    data = {
        "api_key": api_key,
        "service_code": "bare_ground",
        "description": DESCRIPTION,
        "lat": "43.87123",
        "long": "125.35204",
        "address_string": "东盛大街公交站",
        "email": "Wang@Example.org",
        "first_name": "小",
        "last_name": "王",
        "device_id": "device-42",
        "account_id": "app-user-7",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def only_report() -> Report:
    db.session.expire_all()
    return db.session.scalars(select(Report)).one()


@pytest.fixture
def worker(reference_data, client, sign_in):
    """Dongsheng street's community worker, signed in to the web app."""
    user = UserFactory(moderator=True, areas=[get_area("dongsheng")])
    sign_in(user)
    return user


def moderate(client, report, action, **data):
    csrf = csrf_from(client, "/moderation")
    response = client.post(f"/moderation/reports/{report.code}/{action}",
                           data={"csrf_token": csrf, **data})  # fmt: skip
    assert response.status_code == 302, response.text


def test_the_full_story_of_a_request(open311, api_key, worker, client):
    filed = open311.post("requests.json", filing(api_key))

    assert filed.status == 200
    (answer,) = filed.json()
    token = answer["token"]
    assert answer["account_id"] == "app-user-7" and answer["service_notice"]
    assert "service_request_id" not in answer
    # It waits in the same queue as a report from the web form, with the reporter private.
    report = only_report()
    assert report.status == "submitted" and report.contact == "wang@example.org"
    assert report.reporter_name == "小 王" and report.address == "东盛大街公交站"
    queue = client.get("/moderation").text
    assert report.code in queue and "由 城市服务 App 通过 Open311 上报" in queue
    waiting = open311.get(f"tokens/{token}.json").json()
    assert waiting == [{"service_request_id": None, "token": token}]
    assert open311.get(f"requests/{report.code}.json").status == 404

    moderate(client, report, "publish")
    assert open311.get(f"tokens/{token}.json").json() == [
        {"service_request_id": report.code, "token": token}
    ]
    published = open311.get(f"requests/{report.code}.json", language="en").json()[0]
    assert published["status"] == "open" and published["agency_responsible"] is None
    assert published["expected_datetime"] is None

    moderate(client, report, "route", bureau="urban_management", note="")
    routed = open311.get(f"requests/{report.code}.json", language="en").json()[0]
    assert routed["status"] == "open"
    assert routed["agency_responsible"] == "Urban Management and Law Enforcement Bureau"
    assert routed["service_notice"] == "sent to a bureau"
    assert routed["expected_datetime"] > routed["requested_datetime"]
    assert routed["updated_datetime"] >= published["updated_datetime"]

    clerk = UserFactory(bureau_staff=True, bureau=get_bureau("urban_management"))
    report = only_report()
    bureau_work.accept_report(report, staff=clerk)
    bureau_work.reply_to_report(report, staff=clerk, body="已安排下周覆盖防尘网。")
    db.session.commit()
    replied = open311.get(f"requests/{report.code}.json").json()[0]
    assert replied["status_notes"] == "已安排下周覆盖防尘网。"
    assert replied["agency_responsible"] == "区城市管理执法局"

    bureau_work.resolve_report(report, staff=clerk, note="已完成绿化。")
    db.session.commit()
    resolved = open311.get(f"requests/{report.code}.xml").xml()
    request = resolved.find("request")
    assert resolved.tag == "service_requests"
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "已完成绿化。"
    assert request.findtext("expected_datetime") == ""  # an empty element


def test_a_returned_request_has_no_bureau_and_no_due_time(open311, api_key, worker, client):
    open311.post("requests.json", filing(api_key))
    report = only_report()
    moderate(client, report, "publish")
    moderate(client, report, "route", bureau="housing", note="")
    clerk = UserFactory(bureau_staff=True, bureau=get_bureau("housing"))
    bureau_work.return_report(only_report(), staff=clerk, reason="不归住建局管。")
    db.session.commit()

    (found,) = open311.get(f"requests/{report.code}.json", language="en").json()

    assert found["status"] == "open" and found["service_notice"] == "returned by the bureau"
    assert found["agency_responsible"] is None and found["expected_datetime"] is None


def test_a_request_reads_back_with_its_public_fields_only(open311, api_key, worker, client):
    token = open311.post("requests.json", filing(api_key)).json()[0]["token"]
    report = only_report()
    moderate(client, report, "publish")

    (found,) = open311.get(f"requests/{report.code}.json", {"locale": "zh_CN"}).json()

    assert found["service_request_id"] == report.code
    assert found["service_code"] == "bare_ground" and found["service_name"] == "裸露地面"
    assert found["description"] == DESCRIPTION
    assert found["address"] == "东盛大街公交站"
    # Rounded to about 100 m, as the public pages show it.
    assert (found["lat"], found["long"]) == (43.871, 125.352)
    assert found["requested_datetime"].endswith("+00:00")
    text = str(found)
    for private in ("wang@example.org", "device-42", "app-user-7", "小 王", token):
        assert private not in text


def test_xml_filing_answers_in_xml(open311, api_key):
    reply = open311.post("requests.xml", filing(api_key))

    root = reply.xml()
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == ["token", "service_notice", "account_id"]
    token = request.findtext("token")
    follow = open311.get(f"tokens/{token}.xml").xml()
    assert follow.find("request/token").text == token
    assert follow.findtext("request/service_request_id") == ""


@pytest.mark.parametrize(
    "api_key_sent", [None, "", "pv311_not-a-key-anyone-was-given"], ids=["none", "empty", "wrong"]
)
def test_filing_without_a_valid_key_is_forbidden_and_files_nothing(open311, api_key, api_key_sent):
    reply = open311.post("requests.json", filing(api_key_sent))

    assert reply.status == 403
    assert [error["code"] for error in reply.json()] == [403]
    assert db.session.scalar(select(Report.id)) is None


def test_a_revoked_key_files_nothing(open311, api_key):
    revoke_key(db.session.scalars(select(ApiKey)).one())
    db.session.commit()

    reply = open311.post("requests.xml", filing(api_key))

    assert reply.status == 403
    assert reply.xml().findtext("error/code") == "403"
    assert db.session.scalar(select(Report.id)) is None


def test_a_key_is_stored_hashed_and_its_use_recorded(open311, api_key):
    open311.post("requests.json", filing(api_key))

    stored = db.session.scalars(select(ApiKey)).one()
    db.session.refresh(stored)
    assert api_key not in (stored.key_hash, stored.key_prefix)
    assert api_key.startswith(stored.key_prefix)
    assert stored.last_used_at is not None
    record = db.session.scalars(select(Open311Request)).one()
    assert record.api_key_id == stored.id and record.device_id == "device-42"


def test_an_area_code_or_an_address_naming_an_area_is_a_place(open311, api_key):
    by_attribute = filing(api_key, lat=None, long=None, **{"attribute[area]": "jilin"})
    by_address_id = filing(api_key, lat=None, long=None, address_id="yuanda")
    by_address = filing(api_key, lat=None, long=None, address_string="荣光街道菜市场北门")

    for data in (by_attribute, by_address_id, by_address):
        assert open311.post("requests.json", data).status == 200

    db.session.expire_all()
    areas = {r.area.code for r in db.session.scalars(select(Report))}
    assert areas == {"jilin", "yuanda", "rongguang"}


@pytest.mark.parametrize(
    ("fields", "parameter", "message"),
    [
        ({"service_code": None}, "service_code", "Name the service (its service_code)."),
        ({"service_code": "potholes"}, "service_code", "There is no service with this"),
        ({"description": "太脏"}, "description", "Write between 10 and 2000 characters."),
        ({"lat": "north"}, "lat", "Give lat and long as decimal degrees."),
        ({"long": None}, "long", "Give lat and long as decimal degrees."),
        ({"lat": "39.9", "long": "116.4"}, "lat", "This point lies outside the district."),
        ({"lat": None, "long": None, "address_string": "某小区"}, "address_string",
         "Give a location"),
        ({"address_id": "atlantis"}, "address_id", "There is no area with this code"),
        ({"attribute[colour]": "red"}, "attribute[colour]", "This service has no such attribute."),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address"),
        ({"phone": "12345"}, "phone", "Enter an 11-digit mobile number."),
        ({"media_url": "javascript:alert(1)"}, "media_url", "Give an http or https address"),
        ({"first_name": "名" * 21}, "first_name", "At most 20 characters."),
    ],
)  # fmt: skip
def test_bad_parameters_are_400s_naming_them_and_file_nothing(
    open311, api_key, fields, parameter, message
):
    open311.language = "en"
    reply = open311.post("requests.json", filing(api_key, **fields))

    assert reply.status == 400
    descriptions = [error["description"] for error in reply.json()]
    assert any(d.startswith(f"{parameter}: {message}") for d in descriptions), descriptions
    assert {error["code"] for error in reply.json()} == {400}
    assert db.session.scalar(select(Report.id)) is None


def test_errors_speak_chinese_to_a_chinese_client(open311, api_key):
    open311.language = "zh-CN"
    reply = open311.post("requests.json", filing(api_key, description="太脏"))

    assert reply.json()[0]["description"].startswith("description: 请")


def test_an_unknown_token_or_request_is_a_404(open311, api_key):
    assert open311.get("tokens/no-such-token.json").status == 404
    assert open311.get("requests/EDQ-2222-22.xml").xml().findtext("error/code") == "404"
    assert open311.get("requests/nonsense.json").json()[0]["code"] == 404


def test_a_refused_request_ends_its_token(open311, api_key, worker, client):
    token = open311.post("requests.json", filing(api_key)).json()[0]["token"]

    moderate(client, only_report(), "reject", reason="离题")

    reply = open311.get(f"tokens/{token}.json", language="en")
    assert reply.status == 404
    assert "refused" in reply.json()[0]["description"]


class RecordingHandler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 -- the standard library's name
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_media_url_is_shown_as_a_link_and_never_fetched(open311, api_key, worker, client):
    photo_host = HTTPServer(("127.0.0.1", 0), RecordingHandler)
    threading.Thread(target=photo_host.serve_forever, daemon=True).start()
    media_url = f"http://127.0.0.1:{photo_host.server_port}/photos/1.jpg"
    try:
        open311.post("requests.json", filing(api_key, media_url=media_url))
        report = only_report()
        moderate(client, report, "publish")

        page = client.get(f"/reports/{report.code}").text
        (found,) = open311.get(f"requests/{report.code}.json").json()
    finally:
        photo_host.shutdown()
        photo_host.server_close()

    assert f'href="{media_url}"' in page
    assert 'rel="nofollow noopener noreferrer ugc"' in page
    assert found["media_url"] == media_url
    assert RecordingHandler.requests == []


def test_each_app_has_its_own_rate_limit(open311, api_key, app):
    app.config["OPEN311_POSTS_PER_KEY"] = "3 per minute"
    _other, other_key = issue_key("另一个 App")
    db.session.commit()

    answers = [open311.post("requests.json", filing(api_key)).status for _ in range(4)]
    limited = open311.post("requests.xml", filing(api_key))

    assert answers == [200, 200, 200, 429]
    assert limited.status == 429 and limited.xml().findtext("error/code") == "429"
    assert open311.post("requests.json", filing(other_key)).status == 200
    assert db.session.scalar(select(func.count(Report.id))) == 4
