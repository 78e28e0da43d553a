"""Corrections by a person at the plan desk: stored as such, audited, applied again to every new
version of the file, and shown as conflicts when the source changed under them; the comments
and progress of what they correct stay with it."""

import html
import json
import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.feedback.models import Comment
from planvoice.plans import desk
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.corrections import apply_corrections, find_measure
from planvoice.plans.importer import parse_plan, plan_to_dict
from planvoice.plans.models import Measure, PlanCorrection, Target
from planvoice.plans.services import import_plan
from planvoice.progress.models import ProgressEntry
from planvoice.progress.services import record_progress
from tests.conftest import csrf_from
from tests.factories import CommentFactory, UserFactory
from tests.plans.test_desk import _upload

ORIGINAL = BUNDLED_PLAN.read_bytes()
PARKS = "“绣花功夫”管理城市"
PARKS_KEY = "m-efbeef7f17"
PARKS_SPAN = "10个“口袋公园”"
GREEN_KEY = "m-4447c25ad5"  # 发展最优质的生态经济: another paragraph, with its own targets


def _edited(*replacements) -> bytes:
    text = ORIGINAL.decode()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text.encode()


def _correction(kind, key=PARKS_KEY, *, span=None, changes=None, source=None):
    """A correction as ``apply_corrections`` reads it (the model's attributes)."""
    if source is None:
        source = find_measure(parse_plan(ORIGINAL), key).text
    return SimpleNamespace(
        kind=kind, measure_key=key, target_text=span, changes=changes or {}, source=source
    )


def _parks(plan):
    return find_measure(plan, PARKS_KEY)


# --- the pure function ------------------------------------------------------------------------


def test_a_measure_correction_replaces_title_text_and_group_and_keeps_the_key():
    parsed = parse_plan(ORIGINAL)
    text = _parks(parsed).text.replace("打造5条高品质街路、", "")
    changes = {"title": "精细管理城市", "text": text, "group": "城市管理"}

    corrected, conflicts = apply_corrections(parsed, [_correction("measure", changes=changes)])

    measure = _parks(corrected)
    assert conflicts == []
    assert (measure.key, measure.title, measure.text, measure.group) == (
        PARKS_KEY,
        "精细管理城市",
        text,
        "城市管理",
    )
    # The targets still in the corrected text are kept, where they now stand.
    assert [t.text for t in measure.targets] == [PARKS_SPAN]
    assert text[measure.targets[0].start : measure.targets[0].end] == PARKS_SPAN
    assert parsed == parse_plan(ORIGINAL)  # the parsed plan itself is left as it was


def test_a_target_correction_replaces_its_fields():
    changes = {"subject": "口袋公园（街心花园）", "value": "12", "deadline": 2025, "low": None}
    corrected, conflicts = apply_corrections(
        parse_plan(ORIGINAL), [_correction("target", span=PARKS_SPAN, changes=changes)]
    )

    streets, parks = _parks(corrected).targets
    assert conflicts == [] and streets.subject == "高品质街路"
    assert (parks.text, parks.subject, parks.value, parks.deadline, parks.unit) == (
        PARKS_SPAN,
        "口袋公园（街心花园）",
        12,
        2025,
        "个",
    )
    # Still the shape ``plan import --json`` prints: numbers as numbers.
    assert plan_to_dict(corrected)["sections"]
    assert isinstance(parks.value, int)


def test_not_a_target_drops_it_and_an_added_target_stands_in_text_order():
    span = "裸露地面"
    added = {"subject": "裸露地面", "value": "0", "unit": "平方米", "comparator": "at_most"}
    corrections = [
        _correction("not_target", span="5条高品质街路"),
        _correction("add_target", span=span, changes=added),
    ]

    corrected, conflicts = apply_corrections(parse_plan(ORIGINAL), corrections)

    measure = _parks(corrected)
    assert conflicts == []
    assert [t.text for t in measure.targets] == [PARKS_SPAN, span]
    new = measure.targets[1]
    assert measure.text[new.start : new.end] == span
    assert (new.value, new.unit, new.comparator, new.low, new.deadline) == (
        0,
        "平方米",
        "at_most",
        None,
        None,
    )


def test_a_changed_source_is_a_conflict_and_the_new_source_wins():
    edited = parse_plan(_edited(("打造5条高品质街路", "打造8条高品质街路")))
    measure_fix = _correction("measure", changes={"title": "精细管理城市"})
    target_fix = _correction("target", span=PARKS_SPAN, changes={"subject": "街心花园"})

    corrected, conflicts = apply_corrections(edited, [target_fix, measure_fix])

    measure = _parks(corrected)
    # The measure's correction is not applied: its text is no longer the one corrected...
    assert measure.title == PARKS and "打造8条高品质街路" in measure.text
    assert [(c.kind, c.reason, c.measure_title) for c in conflicts] == [
        ("measure", "source_changed", PARKS)
    ]
    assert conflicts[0].changes == {"title": "精细管理城市"}
    # ...while a target's span still in the text is corrected all the same.
    assert measure.targets[1].subject == "街心花园"


