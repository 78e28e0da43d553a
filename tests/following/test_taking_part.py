"""Commenting, reporting and "me too" follow their subject by default, with a visible switch
that the resident may untick."""

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.following import queries
from planvoice.following.models import Follow
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import UserFactory
from tests.feedback.conftest import post_comment
from tests.following.conftest import delivered
from tests.reports.conftest import post_report

SWITCH = "Tell me when a bureau answers on this"


def test_a_comment_follows_its_measure_unless_the_switch_is_unticked(english, sign_in, measure):
    someone, other = UserFactory(), UserFactory()
    sign_in(someone)
    page = english.get(f"/measures/{measure.id}").text
    assert SWITCH in page and '<input checked id="follow" name="follow"' in page
    assert post_comment(english, measure, follow="y").status_code == 302
    assert [f.user_id for f in queries.follows_of_measure(measure.id)] == [someone.id]

    english.post("/logout", data={"csrf_token": csrf_from(english, "/logout")})
    sign_in(other)
    assert post_comment(english, measure).status_code == 302  # the switch unticked
    assert [f.user_id for f in queries.follows_of_measure(measure.id)] == [someone.id]


def test_a_guest_commenter_has_no_switch_and_follows_nothing(english, measure):
    assert SWITCH not in english.get(f"/measures/{measure.id}").text
    post_comment(english, measure, follow="y")
    assert db.session.scalar(select(Follow)) is None


def test_someone_who_stopped_following_is_not_followed_again_by_default(
    english, sign_in, resident, measure
):
    sign_in(resident)
    post_comment(english, measure, follow="y")
    row = db.session.scalar(select(Follow))
    token = csrf_from(english, "/me/following")
    english.post(f"/me/following/{row.id}/stop", data={"csrf_token": token})
    page = english.get(f"/measures/{measure.id}").text
    assert SWITCH in page and '<input id="follow" name="follow" type="checkbox"' in page


def test_a_signed_in_reporter_follows_their_report(english, sign_in, resident, reference):
    sign_in(resident)
    assert post_report(english, follow="y").status_code == 302
    report = db.session.scalar(select(Report))
    assert [f.user_id for f in queries.follows_of_report(report.id)] == [resident.id]


def test_a_guest_reporter_hears_as_reporter_and_gets_no_follow_to_confirm(
    english, reference, mail_server
):
    """A guest's e-mail on the report form already brings each step of the report (as its
    reporter): no follow and no confirmation e-mail on top."""
    assert SWITCH not in english.get("/reports/new").text
    post_report(english, contact="Wang@Example.org", follow="y")
    report = db.session.scalar(select(Report))
    assert queries.follows_of_report(report.id) == []
    assert db.session.scalar(select(Follow)) is None
    assert "/following/confirm/" not in "".join(str(m) for m in delivered(mail_server))


def test_a_reporter_who_unticks_the_switch_follows_nothing(english, reference, mail_server):
    post_report(english, contact="wang@example.org")
    assert db.session.scalar(select(Follow)) is None
    assert delivered(mail_server) == []


def test_a_guests_me_too_with_an_email_makes_no_follow_to_confirm(
    english, public_report, mail_server
):
    """The e-mail typed with "me too" is the supporter's own way to hear of the report."""
    path = f"/reports/{public_report.code}"
    assert SWITCH not in english.get(path).text
    data = {"csrf_token": csrf_from(english, path), "email": "zhao@example.org", "follow": "y"}
    page = english.post(f"{path}/support", data=data, follow_redirects=True).text
    assert "Your support is added" in page and "We have sent a link" not in page
    assert db.session.scalar(select(Follow)) is None
    assert delivered(mail_server) == []


def test_me_too_signed_in_follows_at_once(english, sign_in, resident, public_report):
    sign_in(resident)
    path = f"/reports/{public_report.code}"
    data = {"csrf_token": csrf_from(english, path), "follow": "y"}
    english.post(f"{path}/support", data=data)
    assert [f.user_id for f in queries.follows_of_report(public_report.id)] == [resident.id]
