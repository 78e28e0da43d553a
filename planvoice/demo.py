"""``flask demo load``: reference data for Erdao District and demo accounts for trying it out.

Areas, bureaus and prepared moderation reasons are real starting data (editable later). The
demo accounts have a published password and are refused in production.
"""

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.accounts.services import create_user
from planvoice.bureaus.models import Bureau
from planvoice.bureaus.services import accept_report, reply_to_report, resolve_report
from planvoice.config import PRODUCTION
from planvoice.core.extensions import db
from planvoice.core.policy import Role
from planvoice.moderation.models import ReasonTemplate
from planvoice.moderation.services import publish_report, route_report
from planvoice.open311.models import ApiKey
from planvoice.open311.services import hash_key
from planvoice.plans.models import Measure, Target
from planvoice.plans.queries import get_default_plan
from planvoice.progress import queries as progress_queries
from planvoice.progress import services as progress
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import Report
from planvoice.reports.services import submit_report

# Streets (街道) and towns (镇, 乡) of Erdao District, Changchun.
AREAS = [
    ("dongsheng", "东盛街道", "street"),
    ("jilin", "吉林街道", "street"),
    ("rongguang", "荣光街道", "street"),
    ("dongzhan", "东站街道", "street"),
    ("yuanda", "远达街道", "street"),
    ("balibao", "八里堡街道", "street"),
    ("changqing", "长青街道", "street"),
    ("yingjun", "英俊镇", "town"),
    ("quannongshan", "劝农山镇", "town"),
    ("quanyan", "泉眼镇", "town"),
    ("sijia", "四家乡", "town"),
]