def test_a_span_or_a_measure_gone_is_a_conflict():
    edited = parse_plan(_edited((PARKS_SPAN, "12个“口袋公园”")))
    corrections = [
        _correction("target", span=PARKS_SPAN, changes={"subject": "街心花园"}),
        _correction("not_target", span=PARKS_SPAN),
        _correction("measure", key="m-gone", changes={"title": "x"}, source=""),
    ]

    corrected, conflicts = apply_corrections(edited, corrections)

    assert [(c.kind, c.reason) for c in conflicts] == [
        ("target", "span_gone"),
        ("not_target", "span_gone"),
        ("measure", "measure_gone"),
    ]
    assert conflicts[-1].measure_title is None
    assert [t.subject for t in _parks(corrected).targets] == ["高品质街路", "口袋公园"]


# --- through the desk -------------------------------------------------------------------------


@pytest.fixture
def desk_admin(english, sign_in, admin):
    sign_in(admin)
    return admin


def _draft_url(response) -> str:
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def _correct_target(client, draft_url, index=1, **values):
    fields = {
        "span": PARKS_SPAN,
        "subject": "口袋公园",
        "value": "10",
        "unit": "个",
        "comparator": "reach",
        "low": "",
        "high": "",
        "deadline": "",
    } | values
    url = f"{draft_url}/measures/{PARKS_KEY}/targets/{index}"
    return client.post(url, data={"csrf_token": csrf_from(client, url), **fields})


def _publish(client, draft_url):
    url = draft_url + "/publish"
    response = client.post(url, data={"csrf_token": csrf_from(client, draft_url)})
    assert response.status_code == 302


def _parks_in_db(slug: str) -> Measure:
    db.session.expire_all()
    return db.session.scalar(
        select(Measure)
        .join(Measure.plan)
        .where(Measure.key == PARKS_KEY, Measure.plan.has(slug=slug))
    )


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_correction_survives_new_versions_and_keeps_comments_and_progress(
    english, desk_admin, admin
):
    draft_url = _draft_url(_upload(english, ORIGINAL, slug="erdao-annual"))
    preview = english.get(draft_url).text
    assert f'href="{draft_url}/measures/{PARKS_KEY}"' in preview
    assert "Correct this measure" in preview and "Correct this target" in preview

    saved = _correct_target(english, draft_url, subject="口袋公园（街心花园）")
    assert saved.headers["Location"] == f"{draft_url}#measure-{PARKS_KEY}"
    preview = english.get(draft_url)
    assert preview.headers["Cache-Control"] == "no-store"
    item = re.search(
        rf'<li id="measure-{PARKS_KEY}">(.*?)Correct this measure', preview.text, re.S
    )[1]
    assert "口袋公园（街心花园）" in item and "corrected by a person" in item
    correction = db.session.scalar(select(PlanCorrection))
    assert (correction.plan_slug, correction.kind, correction.target_text, correction.changes) == (
        "erdao-annual",
        "target",
        PARKS_SPAN,
        {"subject": "口袋公园（街心花园）"},
    )
    _publish(english, draft_url)

    measure = _parks_in_db("erdao-annual")
    parks = measure.targets[1]
    assert parks.subject == "口袋公园（街心花园）"
    comment = CommentFactory(measure=measure, published=True)
    record_progress(parks, author=admin, on=date(2024, 3, 1), value=4)
    db.session.commit()
    ids = (measure.id, parks.id, comment.id)

    # A new version with another paragraph edited: the correction still applies.
    other = _edited(("打造1个绿色园区", "打造2个绿色园区"))
    draft_url = _draft_url(_upload(english, other, version_of="erdao-annual"))
    page = english.get(draft_url).text
    assert "The source changed under these corrections" not in page
    _publish(english, draft_url)

    measure = _parks_in_db("erdao-annual")
    parks = measure.targets[1]
    assert (measure.id, parks.id) == ids[:2] and parks.subject == "口袋公园（街心花园）"
    assert db.session.get(Comment, ids[2]).measure_id == measure.id
    assert [entry.value for entry in db.session.scalars(select(ProgressEntry))] == [4]
    assert db.session.scalar(select(ProgressEntry.target_id)) == parks.id

    # The corrected measure's own paragraph loses the span: the preview says so.
    gone = _edited(("打造1个绿色园区", "打造2个绿色园区"), (PARKS_SPAN, "12个“口袋公园”"))
    draft_url = _draft_url(_upload(english, gone, version_of="erdao-annual"))
    page = html.unescape(english.get(draft_url).text)
    conflicts = re.search(r'<ul class="conflicts">(.*?)</ul>', page, re.S)[1]
    assert "The source changed under these corrections:" in page
    assert PARKS in conflicts and f"“{PARKS_SPAN}” is no longer in its text" in conflicts
    _publish(english, draft_url)
    assert _count(ProgressEntry) == 1 and _parks_in_db("erdao-annual").id == ids[0]

    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("plan_c%")))
    assert list(actions) == ["plan_correction.target"]


