"""``flask demo load``: reference data for Erdao District and demo accounts for trying it out.

Areas, bureaus and prepared moderation reasons are real starting data (editable later). The
demo accounts have a published password and are refused in production.
"""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from planvoice.accounts.models import Role, User
from planvoice.accounts.services import create_user
from planvoice.bureaus.models import Bureau
from planvoice.config import PRODUCTION
from planvoice.core.extensions import db
from planvoice.moderation.models import ReasonTemplate
from planvoice.reports.models import Area

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
    ("urban-management", "区城市管理执法局"),
    ("housing", "区住房和城乡建设局"),
    ("ecology", "生态环境分局"),
    ("human-resources", "区人力资源和社会保障局"),
    ("civil-affairs", "区民政局"),
    ("education", "区教育局"),
    ("health", "区卫生健康局"),
    ("agriculture", "区农业农村局"),
    ("development-reform", "区发展和改革局"),
    ("justice", "区司法局"),
]

REASONS = [
    ("离题", "您的留言与本项举措无关。欢迎在相关举措下留言,或通过“问题上报”反映具体问题。"),
    ("不文明用语", "您的留言含有侮辱、谩骂或歧视性内容。欢迎文明表达意见后重新提交。"),
    ("个人信息", "您的留言包含电话、住址等个人信息。为保护隐私,请删除后重新提交。"),
    ("广告", "您的留言含有广告或推广内容。"),
]

DEMO_PASSWORD = "planvoice-demo"  # noqa: S105 -- published on purpose, refused in production
DEMO_USERS = [
    ("admin@demo.planvoice.cn", Role.ADMIN, "管理员", None, ()),
    ("moderator@demo.planvoice.cn", Role.MODERATOR, "东盛社区工作者", None, ("dongsheng",)),
    ("bureau@demo.planvoice.cn", Role.BUREAU, "城管执法局", "urban-management", ()),
    ("resident@demo.planvoice.cn", Role.RESIDENT, "居民小王", None, ()),
]

demo_cli = AppGroup("demo", help="Demo and reference data.")


def _ensure(model, code: str, **values):
    if db.session.scalar(select(model).where(model.code == code)) is None:
        db.session.add(model(code=code, **values))
        return 1
    return 0


def load_reference_data() -> int:
    """Add the areas, bureaus and prepared reasons that are missing; return how many."""
    added = sum(_ensure(Area, code, name=name, kind=kind) for code, name, kind in AREAS)
    added += sum(_ensure(Bureau, code, name=name) for code, name in BUREAUS)
    if db.session.scalar(select(ReasonTemplate.id).limit(1)) is None:
        for position, (title, body) in enumerate(REASONS):
            db.session.add(ReasonTemplate(title=title, body=body, position=position))
            added += 1
    db.session.flush()
    return added


@demo_cli.command("load")
@click.option("--no-accounts", is_flag=True, help="Only the reference data.")
def load_command(no_accounts: bool) -> None:
    """Load Erdao's areas, bureaus and prepared reasons, plus demo accounts (idempotent)."""
    added = load_reference_data()
    created = []
    if not no_accounts:
        if current_app.config["PLANVOICE_ENV"] == PRODUCTION:
            raise click.ClickException("Demo accounts are not created in production.")
        for email, role, name, bureau, areas in DEMO_USERS:
            if db.session.scalar(select(User.id).where(User.email == email)) is None:
                create_user(email, DEMO_PASSWORD, role=role, display_name=name,
                            bureau_code=bureau, area_codes=areas)  # fmt: skip
                created.append(f"{role}: {email}")
    db.session.commit()
    click.echo(f"Reference data: {added} added.")
    for line in created:
        click.echo(f"Demo account {line} (password: {DEMO_PASSWORD})")
