"""Writing a plan into the database: first import, re-import, and edits that keep identity."""

from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.importer import parse_plan
from planvoice.plans.models import Measure, Plan, Section, Target
from planvoice.plans.services import import_plan

ORIGINAL = BUNDLED_PLAN.read_text(encoding="utf-8")
PARK_SENTENCE = "打造5条高品质街路、10个“口袋公园”"


def _import(text: str, slug: str = "erdao-2021"):
    summary = import_plan(parse_plan(text.encode("utf-8")), slug=slug)
    db.session.commit()
    return summary


def _measures() -> dict[str, Measure]:
    return {m.title: m for m in db.session.scalars(select(Measure))}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_first_import_publishes_every_section_measure_and_target(app):
    summary = _import(ORIGINAL)

    assert summary.is_new_plan and len(summary.added) == 30
    plan = db.session.scalar(select(Plan))
    assert plan.title == "图文解读二道区未来五年总体规划"
    assert str(plan.published) == "2021-09-30" and plan.source == "区司法局"
    assert _count(Section) == 9
    park = _measures()["“绣花功夫”管理城市"]
    assert [(t.subject, t.display_value, t.unit) for t in park.targets] == [
        ("高品质街路", "5", "条"),
        ("口袋公园", "10", "个"),
    ]
    assert all(park.text[t.span_start : t.span_end] == t.text for t in park.targets)


def test_importing_the_same_file_again_changes_nothing(app):
    _import(ORIGINAL)
    before = {m.id: (m.key, m.text, m.updated_at) for m in _measures().values()}

    summary = _import(ORIGINAL)

    assert not summary.has_changes
    after = {m.id: (m.key, m.text, m.updated_at) for m in _measures().values()}
    assert after == before
    assert _count(Plan) == 1 and _count(Target) == sum(len(m.targets) for m in _measures().values())


def test_an_edited_text_is_updated_in_place_and_keeps_the_measure(app):
    _import(ORIGINAL)
    park = _measures()["“绣花功夫”管理城市"]
    park_id, target_ids = park.id, [t.id for t in park.targets]

    summary = _import(ORIGINAL.replace(PARK_SENTENCE, "打造6条高品质街路、12个“口袋公园”"))

    assert summary.changed == ["“绣花功夫”管理城市"] and not summary.added and not summary.removed
    db.session.expire_all()
    park = db.session.get(Measure, park_id)
    assert "12个“口袋公园”" in park.text
    assert [t.id for t in park.targets] == target_ids
    assert [t.display_value for t in park.targets] == ["6", "12"]


def test_a_measure_whose_title_was_reworded_keeps_its_identity(app):
    _import(ORIGINAL)
    old_id = _measures()["“绣花功夫”管理城市"].id

    summary = _import(ORIGINAL.replace("“绣花功夫”管理城市。", "“绣花功夫”精细管理城市。"))

    assert summary.changed == ["“绣花功夫”精细管理城市"] and not summary.added
    assert _measures()["“绣花功夫”精细管理城市"].id == old_id


def test_a_measure_dropped_from_the_plan_is_retired_not_deleted(app):
    _import(ORIGINAL)
    paragraph = next(line for line in ORIGINAL.splitlines() if line.startswith("发展最优质"))
    gone_id = _measures()["发展最优质的生态经济"].id

    summary = _import(ORIGINAL.replace(paragraph + "\n", ""))

    assert summary.removed == ["发展最优质的生态经济"]
    gone = db.session.get(Measure, gone_id)
    assert gone.is_retired
    assert gone not in gone.section.current_measures

    # Putting it back brings the same measure back.
    summary = _import(ORIGINAL)
    assert summary.added == [] and "发展最优质的生态经济" in summary.changed
    assert not db.session.get(Measure, gone_id).is_retired


def test_a_new_measure_is_added_in_its_place(app):
    _import(ORIGINAL)
    addition = "实施城市更新行动。到2025年,改造老旧小区120个。"

    summary = _import(
        ORIGINAL.replace("“绣花功夫”管理城市。", addition + "\n\n“绣花功夫”管理城市。")
    )

    assert summary.added == ["实施城市更新行动"]
    titles = [m.title for m in db.session.scalars(select(Measure).order_by(Measure.position))]
    assert titles.index("实施城市更新行动") == titles.index("“绣花功夫”管理城市") - 1
    target = _measures()["实施城市更新行动"].targets[0]
    assert (target.display_value, target.unit, target.deadline) == ("120", "个", 2025)


def test_two_plans_live_side_by_side(app):
    _import(ORIGINAL, slug="erdao-2021")
    _import(ORIGINAL.replace("图文解读二道区未来五年总体规划", "二道区规划(修订稿)"), slug="draft")

    assert _count(Plan) == 2 and _count(Measure) == 60


def test_sections_that_swap_places_keep_their_measures(app):
    _import(ORIGINAL)
    five_start = ORIGINAL.index("(五)共建共享")
    six_start = ORIGINAL.index("(六)科学高效")
    six_end = ORIGINAL.index("全面加强党的领导")
    swapped = (
        ORIGINAL[:five_start]
        + ORIGINAL[six_start:six_end]
        + ORIGINAL[five_start:six_start]
        + ORIGINAL[six_end:]
    )
    ids = {title: m.id for title, m in _measures().items()}

    summary = _import(swapped)

    assert not summary.added and not summary.removed
    sections = db.session.scalars(select(Section).order_by(Section.position)).all()
    assert [s.number for s in sections][6:9] == ["(六)", "(五)", None]
    assert {title: m.id for title, m in _measures().items()} == ids


def test_the_plan_keeps_the_years_it_covers(app):
    plan = _import(BUNDLED_PLAN.read_text(encoding="utf-8")).plan
    assert (plan.start_year, plan.end_year) == (2021, 2025)