def test_a_measure_is_corrected_a_number_unmarked_and_a_target_added(english, desk_admin):
    draft_url = _draft_url(_upload(english, ORIGINAL, slug="erdao-annual"))
    url = f"{draft_url}/measures/{PARKS_KEY}"
    form = english.get(url).text
    assert 'name="title"' in form and PARKS in form

    measure = find_measure(parse_plan(ORIGINAL), PARKS_KEY)
    english.post(
        url,
        data={
            "csrf_token": csrf_from(english, url),
            "title": "精细管理城市",
            "text": measure.text,
            "group": "",
        },
    )
    not_target = _correct_target(english, draft_url, index=0, span="5条高品质街路", not_target="1")
    assert not_target.status_code == 302
    add_url = f"{url}/targets/new"
    added = english.post(
        add_url,
        data={
            "csrf_token": csrf_from(english, add_url),
            "span": "裸露地面",
            "subject": "裸露地面",
            "value": "0",
            "unit": "平方米",
            "comparator": "at_most",
            "deadline": "2025",
        },
    )
    assert added.status_code == 302

    page = english.get(draft_url).text
    item = re.search(rf'<li id="measure-{PARKS_KEY}">(.*?)Correct this measure', page, re.S)[1]
    assert "精细管理城市" in item and "corrected by a person" in item
    assert "5条高品质街路" not in re.search(r'<ul class="draft-targets">(.*?)</ul>', item, re.S)[1]
    kinds = [c.kind for c in db.session.scalars(select(PlanCorrection).order_by(PlanCorrection.id))]
    assert kinds == ["measure", "not_target", "add_target"]

    _publish(english, draft_url)
    db.session.expire_all()
    published = _parks_in_db("erdao-annual")
    assert published.title == "精细管理城市" and published.key == PARKS_KEY
    assert [(t.text, t.unit, t.deadline) for t in published.targets] == [
        (PARKS_SPAN, "个", None),
        ("裸露地面", "平方米", 2025),
    ]


