from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planvoice.accounts.models import User
from planvoice.accounts.services import AccountError, change_role
from planvoice.admin import queries, services
from planvoice.admin.forms import (
    ROLE_LABELS,
    ActionForm,
    ApiKeyForm,
    AreaForm,
    AuditFilterForm,
    BureauForm,
    CalendarDayForm,
    CategoryForm,
    CommunityForm,
    RoutingRuleForm,
    TimeLimitsForm,
    UserRoleForm,
)
from planvoice.bureaus.models import Bureau, CalendarDay
from planvoice.bureaus.queries import list_bureaus
from planvoice.core import policy
from planvoice.core.audit import ACTION_LABELS, SUBJECT_LABELS
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.params import parse_id
from planvoice.notifications.models import OutboxMessage
from planvoice.notifications.queries import list_failed_messages
from planvoice.open311.models import ApiKey
from planvoice.open311.services import issue_key, revoke_key
from planvoice.performance.queries import open_and_overdue
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area, Category, RoutingRule
from planvoice.reports.queries import list_areas

admins_only = policy.requires(policy.can_administer)


def _actor() -> User:
    return current_user._get_current_object()


def _get(model, ident):
    """The row with this id, or None for no id (an optional select left empty)."""
    return db.session.get(model, ident) if ident is not None else None


def _values(form, *names) -> dict:
    return {name: form[name].data for name in names}


def _save_or_show(form, save, *, done: str, page):
    """Validate ``form`` and run ``save``; then go to ``done``, or show ``page`` again with the
    errors (status 422: the request commits nothing)."""
    if form.validate_on_submit():
        try:
            save()
        except (services.AdminError, AccountError) as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."))
            return redirect(done)
    return page(), 422 if form.is_submitted() else 200


@admins_only
def show_index():
    """The administrators' menu, under the open and overdue cases by bureau and by street."""
    return render_template("admin/index.html", cases=open_and_overdue())


# --- bureaus, categories, areas, routing rules ------------------------------------------------

BUREAU_FIELDS = ("name", "name_en", "email")


@admins_only
def list_bureaus_page():
    form = BureauForm()
    save = lambda: services.save_bureau(  # noqa: E731
        None, actor=_actor(), code=form.code.data, **_values(form, *BUREAU_FIELDS)
    )
    page = lambda: render_template("admin/bureaus.html", bureaus=list_bureaus(), form=form)  # noqa: E731
    return _save_or_show(form, save, done=url_for("admin.list_bureaus"), page=page)


@admins_only
def edit_bureau(bureau_id: int):
    bureau = db.session.get(Bureau, bureau_id) or abort(404)
    form = BureauForm(obj=bureau)
    del form.code  # codes never change
    save = lambda: services.save_bureau(bureau, actor=_actor(), **_values(form, *BUREAU_FIELDS))  # noqa: E731
    page = lambda: render_template("admin/bureau.html", bureau=bureau, form=form)  # noqa: E731
    return _save_or_show(form, save, done=url_for("admin.list_bureaus"), page=page)


def _save_category(category, form):
    services.save_category(
        category,
        actor=_actor(),
        code=form.code.data if category is None else None,
        default_bureau=_get(Bureau, form.default_bureau_id.data),
        measure=_get(Measure, form.measure_id.data),
        **_values(form, "position", "name_zh", "name_en", "hint_zh", "hint_en", "is_active"),
    )


@admins_only
def list_categories():
    form = CategoryForm()
    page = lambda: render_template(  # noqa: E731
        "admin/categories.html", categories=queries.list_categories(), form=form
    )
    return _save_or_show(
        form, lambda: _save_category(None, form), done=url_for("admin.list_categories"), page=page
    )


@admins_only
def edit_category(category_id: int):
    category = db.session.get(Category, category_id) or abort(404)
    form = CategoryForm(obj=category)
    del form.code
    page = lambda: render_template("admin/category.html", category=category, form=form)  # noqa: E731
    return _save_or_show(
        form,
        lambda: _save_category(category, form),
        done=url_for("admin.list_categories"),
        page=page,
    )


@admins_only
def list_areas_page():
    form = CommunityForm()
    save = lambda: services.add_community(  # noqa: E731
        _get(Area, form.parent.data), actor=_actor(), code=form.code.data, name=form.name.data
    )
    page = lambda: render_template("admin/areas.html", areas=list_areas(), form=form)  # noqa: E731
    return _save_or_show(form, save, done=url_for("admin.list_areas"), page=page)


@admins_only
def edit_area(area_id: int):
    area = db.session.get(Area, area_id) or abort(404)
    form = AreaForm(obj=area)
    save = lambda: services.update_area(  # noqa: E731
        area, actor=_actor(), name=form.name.data, box=form.box
    )
    page = lambda: render_template("admin/area.html", area=area, form=form)  # noqa: E731
    return _save_or_show(form, save, done=url_for("admin.list_areas"), page=page)


@admins_only
def list_routing_rules():
    form = RoutingRuleForm()
    save = lambda: services.add_routing_rule(  # noqa: E731
        category=_get(Category, form.category.data),
        area=_get(Area, form.area.data),
        bureau=_get(Bureau, form.bureau.data),
        actor=_actor(),
    )
    page = lambda: render_template(  # noqa: E731
        "admin/rules.html",
        rules=queries.list_routing_rules(),
        form=form,
        delete_form=ActionForm(formdata=None),
    )
    return _save_or_show(form, save, done=url_for("admin.list_routing_rules"), page=page)


