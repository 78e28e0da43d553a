"""PlanVoice (规划民声): residents' feedback on a government plan, measure by measure."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from planvoice import following, notifications, performance, progress
from planvoice.accounts import queries as accounts_queries
from planvoice.accounts.blueprint import bp as accounts_bp
from planvoice.accounts.cli import users_cli
from planvoice.admin.blueprint import bp as admin_bp
from planvoice.api.blueprint import bp as api_bp
from planvoice.bureaus.blueprint import bp as bureaus_bp
from planvoice.config import load_config
from planvoice.core import caching, errors, i18n, params, policy, security
from planvoice.core import db as core_db
from planvoice.core.extensions import csrf, db, limiter, login_manager, migrate
from planvoice.core.health import bp as health_bp
from planvoice.demo import demo_cli
from planvoice.feedback.blueprint import bp as feedback_bp
from planvoice.following.blueprint import bp as following_bp
from planvoice.moderation.blueprint import bp as moderation_bp
from planvoice.notifications.blueprint import bp as notifications_bp
from planvoice.notifications.cli import outbox_cli
from planvoice.open311.blueprint import bp as open311_bp
from planvoice.open311.cli import open311_cli
from planvoice.performance.blueprint import bp as performance_bp
from planvoice.performance.cli import performance_cli
from planvoice.plans.blueprint import bp as plans_bp
from planvoice.plans.cli import plan_cli
from planvoice.progress.blueprint import bp as progress_bp
from planvoice.progress.cli import targets_cli
from planvoice.reports.blueprint import bp as reports_bp
from planvoice.reports.cli import reports_cli

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    if proxies := app.config["PLANVOICE_TRUSTED_PROXIES"]:
        # The client's address (rate limits) and scheme as the trusted proxies saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    # JSON keeps the documented key order and readable Chinese.
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(accounts_queries.load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = i18n._l("Please sign in to continue.")
    limiter.init_app(app)
    i18n.init_app(app)
    caching.init_app(app)
    security.init_app(app)
    core_db.init_app(app, db)
    params.init_app(app)  # before the blueprints: their <int:…> ids are bounded
    errors.init_app(app)
    notifications.init_app(app)
    following.init_app(app)
    progress.init_app(app)
    performance.init_app(app)

    blueprints = (
        plans_bp,
        feedback_bp,
        reports_bp,
        accounts_bp,
        following_bp,
        notifications_bp,
        moderation_bp,
        bureaus_bp,
        progress_bp,
        performance_bp,
        admin_bp,
        api_bp,
        open311_bp,
        health_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    for command in (
        plan_cli,
        users_cli,
        demo_cli,
        outbox_cli,
        open311_cli,
        reports_cli,
        performance_cli,
        targets_cli,
    ):
        app.cli.add_command(command)
    # Templates ask the policy module, never the roles, what to show.
    app.jinja_env.globals.update(
        can_moderate_comments=policy.can_moderate_comments,
        can_read_audit_log=policy.can_read_audit_log,
        can_work_in_bureau_inbox=policy.can_work_in_bureau_inbox,
        can_handle_report=policy.can_handle_report,
        can_administer=policy.can_administer,
    )
    return app