def test_withdrawing_a_correction_reads_the_file_again(english, desk_admin):
    draft_url = _draft_url(_upload(english, ORIGINAL, slug="erdao-annual"))
    _correct_target(english, draft_url, subject="街心花园")
    correction = db.session.scalar(select(PlanCorrection))
    assert "街心花园" in english.get(draft_url).text

    url = f"{draft_url}/corrections/{correction.id}/withdraw"
    response = english.post(url, data={"csrf_token": csrf_from(english, draft_url)})

    assert response.status_code == 302 and _count(PlanCorrection) == 0
    assert "街心花园" not in english.get(draft_url).text
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("plan_c%")))
    assert list(actions) == ["plan_correction.target", "plan_correction.withdraw"]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"value": "ten"}, "Give the value as a number, e.g. 10 or 2.5."),
        ({"comparator": "roughly"}, "Choose how the value is meant."),
        ({"low": "5", "high": "3"}, "The low end of the range is above its high end."),
        ({"low": "5"}, "A range needs both its ends, or neither."),
        ({"deadline": "1850"}, "Give the deadline as a year between 2000 and 2100."),
        ({"subject": " "}, "Say what the target counts"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(english, desk_admin, values, error):
    draft_url = _draft_url(_upload(english, ORIGINAL, slug="erdao-annual"))

    response = _correct_target(english, draft_url, **values)

    assert response.status_code == 422
    assert error in html.unescape(response.text) and 'class="error"' in response.text
    assert _count(PlanCorrection) == 0


def test_an_added_target_must_stand_in_the_text(english, desk_admin):
    draft_url = _draft_url(_upload(english, ORIGINAL, slug="erdao-annual"))
    url = f"{draft_url}/measures/{PARKS_KEY}/targets/new"

    response = english.post(
        url,
        data={
            "csrf_token": csrf_from(english, url),
            "span": "新建公园20个",
            "subject": "公园",
            "value": "20",
            "unit": "个",
            "comparator": "reach",
        },
    )

    assert response.status_code == 422
    assert "Copy the target's words exactly" in html.unescape(response.text)
    assert _count(PlanCorrection) == 0


@pytest.mark.parametrize("trait", ["resident", "moderator", "bureau_staff"])
def test_only_administrators_correct_a_plan(client, sign_in, admin, trait):
    draft = desk.create_draft(ORIGINAL, slug="erdao-annual", file_name="plan.txt", actor=admin)
    db.session.commit()
    sign_in(UserFactory(**({trait: True} if trait != "resident" else {})))
    token = csrf_from(client, "/")
    base = f"/admin/plans/drafts/{draft.id}"
    urls = [
        f"{base}/measures/{PARKS_KEY}",
        f"{base}/measures/{PARKS_KEY}/targets/1",
        f"{base}/measures/{PARKS_KEY}/targets/new",
        f"{base}/corrections/1/withdraw",
    ]
    for url in urls:
        if not url.endswith("withdraw"):
            assert client.get(url).status_code == 403, url
        response = client.post(url, data={"csrf_token": token, "title": "x", "subject": "x"})
        assert response.status_code == 403, url
    assert _count(PlanCorrection) == 0


def test_a_target_with_progress_is_kept_when_a_new_version_no_longer_reads_it(app, plan, admin):
    parks = next(t for t in _parks_in_db("erdao-2021").targets if t.text == PARKS_SPAN)
    record_progress(parks, author=admin, on=date(2024, 3, 1), value=4)
    db.session.commit()
    not_target = _correction("not_target", span=PARKS_SPAN)
    corrected, _ = apply_corrections(parse_plan(ORIGINAL), [not_target])

    import_plan(corrected, slug="erdao-2021")
    db.session.commit()

    assert db.session.get(Target, parks.id) is not None
    assert _count(ProgressEntry) == 1


def _stored(kind, **fields) -> PlanCorrection:
    source = find_measure(parse_plan(ORIGINAL), PARKS_KEY).text
    correction = PlanCorrection(
        plan_slug="erdao-2021", measure_key=PARKS_KEY, kind=kind, source=source, **fields
    )
    db.session.add(correction)
    db.session.commit()
    return correction


def test_the_command_line_import_applies_the_corrections_too(runner):
    _stored("target", target_text=PARKS_SPAN, changes={"subject": "街心花园", "value": "12"})

    dry = runner.invoke(args=["plan", "import", "--dry-run", "--json"])

    assert dry.exit_code == 0, dry.output
    parsed = json.loads(dry.output)
    measures = [m for s in parsed["sections"] for m in s["measures"]]
    parks = next(m for m in measures if m["key"] == PARKS_KEY)["targets"][1]
    assert parks == {
        "text": PARKS_SPAN,
        "value": 12,
        "unit": "个",
        "subject": "街心花园",
        "comparator": "reach",
        "deadline": None,
    }
    assert runner.invoke(args=["plan", "import"]).exit_code == 0
    assert _parks_in_db("erdao-2021").targets[1].subject == "街心花园"


def test_the_command_line_names_a_correction_the_source_changed_under(runner, tmp_path):
    _stored("measure", changes={"title": "精细管理城市"})
    edited = tmp_path / "erdao-2021.txt"
    edited.write_bytes(_edited(("打造5条高品质街路", "打造8条高品质街路")))

    result = runner.invoke(args=["plan", "import", str(edited)])

    assert result.exit_code == 0, result.output
    # Commands speak the default language (Chinese): the warning names the measure.
    assert f"“{PARKS}”的更正" in result.output and "原文已变化" in result.output
    assert _parks_in_db("erdao-2021").title == PARKS


def test_correcting_back_to_what_the_file_says_withdraws_the_correction(app, admin):
    from planvoice.plans.correction_services import correct_target

    parsed = parse_plan(ORIGINAL)
    fields = {"value": "10", "unit": "个", "comparator": "reach", "low": "", "high": ""}
    with app.test_request_context():
        kept = correct_target(
            parsed,
            PARKS_KEY,
            PARKS_SPAN,
            slug="erdao-annual",
            actor=admin,
            subject="街心花园",
            deadline="2025",
            **fields,
        )
        assert kept.changes == {"subject": "街心花园", "deadline": 2025}  # only what differs
        assert kept.source == find_measure(parsed, PARKS_KEY).text

        again = correct_target(
            parsed,
            PARKS_KEY,
            PARKS_SPAN,
            slug="erdao-annual",
            actor=admin,
            subject="口袋公园",
            deadline="",
            **fields,
        )

    assert again is None and _count(PlanCorrection) == 0
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("plan_c%")))
    assert list(actions) == ["plan_correction.target", "plan_correction.withdraw"]
