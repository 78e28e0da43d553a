"""Nothing chosen is lost when the report form comes back without JavaScript: photos already
sent are kept for the form (a day at most), shown as thumbnails with "remove", and go with the
report when it is sent."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports import drafts
from planvoice.reports.models import DraftPhoto, Report
from tests.notifications.conftest import mail_server, start_mail_server  # noqa: F401
from tests.reports.conftest import form_tokens, jpeg_bytes, post_report, stored_files


def _draft_key(page: str) -> str:
    return re.search(r'name="draft" value="([^"]*)"', page)[1]


def _kept_ids(page: str) -> list[str]:
    return re.findall(r'name="remove_photo" value="(\d+)"', page)


def _report() -> Report | None:
    db.session.expire_all()
    return db.session.scalar(select(Report))


def test_a_photo_sent_with_the_place_check_stays_and_goes_with_the_report(
    client, categories, upload_folder
):
    tokens = form_tokens(client)
    checked = post_report(client, tokens=tokens, photos=[(jpeg_bytes(), "dust.jpg")],
                          action="check")  # fmt: skip
    assert checked.status_code == 200
    [kept] = _kept_ids(checked.text)
    thumbnail = client.get(f"/reports/new/photos/{kept}")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    assert "no-store" in thumbnail.headers["Cache-Control"]
    thumbnail.close()

    # Sent without choosing the photo again: the report has it.
    response = post_report(client, tokens=tokens, draft=_draft_key(checked.text))
    assert response.status_code == 302
    report = _report()
    assert len(report.photos) == 1 and db.session.scalar(select(func.count(DraftPhoto.id))) == 0
    served = client.get(f"/reports/photos/{report.photos[0].path}")
    assert served.status_code == 200
    served.close()


def test_a_refused_field_keeps_the_photo_and_says_so(client, categories, upload_folder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    tokens = form_tokens(client)
    refused = post_report(client, tokens=tokens, photos=[(jpeg_bytes(), "a.jpg")], description="短")
    assert refused.status_code == 400 and _report() is None
    assert len(_kept_ids(refused.text)) == 1 and "Photos you have sent already" in refused.text
    # One more photo with the next try: both go with the report.
    post_report(client, tokens=tokens, draft=_draft_key(refused.text),
                photos=[(jpeg_bytes(colour="green"), "b.jpg")])  # fmt: skip
    assert [p.position for p in _report().photos] == [1, 2]


def test_a_removed_photo_is_gone_with_its_files(client, categories, upload_folder):
    tokens = form_tokens(client)
    checked = post_report(client, tokens=tokens, photos=[(jpeg_bytes(), "a.jpg")], action="check")
    [kept] = _kept_ids(checked.text)
    assert len(stored_files(upload_folder)) == 2  # the photo and its thumbnail
    again = post_report(client, tokens=tokens, draft=_draft_key(checked.text),
                        remove_photo=kept, action="check")  # fmt: skip
    assert _kept_ids(again.text) == [] and stored_files(upload_folder) == []
    post_report(client, tokens=tokens, draft=_draft_key(checked.text))
    assert _report().photos == []


def test_another_browser_neither_sees_nor_uses_the_kept_photo(
    app, client, categories, upload_folder
):
    checked = post_report(client, photos=[(jpeg_bytes(), "a.jpg")], action="check")
    [kept] = _kept_ids(checked.text)
    stranger = app.test_client()
    assert stranger.get(f"/reports/new/photos/{kept}").status_code == 404
    post_report(stranger, draft=_draft_key(checked.text))
    assert _report().photos == []
    assert db.session.scalar(select(func.count(DraftPhoto.id))) == 1  # still the owner's


def test_kept_photos_count_towards_the_three(client, categories, upload_folder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    tokens = form_tokens(client)
    two = [(jpeg_bytes(), "a.jpg"), (jpeg_bytes(colour="red"), "b.jpg")]
    checked = post_report(client, tokens=tokens, photos=two, action="check")
    refused = post_report(client, tokens=tokens, draft=_draft_key(checked.text), photos=two)
    assert refused.status_code == 400 and "at most 3 photos" in refused.text
    assert _report() is None and len(_kept_ids(refused.text)) == 2


def test_the_sweep_removes_photos_of_forms_never_sent(client, categories, upload_folder):
    post_report(client, photos=[(jpeg_bytes(), "a.jpg")], action="check")
    assert drafts.sweep_draft_photos() == 0
    assert drafts.sweep_draft_photos(now=utcnow() + timedelta(hours=25)) == 1
    db.session.commit()
    assert db.session.scalar(select(func.count(DraftPhoto.id))) == 0
    assert stored_files(upload_folder) == []


def test_the_outbox_worker_and_the_command_sweep_old_drafts(
    app,
    client,
    categories,
    upload_folder,
    mail_server,  # noqa: F811
):
    post_report(client, photos=[(jpeg_bytes(), "a.jpg")], action="check")
    post_report(app.test_client(), photos=[(jpeg_bytes(), "b.jpg")], action="check")
    runner = app.test_cli_runner()
    assert "Removed 0" in runner.invoke(args=["reports", "sweep-drafts"]).output
    old = db.session.scalars(select(DraftPhoto).order_by(DraftPhoto.id)).all()
    old[0].created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(select(DraftPhoto.id)).all() == [old[1].id]
    assert len(stored_files(upload_folder)) == 2  # the day-old photo and its thumbnail gone
    old_again = db.session.get(DraftPhoto, old[1].id)
    old_again.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert "Removed 1" in runner.invoke(args=["reports", "sweep-drafts"]).output
    assert stored_files(upload_folder) == []
