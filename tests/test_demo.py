"""`flask demo load`: reference data, demo accounts, a few reports (some with a bureau) and
progress on a target, idempotent."""

from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.demo import DEMO_API_KEY
from planvoice.open311.services import authenticate
from planvoice.performance.models import Case
from planvoice.progress.models import ProgressEntry, TargetTracking
from planvoice.reports.areas import Category
from planvoice.reports.models import Report


def test_demo_load_seeds_categories_and_public_reports_once(runner, client, plan):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "load"])
    assert "Reference data: 0 added." in second.output

    db.session.remove()
    codes = set(db.session.scalars(select(Category.code)))
    assert codes == {"bare_ground", "pocket_park", "dust", "garbage", "road", "drainage",
                     "old_compound", "water", "greenery", "other"}  # fmt: skip
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    assert bare.measure.title == "“绣花功夫”管理城市"
    assert bare.default_bureau.code == "urban_management"
    reports = db.session.scalar(select(func.count()).select_from(Report))
    assert reports == 5
    assert client.get("/reports?lang=en").text.count('class="report-item"') == 5
    assert f"Open311 api_key of the demo app: {DEMO_API_KEY}" in first.output
    assert "api_key" not in second.output
    assert authenticate(DEMO_API_KEY).name == "Demo app"


def test_demo_load_gives_the_scorecard_cases_and_a_target_its_progress(runner, client, plan):
    runner.invoke(args=["demo", "load"])
    runner.invoke(args=["demo", "load"])
    db.session.remove()
    statuses = sorted(db.session.scalars(select(Report.status)))
    assert statuses == ["accepted", "published", "published", "resolved", "routed"]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 3
    [entry] = db.session.scalars(select(ProgressEntry)).all()
    assert entry.value == 3 and "口袋公园" in entry.target.subject
    owned = db.session.scalar(
        select(func.count())
        .select_from(TargetTracking)
        .where(TargetTracking.owner_bureau_id.is_not(None))
    )
    assert owned > 0  # owners suggested from the report categories
    page = client.get("/performance?lang=en").text
    assert "Urban Management and Law Enforcement Bureau" in page.split("By street")[0]


def test_demo_accounts_and_reports_are_refused_in_production(runner, app, plan):
    app.config["PLANVOICE_ENV"] = "production"
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "not created in production" in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0
