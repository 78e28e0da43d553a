"""A resident follows a measure, a report, an area or a place: by account at once, or by an
e-mail address once it confirms; /me/following lists and ends them; every stop link works in
one click."""

import pytest
from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.following import links, queries
from planvoice.following.models import Follow
from tests.conftest import csrf_from
from tests.factories import ReportFactory
from tests.following.conftest import DONGSHENG, delivered, follow, link_in


def _count(**where) -> int:
    query = select(func.count()).select_from(Follow).filter_by(**where)
    return db.session.scalar(query)


def _place(lat=DONGSHENG[0], lng=DONGSHENG[1], radius_m=500, **extra) -> dict:
    lat, lng = (f"{v:.6f}" if isinstance(v, float) else v for v in (lat, lng))
    return {"kind": "place", "lat": lat, "lng": lng, "radius_m": str(radius_m), **extra}


def test_a_signed_in_resident_follows_each_kind_at_once_and_sees_them(
    english, sign_in, resident, measure, public_report, area
):
    sign_in(resident)
    page = f"/measures/{measure.id}"
    assert follow(english, page, kind="measure", target=str(measure.id)).status_code == 302
    assert follow(english, page, kind="report", target=public_report.code).status_code == 302
    assert follow(english, page, kind="area", target=area.code).status_code == 302
    response = follow(english, "/follow?kind=place", **_place(label="Home"))
    assert response.status_code == 302 and response.location == "/me/following"

    listing = english.get("/me/following").text
    assert measure.title in listing
    assert f"Report {public_report.code}" in listing
    assert area.full_name in listing
    assert "500 m around Home" in listing
    assert listing.count("Stop following</button>") == 4
    assert [f.user_id for f in queries.follows_of_measure(measure.id)] == [resident.id]
    assert len(queries.follows_of_report(public_report.id)) == 1
    assert len(queries.follows_of_areas([area.id])) == 1
    assert len(queries.follows_near(*DONGSHENG)) == 1


def test_following_twice_keeps_one_row_and_a_stopped_follow_comes_back(
    english, sign_in, resident, measure
):
    sign_in(resident)
    page = f"/measures/{measure.id}"
    follow(english, page, kind="measure", target=str(measure.id))
    follow(english, page, kind="measure", target=str(measure.id))
    assert _count(kind="measure") == 1

    row = db.session.scalar(select(Follow))
    stop = f"/me/following/{row.id}/stop"
    english.post(stop, data={"csrf_token": csrf_from(english, "/me/following")})
    assert queries.follows_of_measure(measure.id) == []
    assert "You follow nothing yet." in english.get("/me/following").text

    follow(english, page, kind="measure", target=str(measure.id))
    assert _count(kind="measure") == 1
    assert len(queries.follows_of_measure(measure.id)) == 1


def test_by_email_nothing_is_followed_until_the_address_confirms(
    english, other_guest, mail_server, measure, public_report, area
):
    page = f"/measures/{measure.id}"
    email = {"email": " Li@Example.org "}
    follow(english, page, kind="measure", target=str(measure.id), **email)
    follow(english, page, kind="report", target=public_report.code, **email)
    follow(english, page, kind="area", target=area.code, **email)
    done = follow(english, "/follow?kind=place", **_place(), **email)
    assert done.status_code == 302
    assert "We have sent a link to li@example.org" in english.get("/").text

    def everything_live():
        return (
            queries.follows_of_measure(measure.id)
            + queries.follows_of_report(public_report.id)
            + queries.follows_of_areas([area.id])
            + queries.follows_near(*DONGSHENG)
        )

    assert everything_live() == []
    messages = delivered(mail_server)
    assert [m["To"] for m in messages] == ["li@example.org"] * 4
    assert messages[0]["Subject"].startswith("Confirm that you want to follow the measure")
    text = messages[0].get_body(("plain",)).get_content()
    assert "Nothing is sent about it until you confirm." in text

    # Opening a link (a mail scanner does) confirms nothing: the button on its page does.
    confirms = [link_in(message, "/following/confirm/") for message in messages]
    assert all("Yes, follow it" in other_guest.get(link).text for link in confirms)
    assert everything_live() == []
    for link in confirms:
        other_guest.post(link, data={"csrf_token": csrf_from(other_guest, link)})
    followed = everything_live()
    assert len(followed) == 4 and {f.email for f in followed} == {"li@example.org"}

    # The page the address was sent to lists and ends them, without an account.
    manage = other_guest.get(links_manage("li@example.org"))
    assert manage.status_code == 200 and manage.text.count("Stop following</button>") == 4


def links_manage(email: str) -> str:
    return links.manage_url(email).removeprefix("https://planvoice.example.cn")