@admins_only
def delete_routing_rule(rule_id: int):
    rule = db.session.get(RoutingRule, rule_id) or abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        services.delete_routing_rule(rule, actor=_actor())
        flash(_("The rule is deleted."))
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.list_routing_rules"))


# --- users and roles --------------------------------------------------------------------------


@admins_only
def list_users():
    text = request.args.get("q", "").strip()[:100]
    users = queries.search_users(text, after=request.args.get("after", type=parse_id))
    return render_template(
        "admin/users.html",
        users=users,
        text=text,
        roles=ROLE_LABELS,
        page_size=queries.USER_PAGE_SIZE,
    )


@admins_only
def edit_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        abort(404)
    form = UserRoleForm(obj=user, area_ids=[area.id for area in user.areas])
    save = lambda: change_role(  # noqa: E731
        user,
        role=form.role.data,
        bureau=_get(Bureau, form.bureau_id.data),
        areas=[db.session.get(Area, i) for i in form.area_ids.data or ()],
        actor=_actor(),
    )
    page = lambda: render_template("admin/user.html", user=user, form=form)  # noqa: E731
    return _save_or_show(form, save, done=url_for("admin.list_users"), page=page)


# --- time limits and the calendar -------------------------------------------------------------


def _time_limits_page(limits_form=None, calendar_form=None):
    return render_template(
        "admin/time_limits.html",
        limits_form=limits_form or TimeLimitsForm(obj=queries.current_time_limits()),
        calendar_form=calendar_form or CalendarDayForm(formdata=None),
        days=queries.list_upcoming_calendar_days(),
        delete_form=ActionForm(formdata=None),
    )


@admins_only
def edit_time_limits():
    form = TimeLimitsForm(obj=queries.current_time_limits())
    save = lambda: services.save_time_limits(  # noqa: E731
        actor=_actor(), **_values(form, "accept_days", "reply_days", "resolve_days")
    )
    return _save_or_show(
        form,
        save,
        done=url_for("admin.edit_time_limits"),
        page=lambda: _time_limits_page(limits_form=form),
    )


@admins_only
def add_calendar_day():
    form = CalendarDayForm()
    save = lambda: services.add_calendar_day(  # noqa: E731
        day=form.day.data,
        is_workday=form.kind.data == "workday",
        name=form.name.data,
        actor=_actor(),
    )
    return _save_or_show(
        form,
        save,
        done=url_for("admin.edit_time_limits"),
        page=lambda: _time_limits_page(calendar_form=form),
    )


@admins_only
def delete_calendar_day(day: str):
    try:
        entry = db.session.get(CalendarDay, date.fromisoformat(day))
    except ValueError:
        entry = None
    entry = entry or abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        services.delete_calendar_day(entry, actor=_actor())
        flash(_("The day is removed from the calendar."))
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.edit_time_limits"))


# --- Open311 client apps' keys ---------------------------------------------------------------


def _api_keys_page(form, *, issued=None):
    return render_template(
        "admin/api_keys.html", keys=queries.list_api_keys(), form=form, issued=issued
    )


@admins_only
def list_api_keys():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _api_keys_page(form), 422 if form.is_submitted() else 200
    api_key, key = issue_key(form.name.data, actor=_actor())
    # Only the key's hash is stored: this response is the one place the key is ever shown, so
    # it is rendered here (not flashed across a redirect) and kept out of every cache.
    page = _api_keys_page(ApiKeyForm(formdata=None), issued=(api_key, key))
    return page, 200, {"Cache-Control": "private, no-store"}


@admins_only
def revoke_api_key(key_id: int):
    api_key = db.session.get(ApiKey, key_id) or abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    elif revoke_key(api_key, actor=_actor()):
        flash(
            _(
                "The key of %(name)s is revoked: the app can no longer file reports.",
                name=api_key.name,
            )
        )
    else:
        flash(_("The key of %(name)s was already revoked.", name=api_key.name), "error")
    return redirect(url_for("admin.list_api_keys"))


# --- e-mails that failed, the audit log -------------------------------------------------------


@admins_only
def list_failed_emails():
    return render_template(
        "admin/outbox.html", messages=list_failed_messages(), form=ActionForm(formdata=None)
    )


@admins_only
def send_email_again(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("admin.list_failed_emails"))
    try:
        services.send_again(message, actor=_actor())
    except services.AdminError as error:
        flash(str(error), "error")
    else:
        flash(_("The e-mail is queued again; the next round of the outbox sends it."))
    return redirect(url_for("admin.list_failed_emails"))


@admins_only
def show_audit_log():
    form = AuditFilterForm(formdata=request.args)
    form.fill_choices(ACTION_LABELS, SUBJECT_LABELS, any_label=_("Any"))
    form.validate()  # shows what it cannot read; the filters it can read still apply
    # ``?report=<code>`` is the link other pages give to a report's entries.
    filters = {**form.data, "subject": form.subject.data or request.args.get("report")}
    page = queries.list_audit_events(
        before=request.args.get("before", type=parse_id),
        **{
            key: filters.get(key)
            for key in ("action", "subject_type", "subject", "actor", "date_from", "date_to")
        },
    )
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    older = (
        url_for("admin.show_audit_log", **args, before=page.events[-1].id)
        if (page.has_more)
        else None
    )
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        older=older,
        action_labels=ACTION_LABELS,
        subject_labels=SUBJECT_LABELS,
    )
