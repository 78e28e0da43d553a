"""The plan desk: an administrator uploads a plan, reads its preview (and, for a new version,
what would change), then publishes or discards it. Nothing is public or written before."""

import html
import io
import re
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.plans import desk
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.importer import parse_plan
from planvoice.plans.models import Measure, Plan, PlanDraft, Target
from planvoice.plans.services import import_plan
from tests.conftest import csrf_from
from tests.factories import UserFactory

ORIGINAL = BUNDLED_PLAN.read_bytes()
PARKS = "“绣花功夫”管理城市"  # the measure that promises 5 streets and 10 pocket parks
EDITED = ORIGINAL.decode().replace("打造5条高品质街路", "打造8条高品质街路").encode()


@pytest.fixture
def desk_admin(english, sign_in, admin):
    sign_in(admin)
    return admin


def _upload(client, data: bytes | None = None, *, name="plan.txt", text="", **fields):
    form = {"csrf_token": csrf_from(client, "/admin/plans"), "text": text, **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post("/admin/plans/drafts", data=form, content_type="multipart/form-data")


def _post(client, url: str):
    return client.post(url, data={"csrf_token": csrf_from(client, "/admin/plans")})


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_desk_is_linked_from_the_administration_and_kept_out_of_caches(english, desk_admin):
    assert 'href="/admin/plans"' in english.get("/admin").text
    response = english.get("/admin/plans")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'enctype="multipart/form-data"' in response.text


def test_an_administrator_uploads_previews_and_publishes_a_new_plan(english, desk_admin):
    response = _upload(english, ORIGINAL, name="erdao-2021.txt", slug="Erdao-Annual")

    assert response.status_code == 302
    draft = db.session.scalar(select(PlanDraft))
    assert response.headers["Location"] == f"/admin/plans/drafts/{draft.id}"
    assert (draft.slug, draft.file_name, draft.data) == ("erdao-annual", "erdao-2021.txt", ORIGINAL)
    assert draft.parsed["title"] == "图文解读二道区未来五年总体规划"
    assert _count(Plan) == 0  # nothing is public yet

    preview = english.get(response.headers["Location"])
    page = preview.text
    assert preview.headers["Cache-Control"] == "no-store"
    assert "(二) 多元平衡的现代化开放体系" in page and "向深化改革要红利" in page
    assert PARKS in page
    # Each target is marked inside its measure's text.
    assert re.search(r"<mark>[^<]*10个“口袋公园”[^<]*</mark>", page)
    assert "This section has no text" in page
    assert "A new plan: publishing creates its page at /plans/erdao-annual." in page

    published = _post(english, f"/admin/plans/drafts/{draft.id}/publish")
    assert published.status_code == 302
    assert published.headers["Location"] == "/plans/erdao-annual"
    plan_page = english.get("/plans/erdao-annual")
    assert plan_page.status_code == 200
    assert "is published: 30 measures added, 0 changed, 0 retired." in plan_page.text
    assert "图文解读二道区未来五年总体规划" in plan_page.text
    assert _count(PlanDraft) == 0
    assert _actions() == ["plan_draft.create", "plan.publish"]


def test_pasted_text_becomes_a_draft_too(english, desk_admin):
    response = _upload(english, text=ORIGINAL.decode(), slug="pasted")

    assert response.status_code == 302
    draft = db.session.scalar(select(PlanDraft))
    assert draft.file_name is None and draft.slug == "pasted"
    assert "Pasted text" in english.get("/admin/plans").text


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"hello\nworld\n", "plan.txt", "No section heading was found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "plan.txt", ""),
        (b"%PDF-1.4 not really", "plan.pdf", ""),
        (ORIGINAL, "plan.exe", "Upload a .txt, .html, .pdf or .docx file."),
    ],
)
def test_a_file_that_is_no_plan_is_refused_and_nothing_is_kept(
    english, desk_admin, data, name, error
):
    response = _upload(english, data, name=name, slug="junk")

    assert response.status_code == 422
    assert 'class="error"' in response.text and error in response.text
    assert _count(PlanDraft) == 0 and _actions() == []