@pytest.mark.parametrize(
    ("place", "error"),
    [
        (_place(radius_m=150), "Choose a distance from 200 to 2000 metres."),
        (_place(radius_m=2500), "Choose a distance from 200 to 2000 metres."),
        (_place(lat=39.9, lng=116.4), "This point lies outside the district"),
        (_place(lat="north"), "Enter the latitude as a number, e.g. 43.8712."),
    ],
)
def test_a_place_out_of_bounds_is_refused_with_a_clear_error(
    english, sign_in, resident, plan, place, error
):
    sign_in(resident)
    response = follow(english, "/follow?kind=place", **place)
    assert response.status_code == 400
    assert error in response.text
    assert _count() == 0


def test_a_sixth_place_is_refused_and_nothing_is_stored(english, sign_in, resident, plan):
    sign_in(resident)
    for step in range(5):
        place = _place(lat=DONGSHENG[0] + step * 0.01)
        assert follow(english, "/follow?kind=place", **place).status_code == 302
    refused = follow(english, "/follow?kind=place", **_place(lat=DONGSHENG[0] + 0.06))
    assert refused.status_code == 400
    assert "You follow 5 places already, the most one person can." in refused.text
    assert _count(kind="place") == 5
    # Following one of the five again changes its distance, and is no sixth.
    assert follow(english, "/follow?kind=place", **_place(radius_m=1000)).status_code == 302
    assert _count(kind="place") == 5


def test_a_place_of_300_metres_holds_a_point_250_metres_away_but_not_350(
    english, sign_in, resident, plan
):
    sign_in(resident)
    follow(english, "/follow?kind=place", **_place(radius_m=300))
    lat, lng = DONGSHENG
    metres_north = 1 / 111_320  # degrees of latitude per metre
    assert len(queries.follows_near(lat + 250 * metres_north, lng)) == 1
    assert queries.follows_near(lat + 350 * metres_north, lng) == []


def test_an_unpublished_report_cannot_be_followed(english, sign_in, resident, area):
    from planvoice.reports.areas import Category

    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    hidden = ReportFactory(category=bare, area=area)  # awaiting review
    sign_in(resident)
    response = follow(english, "/me/following", kind="report", target=hidden.code)
    assert response.status_code == 400
    assert "There is no such public report to follow." in response.text
    assert _count() == 0


def test_one_click_in_the_mail_program_stops_a_follow_without_cookies(
    app, client, english, sign_in, resident, measure
):
    sign_in(resident)
    follow(english, f"/measures/{measure.id}", kind="measure", target=str(measure.id))
    stop = links.stop_url("measure", measure.id, user_id=resident.id)
    path = stop.removeprefix("https://planvoice.example.cn")
    mail_program = app.test_client()  # no session, no CSRF token
    response = mail_program.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert queries.follows_of_measure(measure.id) == []
    assert [f.user_id for f in queries.ended_follows("measure", measure.id)] == [resident.id]


def test_a_stop_link_mutes_someone_who_took_part_without_following(app, english, public_report):
    path = links.stop_url("report", public_report.id, email="zhao@example.org")
    path = path.removeprefix("https://planvoice.example.cn")
    page = english.get(path)
    assert "Stop following" in page.text
    assert queries.ended_follows("report", public_report.id) == []  # opening stops nothing
    done = english.post(path, data={"csrf_token": csrf_from(english, path)})
    assert "Done: you will hear no more of report" in done.text
    assert [f.email for f in queries.ended_follows("report", public_report.id)] == [
        "zhao@example.org"
    ]


@pytest.mark.parametrize(
    "path",
    ["/following/confirm/forged", "/following/stop/forged", "/following/manage/forged"],
)
def test_a_forged_link_finds_nothing(english, plan, path):
    assert english.get(path).status_code == 404
    one_click = english.post(path, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code in (400, 404, 405)  # never 200: nothing is stopped


def test_following_page_needs_an_account(english, plan):
    response = english.get("/me/following")
    assert response.status_code == 302 and "/login" in response.location


def test_guests_follow_from_the_shared_copy_of_a_measure_page(
    english, other_guest, mail_server, measure
):
    """The page is cached for everyone signed out: each guest's form still gets its own CSRF
    token, and the follow form asks for an address."""
    page = f"/measures/{measure.id}"
    assert 'id="follow-email"' in english.get(page).text
    back = f"{page}#follow-box"
    for guest, email in ((english, "a@example.org"), (other_guest, "b@example.org")):
        data = {"kind": "measure", "target": str(measure.id), "email": email, "next": back}
        response = follow(guest, page, **data)
        assert response.status_code == 302 and response.location == back
    assert sorted(m["To"] for m in delivered(mail_server)) == ["a@example.org", "b@example.org"]
