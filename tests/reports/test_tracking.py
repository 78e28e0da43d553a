"""Following a report: its public page, tracking codes, supporting it, listing reports."""

import re

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.reports.models import Report
from tests import factories
from tests.reports.conftest import form_tokens, post_report


@pytest.fixture
def published(categories):
    return factories.ReportFactory(category=categories["bare_ground"], published=True)


def test_track_opens_a_report_by_its_code_however_it_is_typed(client, published):
    sloppy = published.code.lower().replace("-", " ")
    response = client.get(f"/track?code={sloppy}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/{published.code}"


def test_track_says_clearly_when_no_report_has_the_code(english, categories):
    response = english.get("/track?code=EDQ-2222-22")
    assert response.status_code == 404
    assert "There is no report with the code “EDQ-2222-22”" in response.text


def test_anyone_can_open_a_report_awaiting_review_by_code_but_sees_only_its_status(
    english, categories
):
    waiting = factories.ReportFactory(category=categories["dust"])
    page = english.get(f"/reports/{waiting.code}").text
    assert "awaiting review" in page and waiting.description not in page


def test_the_duplicate_hint_offers_open_reports_nearby_before_submitting(other_guest, published):
    # Without JavaScript: "Show reports already made here" posts the form back with the list.
    data = form_tokens(other_guest) | {
        "action": "check", "category": "bare_ground", "lat": "43.8722", "lng": "125.3525",
        "description": "我家楼下也有一块黄土地",
    }  # fmt: skip
    page = other_guest.post("/reports/new", data=data).text
    assert "Someone may already have reported this" in page
    assert published.code in page and "about 120 m away" in page
    assert "我家楼下也有一块黄土地" in page  # what was typed is kept
    assert db.session.scalar(select(Report.id).where(Report.id != published.id)) is None

    # With JavaScript: the same list as a fragment.
    fragment = other_guest.get("/reports/nearby?category=bare_ground&lat=43.8722&lng=125.3525")
    assert published.code in fragment.text


def test_the_duplicate_hint_leaves_out_far_closed_and_other_kinds_of_reports(
    other_guest, categories, published
):
    factories.ReportFactory(category=categories["bare_ground"], published=True, lat=43.8812)
    factories.ReportFactory(category=categories["dust"], published=True)
    factories.ReportFactory(category=categories["bare_ground"], status="resolved")
    fragment = other_guest.get("/reports/nearby?category=bare_ground&lat=43.8712&lng=125.3520").text
    assert fragment.count("report-item") == 1 and published.code in fragment


def test_another_guest_supports_a_report_once(other_guest, published):
    csrf = form_tokens(other_guest)["csrf_token"]
    first = other_guest.post(f"/reports/{published.code}/support", data={"csrf_token": csrf})
    second = other_guest.post(f"/reports/{published.code}/support", data={"csrf_token": csrf})

    assert first.status_code == second.status_code == 302
    db.session.refresh(published)
    assert published.support_count == 1
    page = other_guest.get(f"/reports/{published.code}").text
    assert "1 resident has the same problem." in page and "You support this report." in page


def test_the_author_cannot_support_their_own_report(english, categories):
    post_report(english)
    report = db.session.scalars(select(Report)).one()
    report.status = "published"
    db.session.commit()
    csrf = form_tokens(english)["csrf_token"]
    english.post(f"/reports/{report.code}/support", data={"csrf_token": csrf})
    page = english.get(f"/reports/{report.code}").text
    assert "This is your own report" in page
    db.session.refresh(report)
    assert report.support_count == 0


def test_support_without_a_csrf_token_is_refused(other_guest, published):
    response = other_guest.post(f"/reports/{published.code}/support")
    assert response.status_code == 400
    db.session.refresh(published)
    assert published.support_count == 0


def test_the_listing_filters_by_category_area_status_and_measure(english, categories):
    bare, dust = categories["bare_ground"], categories["dust"]
    a = factories.ReportFactory(category=bare, published=True)
    b = factories.ReportFactory(category=dust, published=True)
    c = factories.ReportFactory(category=dust, status="resolved")
    hidden = factories.ReportFactory(category=dust)

    def codes(query: str) -> set[str]:
        page = english.get(f"/reports{query}").text
        return {r.code for r in (a, b, c, hidden) if r.code in page}

    assert codes("") == {a.code, b.code, c.code}
    assert codes("?category=dust") == {b.code, c.code}
    assert codes("?status=resolved") == {c.code}
    assert codes(f"?measure={bare.measure_id}") == {a.code}


def test_the_listing_filters_by_area_including_its_communities(english, categories):
    from planvoice.reports.areas import Area

    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    community = Area(code="dongsheng-test", name="测试社区", kind="community", parent=street)
    db.session.add(community)
    db.session.commit()
    inside = factories.ReportFactory(category=categories["dust"], published=True, area=community)
    outside = factories.ReportFactory(category=categories["dust"], published=True)

    page = english.get("/reports?area=dongsheng").text
    assert inside.code in page and outside.code not in page


def test_the_listing_pages_through_many_reports_newest_first(english, categories):
    reports = factories.ReportFactory.create_batch(45, category=categories["road"], published=True)
    first = english.get("/reports").text
    assert reports[-1].code in first and reports[24].code not in first

    seen, url, pages = [], "/reports", 0
    while url:
        page = english.get(url).text
        seen += [r.code for r in reports if r.code in page]
        pages += 1
        more = re.search(r'<a href="[^"]*before=(\d+)">Older reports', page)
        url = f"/reports?before={more[1]}" if more else None
    assert pages == 3 and sorted(seen) == sorted(r.code for r in reports)


def test_the_listing_takes_a_fixed_number_of_queries(english, categories, count_queries):
    factories.ReportFactory.create_batch(30, category=categories["road"], published=True)
    with count_queries as few:
        english.get("/reports?lang=en&status=published")
    factories.ReportFactory.create_batch(30, category=categories["dust"], published=True)
    with count_queries as more:
        english.get("/reports?lang=en&status=published&category=dust")
    assert few.count == more.count