def test_the_form_asks_for_a_file_and_an_identifier(english, desk_admin):
    empty = _upload(english, slug="nothing")
    assert empty.status_code == 422
    assert "Upload the plan's file or paste its text." in html.unescape(empty.text)

    no_slug = _upload(english, ORIGINAL)
    assert no_slug.status_code == 422
    assert "Give the new plan an identifier, or choose a plan." in no_slug.text

    bad_slug = _upload(english, ORIGINAL, slug="二道 2026")
    assert bad_slug.status_code == 422 and "letters, digits and hyphens" in bad_slug.text
    assert _count(PlanDraft) == 0


def test_a_file_over_the_size_limit_is_refused(app, english, desk_admin):
    app.config["PLAN_FILE_MAX_BYTES"] = 100 * 1024
    # (Under 500 kB, so the test client keeps the upload in memory rather than a temporary file.)
    response = _upload(english, ORIGINAL * 20, slug="big")

    assert response.status_code == 422 and "The plan is too large: at most 0.1 MB." in response.text
    assert _count(PlanDraft) == 0


def _measure(title: str) -> Measure:
    db.session.expire_all()
    return db.session.scalar(select(Measure).where(Measure.title == title))


def test_a_new_version_shows_what_changes_and_writes_nothing_until_published(
    english, desk_admin, plan
):
    parks = _measure(PARKS)
    before = (parks.id, parks.text, parks.updated_at, [t.display_value for t in parks.targets])

    response = _upload(english, EDITED, name="erdao-2021-v2.txt", version_of="erdao-2021")
    assert response.status_code == 302
    page = english.get(response.headers["Location"]).text

    assert "What publishing changes" in page and "a new version of erdao-2021" in page
    changed = re.search(r'<ul class="diff-changed">(.*?)</ul>', page, re.S)[1]
    assert PARKS in changed and changed.count("<li>") == 1
    assert "打造8条高品质街路" in changed and "打造5条高品质街路" in changed
    targets = re.search(r'<ul class="diff-targets">(.*?)</ul>', page, re.S)[1]
    assert targets.count("<li>") == 1 and "reach 5" in targets and "reach 8" in targets
    assert "diff-added" not in page and "diff-retired" not in page
    # Only the preview was computed: the published plan is as it was.
    parks = _measure(PARKS)
    assert (
        parks.id,
        parks.text,
        parks.updated_at,
        [t.display_value for t in parks.targets],
    ) == before

    assert _post(english, response.headers["Location"] + "/publish").status_code == 302
    parks = _measure(PARKS)
    assert parks.id == before[0] and "打造8条高品质街路" in parks.text
    assert [t.display_value for t in parks.targets] == ["8", "10"]
    flash = english.get("/plans/erdao-2021").text
    assert "0 measures added, 1 changed, 0 retired." in flash


def test_the_difference_is_computed_without_writing(app, plan):
    targets = _count(Target)
    with app.test_request_context():
        diff = desk.diff_with_published(parse_plan(EDITED), slug="erdao-2021")

        assert [change.title for change in diff.changed] == [PARKS]
        assert [(c.before["value"], c.after["value"]) for c in diff.targets] == [("5", "8")]
        assert not diff.added and not diff.retired and not diff.plan_changed
        assert not (db.session.new or db.session.dirty or db.session.deleted)
        db.session.commit()  # even a commit now keeps nothing of the preview
    assert "打造5条高品质街路" in _measure(PARKS).text
    assert (_count(Measure), _count(Target)) == (30, targets)
    assert desk.diff_with_published(parse_plan(ORIGINAL), slug="erdao-2021").is_empty
    assert desk.diff_with_published(parse_plan(ORIGINAL), slug="new-plan") is None


def test_a_retired_measure_and_an_added_one_are_listed(app, plan):
    parsed = parse_plan(ORIGINAL)
    # Edited as parsed (not as text), so the test does not depend on how paragraphs are read.
    sections = [
        replace(s, measures=tuple(m for m in s.measures if m.title != PARKS))
        for s in parsed.sections
    ]
    last = sections[-1]
    canteens = replace(last.measures[-1], key="m-canteens", title="建设社区食堂", targets=())
    sections[-1] = replace(last, measures=(*last.measures, canteens))
    with app.test_request_context():
        diff = desk.diff_with_published(
            replace(parsed, sections=tuple(sections)), slug="erdao-2021"
        )

    assert diff.retired == [PARKS] and diff.added == ["建设社区食堂"]
    assert not diff.changed and not diff.targets