BUREAUS = [
    ("urban_management", "区城市管理执法局", "Urban Management and Law Enforcement Bureau"),
    ("housing", "区住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("ecology", "生态环境分局", "Ecology and Environment Sub-bureau"),
    ("human_resources", "区人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("civil_affairs", "区民政局", "Civil Affairs Bureau"),
    ("education", "区教育局", "Education Bureau"),
    ("health", "区卫生健康局", "Health Bureau"),
    ("agriculture", "区农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("development_reform", "区发展和改革局", "Development and Reform Bureau"),
    ("justice", "区司法局", "Justice Bureau"),
]

# Kinds of problem residents report: code, names, hints, default bureau, and a phrase of the
# plan measure it concerns (the first current measure of the default plan whose text holds it).
CATEGORIES = [
    (
        "bare_ground",
        "裸露地面",
        "Bare ground",
        "没有绿化或硬化的黄土地面,刮风起土。",
        "Soil left bare, neither planted nor paved; dusty when windy.",
        "urban_management",
        "裸露",
    ),
    (
        "pocket_park",
        "想要口袋公园",
        "Pocket park wanted",
        "附近缺少可以休息、活动的小绿地。",
        "No small green place to sit or play nearby.",
        "urban_management",
        "口袋公园",
    ),
    (
        "dust",
        "扬尘",
        "Dust",
        "工地、道路或堆场起尘。",
        "Dust from building sites, roads or open stockpiles.",
        "ecology",
        "扬尘",
    ),
    (
        "garbage",
        "垃圾与分类",
        "Garbage and sorting",
        "垃圾堆积、清运不及时、分类设施缺失。",
        "Piled-up rubbish, late collection, missing sorting bins.",
        "urban_management",
        "垃圾分类",
    ),
    (
        "road",
        "道路街路",
        "Road and street",
        "路面破损、井盖缺失、人行道被占。",
        "Broken road surface, missing manhole cover, blocked pavement.",
        "housing",
        "街路",
    ),
    (
        "drainage",
        "管线与排水",
        "Pipes and drainage",
        "积水、下水道堵塞、管线破损。",
        "Standing water, blocked drains, damaged pipes.",
        "housing",
        "管线",
    ),
    (
        "old_compound",
        "老旧小区",
        "Old residential compound",
        "楼道、屋面、外墙或设施的问题。",
        "Stairwells, roofs, walls or facilities of an old compound.",
        "housing",
        "老旧小区",
    ),
    (
        "water",
        "水质与河湖",
        "Water and rivers",
        "河道、湖泊污染或饮用水异常。",
        "Polluted rivers or lakes, or something wrong with tap water.",
        "ecology",
        "水质",
    ),
    (
        "greenery",
        "绿化",
        "Greenery",
        "树木、草坪缺失或损坏,绿地被占。",
        "Missing or damaged trees and lawns, green space taken over.",
        "urban_management",
        None,
    ),
    (
        "other",
        "其他",
        "Other",
        "不属于以上类别的问题。",
        "Anything not in the kinds above.",
        None,
        None,
    ),
]

REASONS = [
    ("离题", "您的留言与本项举措无关。欢迎在相关举措下留言,或通过“问题上报”反映具体问题。"),
    ("不文明用语", "您的留言含有侮辱、谩骂或歧视性内容。欢迎文明表达意见后重新提交。"),
    ("个人信息", "您的留言包含电话、住址等个人信息。为保护隐私,请删除后重新提交。"),
    ("广告", "您的留言含有广告或推广内容。"),
]

DEMO_PASSWORD = "planvoice-demo"  # noqa: S105 -- published on purpose, refused in production
# A client app's Open311 key, to try filing reports through the API (refused in production too).
DEMO_API_KEY = "pv311_demo-key-published-on-purpose"  # noqa: S105 -- published on purpose
DEMO_USERS = [
    ("admin@demo.planvoice.cn", Role.ADMIN, "管理员", None, ()),
    ("moderator@demo.planvoice.cn", Role.MODERATOR, "东盛社区工作者", None, ("dongsheng",)),
    ("bureau@demo.planvoice.cn", Role.BUREAU, "城管执法局", "urban_management", ()),
    ("resident@demo.planvoice.cn", Role.RESIDENT, "居民小王", None, ()),
]

# Demo reports (category, area, point, address, description), published by the demo moderator
# so that the listing, the report pages and the duplicate hint have something to show.
DEMO_REPORTS = [
    (
        "bare_ground",
        "dongsheng",
        (43.8712, 125.3520),
        "东盛大街与荣光路交汇处东北角",
        "路口东北角有一大片黄土空地,刮风时尘土飞扬,希望能硬化或绿化。",
    ),
    (
        "pocket_park",
        "rongguang",
        (43.8789, 125.3641),
        "荣光街道某小区南侧空地",
        "附近老人孩子多,没有可以坐下休息的地方,希望建一个口袋公园。",
    ),
    (
        "dust",
        "yuanda",
        (43.8645, 125.3880),
        "远达大街东段工地",
        "工地围挡不严,渣土车进出不冲洗,路面全是泥土,扬尘严重。",
    ),
    (
        "garbage",
        "jilin",
        (43.8865, 125.3445),
        "吉林街道菜市场后门",
        "垃圾桶满了好几天没人清运,分类桶也只有一个,气味很大。",
    ),
    (
        "road",
        "dongzhan",
        None,
        "东站街道东站南街 15 号门前",
        "人行道地砖松动翘起,雨后踩上去溅一身泥,老人容易摔倒。",
    ),
]

demo_cli = AppGroup("demo", help="Demo and reference data.")


def _ensure(model, code: str, **values):
    if db.session.scalar(select(model).where(model.code == code)) is None:
        db.session.add(model(code=code, **values))
        return 1
    return 0


def load_reference_data() -> int:
    """Add the areas, bureaus, report categories and prepared reasons that are missing;
    return how many."""
    added = sum(_ensure(Area, code, name=name, kind=kind) for code, name, kind in AREAS)
    added += sum(_ensure(Bureau, code, name=name, name_en=en) for code, name, en in BUREAUS)
    db.session.flush()
    added += _load_categories()
    if db.session.scalar(select(ReasonTemplate.id).limit(1)) is None:
        for position, (title, body) in enumerate(REASONS):
            db.session.add(ReasonTemplate(title=title, body=body, position=position))
            added += 1
    db.session.flush()
    return added


def _load_categories() -> int:
    added = 0
    for position, row in enumerate(CATEGORIES):
        code, name_zh, name_en, hint_zh, hint_en, bureau_code, phrase = row
        if db.session.scalar(select(Category.id).where(Category.code == code)) is not None:
            continue
        bureau = db.session.scalar(select(Bureau).where(Bureau.code == bureau_code))
        db.session.add(
            Category(
                code=code,
                position=position,
                name_zh=name_zh,
                name_en=name_en,
                hint_zh=hint_zh,
                hint_en=hint_en,
                default_bureau=bureau,
                measure=_measure_about(phrase),
            )
        )
        added += 1
    return added


def _measure_about(phrase: str | None) -> Measure | None:
    plan = get_default_plan()
    if phrase is None or plan is None:
        return None
    return db.session.scalar(
        select(Measure)
        .where(Measure.plan_id == plan.id, Measure.is_retired.is_(False))
        .where(Measure.title.contains(phrase) | Measure.text.contains(phrase))
        .order_by(Measure.position)
        .limit(1)
    )


def _load_demo_reports() -> int:
    moderator = db.session.scalar(select(User).where(User.role == Role.MODERATOR).limit(1))
    clerk = db.session.scalar(select(User).where(User.role == Role.BUREAU).limit(1))
    added = 0
    for number, (category, area, point, address, text) in enumerate(DEMO_REPORTS, start=1):
        token = f"demo-report-{number}"
        if db.session.scalar(select(Report.id).where(Report.submission_token == token)):
            continue
        report = submit_report(
            category=db.session.scalar(select(Category).where(Category.code == category)),
            description=text,
            submission_token=token,
            author_key=f"guest:demo-{number}",
            area=db.session.scalar(select(Area).where(Area.code == area)),
            address=address,
            point=point,
        )
        publish_report(report, moderator=moderator)
        _walk_demo_case(number, report, moderator=moderator, clerk=clerk)
        added += 1
    return added


# How far the demo bureau got with some demo reports (by their number in DEMO_REPORTS), so
# the bureau inbox, the case pages and the scorecard have cases to show.
DEMO_CASES = {1: "accepted", 3: "routed", 4: "resolved"}


def _walk_demo_case(number: int, report: Report, *, moderator, clerk) -> None:
    step = DEMO_CASES.get(number)
    if step is None or clerk is None or clerk.bureau is None:
        return
    route_report(report, clerk.bureau, moderator=moderator)
    if step in ("accepted", "resolved"):
        accept_report(report, staff=clerk)
    if step == "resolved":
        reply_to_report(report, staff=clerk, body="已安排环卫队清运,并增设分类垃圾桶。")
        resolve_report(report, staff=clerk, note="垃圾已清运,新增两组分类垃圾桶,每日清运。")


def _load_demo_progress() -> int:
    """Owners for the plan's targets (the bureau that answers residents' reports on each
    measure), and one entry of progress on the pocket parks, marked as demo data."""
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
    plan = get_default_plan()
    if admin is None or plan is None:
        return 0
    added = 0
    targets = db.session.scalars(
        select(Target).join(Target.measure).where(Measure.plan_id == plan.id)
    )
    for target in targets:
        if progress.tracking_of(target).owner_bureau_id is not None:
            continue
        owner = progress.suggested_owner(target)
        if owner is not None:
            progress.set_tracking(target, admin=admin, owner=owner)
            added += 1
            if "口袋公园" in target.subject and not progress_queries.target_history(target):
                progress.record_progress(
                    target,
                    author=admin,
                    bureau=owner,
                    on=date.today() - timedelta(days=30),
                    value=3,
                    note="(演示数据)东盛、荣光、吉林街道的三处口袋公园已建成开放。",
                )
    return added


def _load_demo_api_key() -> bool:
    key_hash = hash_key(DEMO_API_KEY)
    if db.session.scalar(select(ApiKey.id).where(ApiKey.key_hash == key_hash)) is not None:
        return False
    db.session.add(ApiKey(name="Demo app", key_hash=key_hash, key_prefix=DEMO_API_KEY[:12]))
    return True


@demo_cli.command("load")
@click.option("--no-accounts", is_flag=True, help="Only the reference data.")
def load_command(no_accounts: bool) -> None:
    """Load Erdao's areas, bureaus, report categories and prepared reasons, plus demo accounts,
    a few demo reports (three of them with the demo bureau), owners for the plan's targets and
    one entry of progress (idempotent)."""
    added = load_reference_data()
    created = []
    demo_key_added = False
    if not no_accounts:
        if current_app.config["PLANVOICE_ENV"] == PRODUCTION:
            raise click.ClickException("Demo accounts are not created in production.")
        for email, role, name, bureau, areas in DEMO_USERS:
            if db.session.scalar(select(User.id).where(User.email == email)) is None:
                create_user(
                    email,
                    DEMO_PASSWORD,
                    role=role,
                    display_name=name,
                    bureau_code=bureau,
                    area_codes=areas,
                    email_confirmed=True,
                )
                created.append(f"{role}: {email}")
        added += _load_demo_reports()
        added += _load_demo_progress()
        demo_key_added = _load_demo_api_key()
        # Demo bureaus read their mail at demo addresses (real ones are set by an admin).
        for bureau in db.session.scalars(select(Bureau).where(Bureau.email.is_(None))):
            bureau.email = f"{bureau.code}@demo.planvoice.cn"
    db.session.commit()
    click.echo(f"Reference data: {added} added.")
    for line in created:
        click.echo(f"Demo account {line} (password: {DEMO_PASSWORD})")
    if demo_key_added:
        click.echo(f"Open311 api_key of the demo app: {DEMO_API_KEY}")
