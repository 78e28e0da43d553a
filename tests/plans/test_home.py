"""The home page as a resident finds it: report a problem or track one on the first screen,
their own reports in this browser, what bureaus answered lately, then the plan."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from planvoice.core import storage
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import ReportPhoto
from tests.factories import ReportFactory
from tests.reports.conftest import jpeg_bytes, post_report


@pytest.fixture
def categories(plan, no_rate_limits) -> dict[str, Category]:
    load_reference_data()
    db.session.commit()
    return {c.code: c for c in db.session.scalars(select(Category))}


@pytest.fixture
def bare_ground(categories) -> Category:
    return categories["bare_ground"]


def _answered(category, *, code, colour="white", after=True, **fields):
    """A public report a bureau resolved (or only replied to), with a "before" photo and,
    where ``after``, an "after" one of the given colour."""
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    when = fields.pop("when", utcnow())
    report = ReportFactory(
        code=code,
        category=category,
        area=dongsheng,
        address="东盛大街 8 号",
        status=fields.pop("status", "resolved"),
        published_at=when - timedelta(days=3),
        bureau=category.default_bureau,
        routed_at=when - timedelta(days=2),
        first_reply_at=when - timedelta(days=1),
        resolved_at=fields.pop("resolved_at", when),
        **fields,
    )
    photos = [("sienna", False)] + ([(colour, True)] if after else [])
    for position, (tint, is_after) in enumerate(photos, start=1):
        processed = photo_files.process_photo(jpeg_bytes((400, 300), tint), "photo.jpg")
        path, thumbnail = photo_files.store_photo(processed, storage.backend())
        db.session.add(
            ReportPhoto(report_id=report.id, position=position, path=path,
                        thumbnail_path=thumbnail, width=400, height=300, is_after=is_after)
        )  # fmt: skip
    db.session.commit()
    return report


def _track_form(page: str) -> tuple[str, str, str]:
    """The home page's tracking form: its method, where it goes and its field's name."""
    form = re.search(r'<form method="(\w+)" action="([^"]+)" class="home-track">(.*?)</form>',
                     page, re.S)  # fmt: skip
    field = re.search(r'<input type="text" id="track-code" name="(\w+)"', form[3])
    return form[1], form[2], field[1]


def test_the_first_screen_offers_to_report_and_to_track_before_the_plan(english, plan, categories):
    page = english.get("/").text

    report_button = page.index('class="button home-report" href="/reports/new"')
    track_form = page.index('class="home-track"')
    assert "Report a problem" in page and "Track my report" in page
    assert report_button < track_form < page.index("图文解读二道区未来五年总体规划")
    # The header offers tracking on every page.
    assert '<a href="/track">Track</a>' in page


def test_the_track_form_on_the_home_page_finds_a_report_by_its_code(english, bare_ground):
    report = ReportFactory(category=bare_ground, published=True, code="EDQ-7K3M-2P")
    method, action, field = _track_form(english.get("/").text)

    assert (method, action, field) == ("get", "/track", "code")
    # Typed as people do: lower case, with spaces.
    response = english.get(action, query_string={field: " edq 7k3m 2p "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/{report.code}"
    assert english.get(action, query_string={field: "EDQ-ZZZZ-ZZ"}).status_code == 404


def test_a_guest_sees_their_own_reports_and_another_browser_does_not(
    english, other_guest, categories
):
    # Another reader's copy of the page is rendered and cached before the guest reports.
    assert "My reports in this browser" not in other_guest.get("/").text
    filed = [
        post_report(english, description=text).headers["Location"].removeprefix("/reports/")
        for text in (
            "小区东门外的空地一直是黄土,一刮风就起尘。",
            "楼下路灯不亮已经一周了,晚上很黑。",
        )
    ]
    english.get("/reports")  # the "thank you" message, with the code, is shown there

    mine = english.get("/").text
    listed = mine[mine.index("home-mine-list") : mine.index("</ul>", mine.index("home-mine-list"))]
    assert all(f'href="/reports/{code}"' in listed for code in filed)
    assert listed.count("awaiting review") == 2  # their own, not published yet
    for _ in range(2):  # rendered afresh or served from the cache: never the guest's
        theirs = other_guest.get("/").text
        assert "My reports in this browser" not in theirs
        assert not any(code in theirs for code in filed)
    assert all(code in english.get("/").text for code in filed)


def test_a_guest_sees_at_most_three_of_their_reports_newest_first(english, categories):
    for n in range(4):
        post_report(english, description=f"第{n}处空地一直是黄土,一刮风就起尘。")
    page = english.get("/").text
    listed = page[page.index("home-mine-list") : page.index("</ul>", page.index("home-mine-list"))]
    assert listed.count("<li>") == 3


def test_answered_reports_show_their_after_photo_and_link_to_the_case(english, bare_ground):
    done = _answered(bare_ground, code="EDQ-AAAA-2A")
    replied = _answered(bare_ground, code="EDQ-AAAB-2A", status="in_progress",
                        resolved_at=None, after=False)  # fmt: skip
    ReportFactory(category=bare_ground, published=True, code="EDQ-AAAC-2A")  # not answered
    hidden = _answered(bare_ground, code="EDQ-AAAD-2A")
    hidden.status = "rejected"  # taken off the public pages
    db.session.commit()

    page = english.get("/").text
    answered = page[page.index("Recently answered by bureaus") :]
    after, before = done.after_photos[0], done.before_photos[0]
    assert (
        f'href="/reports/{done.code}"' in answered and f'href="/reports/{replied.code}"' in answered
    )
    assert f'src="/reports/photos/{after.thumbnail_path}"' in answered
    assert before.thumbnail_path not in page
    assert "no after photo" in answered  # the reply came before any fix
    assert "Bare ground" in answered and "东盛大街 8 号" in answered and "resolved" in answered
    assert "EDQ-AAAC-2A" not in page and "EDQ-AAAD-2A" not in page
    # The newest answer first.
    assert answered.index(replied.code) > answered.index(done.code)
    served = english.get(f"/reports/photos/{after.thumbnail_path}")
    served.close()
    assert served.status_code == 200


def test_answered_reports_cost_one_query_however_many(english, bare_ground, count_queries):
    _answered(bare_ground, code="EDQ-BAAA-2A")
    with count_queries as one:
        english.get("/")
    for n in range(2, 8):
        _answered(bare_ground, code=f"EDQ-BAA{'ABCDEFGH'[n]}-2A")
    db.session.remove()
    with count_queries as seven:
        page = english.get("/?fresh").text
    assert page.count("/reports/photos/") == 6  # the six newest answers, each with its photo
    assert seven.count == one.count == 6


def test_image_only_measures_are_listed_after_those_with_text(client, plan):
    page = client.get("/").text

    # The plan's first sections were images in the source: readable measures come first.
    def link(title):
        return page.index(f'lang="zh-Hans">{title}</a>')

    for title in ("“一三六”发展思路", "优化发展布局", "催化发展动能"):
        assert link(title) > link("推进经济改革攻坚") and link(title) > link("深化党风廉政建设")
    assert page.count('href="/measures/') == 30 and "原文无文字" in page
    assert "9 个部分" in page and "30 项举措" in page
