"""The progress pages as people use them: the plan's progress, a target's history, recording
an entry (its bureau only), and the administrators' tracking pages."""

import html
import re
from datetime import date
from io import BytesIO

from PIL import Image
from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.plans.models import Target
from planvoice.progress import services
from planvoice.progress.models import ProgressEntry, TargetTracking
from tests.conftest import csrf_from
from tests.progress.conftest import bureau


def text_of(response) -> str:
    """What a reader sees: the page's text, tags dropped, spaces (narrow ones too) as one."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


def entries() -> int:
    return db.session.scalar(select(func.count(ProgressEntry.id)))


def record(client, target, **fields):
    url = f"/targets/{target.id}/progress"
    data = {"csrf_token": csrf_from(client, url), "on": "2024-06-01", "value": "3"} | fields
    return client.post(url, data=data, content_type="multipart/form-data")


def test_a_clerk_of_the_owner_bureau_records_progress_with_a_photo(
    english, sign_in, owned_parks, clerk, photo_storage
):
    sign_in(clerk)
    page = english.get(f"/targets/{owned_parks.id}")
    assert "Record progress" in page.text
    photo = BytesIO()
    Image.new("RGB", (640, 480), "green").save(photo, "JPEG")
    response = record(
        english,
        owned_parks,
        note="东盛街道三处口袋公园建成",
        evidence_url="https://example.gov.cn/parks",
        photo=(BytesIO(photo.getvalue()), "park.jpg"),
    )
    assert response.status_code == 302
    page = english.get(response.headers["Location"])
    shown = text_of(page)
    assert "3/10" in shown and "东盛街道三处口袋公园建成" in shown
    assert "by 区城市管理执法局" in shown or "Urban Management" in shown
    entry = db.session.scalar(select(ProgressEntry))
    assert entry.bureau_id == clerk.bureau_id
    photo = english.get(f"/progress/photos/{entry.thumbnail_path}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    photo.close()
    assert english.get("/progress/photos/aa/none.jpg").status_code == 404


def test_bad_input_is_shown_on_the_form_and_nothing_changes(english, sign_in, owned_parks, clerk):
    sign_in(clerk)
    response = record(english, owned_parks, value="三个")
    assert response.status_code == 422
    assert "The value must be a number" in response.text
    response = record(english, owned_parks, on="2099-01-01")
    assert response.status_code == 422 and "cannot be in the future" in response.text
    response = record(english, owned_parks, evidence_url="http://example.org")
    assert response.status_code == 422 and "https://" in response.text
    assert entries() == 0


def test_another_bureaus_clerk_is_refused_and_a_guest_is_sent_to_sign_in(
    client, sign_in, owned_parks, other_clerk, clerk
):
    url = f"/targets/{owned_parks.id}/progress"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(other_clerk)
    assert client.get(url).status_code == 403
    token = csrf_from(client, "/bureau/targets")
    response = client.post(url, data={"csrf_token": token, "on": "2024-06-01", "value": "3"})
    assert response.status_code == 403
    assert "Record progress" not in client.get(f"/targets/{owned_parks.id}").text
    assert entries() == 0


def test_a_target_nobody_owns_is_recorded_by_administrators_only(
    client, sign_in, parks, clerk, admin
):
    sign_in(clerk)
    assert client.get(f"/targets/{parks.id}/progress").status_code == 403


def test_a_correction_keeps_both_entries_in_the_history(english, sign_in, owned_parks, clerk):
    wrong = services.record_progress(owned_parks, author=clerk, on=date(2024, 5, 1), value=30)
    db.session.commit()
    sign_in(clerk)
    form = english.get(f"/targets/{owned_parks.id}/progress").text
    assert f'value="{wrong.id}"' in form  # offered as the entry to correct
    response = record(english, owned_parks, value="3", supersedes=str(wrong.id))
    assert response.status_code == 302
    shown = text_of(english.get(f"/targets/{owned_parks.id}"))
    assert "30 个" in shown and "3 个" in shown
    assert f"Corrected by entry #{wrong.id + 1}" in shown
    assert f"Corrects entry #{wrong.id}" in shown
    assert "3/10" in shown


def test_the_plan_page_counts_states_and_filters_by_bureau_and_state(english, owned_parks, clerk):
    owned_parks.deadline = 2099  # so that it is behind rather than overdue
    # The line to 10 by 2099 stood at about 0.4 on 1 June 2024: 0.1 is behind it.
    services.record_progress(owned_parks, author=clerk, on=date(2024, 6, 1), value="0.1")
    db.session.commit()
    total = db.session.scalar(select(func.count(Target.id)))
    shown = text_of(english.get("/progress"))
    assert f"{total} targets: 1 behind, {total - 1} not started" in shown
    assert "口袋公园" in shown and "0.1/10" in shown
    only = text_of(english.get("/progress?bureau=urban_management"))
    assert "1 target: 1 behind" in only and "绿色工厂" not in only
    behind = text_of(english.get("/progress?state=behind"))
    assert "口袋公园" in behind and "绿色工厂" not in behind
    assert "No targets match" in text_of(english.get("/progress?state=achieved"))


def test_the_measure_page_shows_each_targets_bar(english, owned_parks, clerk):
    services.record_progress(
        owned_parks, author=clerk, on=date(2024, 6, 1), value=3, bureau=clerk.bureau
    )
    db.session.commit()
    shown = text_of(english.get(f"/measures/{owned_parks.measure_id}"))
    assert "Progress so far" in shown and "3/10" in shown
    assert "as of 2024-06-01" in shown
    assert (
        f'href="/targets/{owned_parks.id}"'
        in english.get(f"/measures/{owned_parks.measure_id}").text
    )


def test_an_administrator_sets_the_owner_starting_from_the_suggestion(
    english, sign_in, parks, admin, clerk
):
    sign_in(admin)
    page = english.get(f"/admin/targets/{parks.id}")
    owner = bureau("urban_management")
    assert f'<option selected value="{owner.id}">' in page.text
    assert "Suggested owner" in page.text
    data = {
        "csrf_token": csrf_from(english, f"/admin/targets/{parks.id}"),
        "owner_id": str(owner.id),
        "baseline_value": "1",
        "baseline_date": "2020-12-31",
        "weight": "",
    }
    assert english.post(f"/admin/targets/{parks.id}", data=data).status_code == 302
    tracking = db.session.get(TargetTracking, parks.id)
    db.session.refresh(tracking)
    assert tracking.owner_bureau_id == owner.id and tracking.baseline_value == 1
    assert "口袋公园" in english.get("/admin/targets").text
    data["baseline_value"] = "lots"
    assert english.post(f"/admin/targets/{parks.id}", data=data).status_code == 422


def test_only_administrators_see_the_tracking_pages(client, sign_in, parks, clerk):
    assert client.get("/admin/targets").status_code == 302
    sign_in(clerk)
    assert client.get("/admin/targets").status_code == 403
    assert client.get(f"/admin/targets/{parks.id}").status_code == 403