def test_discarding_a_draft_deletes_it_and_leaves_the_plan(english, desk_admin, plan):
    response = _upload(english, EDITED, version_of="erdao-2021")
    draft_url = response.headers["Location"]

    discarded = _post(english, draft_url + "/discard")

    assert discarded.status_code == 302 and discarded.headers["Location"] == "/admin/plans"
    assert "The draft is discarded." in english.get("/admin/plans").text
    assert _count(PlanDraft) == 0
    assert english.get(draft_url).status_code == 404
    assert "打造5条高品质街路" in _measure(PARKS).text
    assert _actions() == ["plan_draft.create", "plan_draft.discard"]


def test_publishing_needs_the_forms_csrf_token(english, desk_admin):
    _upload(english, ORIGINAL, slug="erdao-annual")
    draft = db.session.scalar(select(PlanDraft))

    response = english.post(f"/admin/plans/drafts/{draft.id}/publish")

    assert response.status_code in (302, 400)
    assert _count(Plan) == 0 and _count(PlanDraft) == 1


def test_the_preview_warns_of_what_a_person_should_check(app):
    parsed = {
        "title": "计划",
        "sections": [
            {"number": "一、", "title": "图片部分", "measures": [
                {"group": None, "title": "图片部分", "text": "", "targets": []},
            ]},
            {"number": "二、", "title": "城市建设", "measures": [
                {"group": None, "title": "老旧小区改造", "text": "老旧小区改造", "targets": []},
                {"group": "组", "title": "建设公园", "text": "建设公园3个,改造道路12公里。",
                 "targets": [{"text": "公园3个"}]},
                {"group": "组", "title": "无文字", "text": "", "targets": []},
            ]},
        ],
    }  # fmt: skip
    with app.test_request_context(headers={"Accept-Language": "en"}):
        preview = desk.preview_plan(parsed)
        empty, building = preview.sections

        assert empty.warnings == ["This section has no text: only its heading was found."]
        assert empty.measures[0].warnings == []  # said once, for the section
        heading, parks, untitled = building.measures
        assert heading.warnings == [
            "This short paragraph looks like a heading but is kept as a measure."
        ]
        assert parks.parts == [("建设", False), ("公园3个", True), (",改造道路12公里。", False)]
        assert parks.warnings == [
            "Unsure: “12公里” looks like a promised quantity but was not taken as a target."
        ]
        assert untitled.warnings[0].startswith("No text")
        assert [group for group, _ in building.measure_groups] == [None, "组"]
        assert preview.warning_count == 4


def test_the_home_page_lists_every_published_plan(client, plan):
    annual = ORIGINAL.decode().replace("图文解读二道区未来五年总体规划", "二道区2026年度计划", 1)
    import_plan(parse_plan(annual.encode()), slug="erdao-2026")
    db.session.commit()

    page = client.get("/").text

    assert '<a href="/plans/erdao-2021" lang="zh-Hans">图文解读二道区未来五年总体规划</a>' in page
    assert '<a href="/plans/erdao-2026" lang="zh-Hans">二道区2026年度计划</a>' in page


@pytest.fixture
def a_draft(admin):
    draft = desk.create_draft(ORIGINAL, slug="erdao-annual", file_name="plan.txt", actor=admin)
    db.session.commit()
    return draft


def _desk_urls(draft) -> list[tuple[str, str]]:
    base = f"/admin/plans/drafts/{draft.id}"
    return [("get", "/admin/plans"), ("post", "/admin/plans/drafts"), ("get", base),
            ("post", base + "/publish"), ("post", base + "/discard")]  # fmt: skip


def _open(client, method: str, url: str, token: str):
    return client.get(url) if method == "get" else client.post(url, data={"csrf_token": token})


@pytest.mark.parametrize("trait", ["resident", "moderator", "bureau_staff"])
def test_only_administrators_use_the_desk(client, sign_in, a_draft, trait):
    sign_in(UserFactory(**({trait: True} if trait != "resident" else {})))
    token = csrf_from(client, "/")
    for method, url in _desk_urls(a_draft):
        response = _open(client, method, url, token)
        assert response.status_code == 403, url
    assert _count(PlanDraft) == 1 and _count(Plan) == 0


def test_a_guest_is_sent_to_sign_in(client, a_draft):
    token = csrf_from(client, "/login")
    for method, url in _desk_urls(a_draft):
        response = _open(client, method, url, token)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
