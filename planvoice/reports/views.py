import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from planvoice.bureaus.queries import deadlines_of
from planvoice.core import policy, signals
from planvoice.core.caching import cached_page
from planvoice.core.extensions import db, limiter
from planvoice.core.i18n import _
from planvoice.core.identity import actor_key, hash_ip
from planvoice.core.params import parse_id
from planvoice.core.ratelimits import (
    REPORTS_PER_ACTOR,
    REPORTS_PER_CLIENT,
    per_actor,
)
from planvoice.core.security import mark_private
from planvoice.core.storage import send as send_stored
from planvoice.following import queries as following_queries
from planvoice.following import services as following_services
from planvoice.plans import queries as plan_queries
from planvoice.reports import drafts, queries, services
from planvoice.reports import photos as photo_files
from planvoice.reports.forms import MAX_PHOTOS, ReportForm, SatisfactionForm, SupportForm
from planvoice.reports.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    SATISFACTION_LABELS,
    SOLVED_LABELS,
    STATUS_LABELS,
)
from planvoice.reports.places import normalise_code

ONE_YEAR = 365 * 24 * 3600


# The report form


def new_report():
    form = _report_form(formdata=None)
    form.category.data = request.args.get("category")
    form.measure.data = request.args.get("measure", "")
    return _render_form(form)


@limiter.limit(REPORTS_PER_CLIENT)
@limiter.limit(REPORTS_PER_ACTOR, key_func=per_actor)
def create_report():
    form = _report_form()
    kept = _kept_photos(form)
    if request.form.get("action") == "check":
        # "Show reports already made here": check the place only, keep everything typed.
        form.validate_place()
        return _render_form(form, kept=_keep_chosen_photos(form, kept), check=True)
    valid = form.validate_on_submit()
    # Photos are re-encoded even when another field is refused, so they can be kept.
    processed, photo_errors = _process_photos(form) if not form.photos.errors else ([], [])
    if not valid or photo_errors:
        form.photos.errors = list(form.photos.errors) + photo_errors
        return _render_form(
            form,
            kept=_keep_chosen_photos(form, kept, processed),
            notice=_("Your report could not be sent yet. Please check the marked fields."),
            status=400,
        )
    try:
        report = services.submit_report(
            category=queries.get_category(form.category.data),
            description=form.description.data,
            submission_token=form.submission_token.data,
            author_key=actor_key(create=True),
            area=queries.get_area(form.area.data),
            address=form.address.data,
            point=form.point,
            photos=processed,
            kept_photos=kept,
            measure=_measure(form),
            reporter_name=form.name.data,
            contact=form.contact_value(),
            user=current_user if current_user.is_authenticated else None,
            ip_hash=hash_ip(request.remote_addr),
            language=str(get_locale()),
        )
    except services.ReportError as error:
        return _render_form(form, notice=str(error), status=400)
    flash(
        _(
            "Thank you. Your report is received: its tracking code is %(code)s. Keep it to "
            "follow what happens.",
            code=report.code,
        )
    )
    if form.follow.data:
        follow_as_participant(report, email=form.contact_value())
    return redirect(url_for("reports.show_report", code=report.code))


def show_nearby():
    """The "already reported here" list for the form's script, as an HTML fragment."""
    form = _report_form(formdata=request.args)
    form.validate_place()
    return render_template("reports/_nearby.html", nearby=_nearby(form), checked=True)


# Reading reports


@cached_page
def show_report(code: str):
    canonical = normalise_code(code)
    if canonical is None:
        abort(404)
    if canonical != code:
        return redirect(url_for("reports.show_report", code=canonical), 301)
    report = queries.get_report(code) or abort(404)
    key = actor_key()
    staff = policy.is_staff(current_user)
    panels = []
    if staff:  # the case page shows contacts and notes: never kept by any cache
        mark_private()
        # What each domain lets this staff member do now (``core.signals.case_page_opened``).
        user = current_user._get_current_object()
        panels = signals.draw_panels(
            signals.case_page_opened, report, shared={"report": report}, user=user
        )
    return render_template(
        "reports/show.html",
        report=report,
        is_author=bool(key) and report.author_key == key,
        # Staff never answer in a resident's name, nor say "me too": they work on the case.
        is_staff=staff,
        case_panels=panels,
        can_see=policy.can_see_report(current_user, key, report),
        supported=queries.supports(report, key),
        open_statuses=OPEN_STATUSES,
        deadlines=deadlines_of(report),
        satisfaction_form=SatisfactionForm(formdata=None),
        support_form=_support_form(report),
        follow_live=_live_follow("report", report.id),
        satisfaction_labels=SATISFACTION_LABELS,
        solved_labels=SOLVED_LABELS,
        **_staff_extras(report),
    )


def home_panel(_app, **_kwargs) -> signals.Panel:
    """Residents' part of the home page (a ``home_page_opened`` receiver): report, track, a
    guest's own reports in this browser, and what bureaus answered lately."""
    signed_in = current_user.is_authenticated
    # A signed-in resident's reports are on "My activity"; a guest has no page but this one.
    mine, answered = queries.home_page_reports(None if signed_in else actor_key())
    context = {"my_reports": mine, "answered": answered, "signed_in": signed_in}
    return signals.Panel("reports/_home.html", context)


def track_report():
    code_text = request.args.get("code")
    if code_text is None:
        return render_template("reports/track.html")
    code = normalise_code(code_text)
    if code is not None and queries.get_report(code) is not None:
        return redirect(url_for("reports.show_report", code=code))
    error = _(
        "There is no report with the code “%(code)s”. Check it and try again.",
        code=code_text.strip()[:40],
    )
    return render_template("reports/track.html", error=error, code=code_text), 404


@cached_page
def list_reports():
    args = request.args
    filters = queries.read_filters(args)
    page = queries.list_reports(filters, before=args.get("before", type=parse_id))
    return render_template(
        "reports/list.html",
        page=page,
        filters=filters,
        categories=queries.list_categories(),
        areas=queries.list_areas(),
        statuses=[(s, STATUS_LABELS[s]) for s in PUBLIC_STATUSES],
        follow_live=_live_follow("area", filters.area.id) if filters.area else None,
    )


def serve_photo(path: str):
    found = queries.get_photo(path) or abort(404)
    _photo, report = found
    if not policy.can_see_report(current_user, actor_key(), report):
        abort(404)
    response = send_stored(path, mimetype="image/jpeg", max_age=ONE_YEAR)
    # File names are random and never reused, so a public photo can be cached for good;
    # one that only its author may see yet must not sit in shared caches.
    response.cache_control.public = report.is_public
    response.cache_control.private = not report.is_public
    if report.is_public:
        response.cache_control.immutable = True
    return response


def serve_draft_photo(photo_id: int):
    """The thumbnail of a photo kept with a report form, for the browser that sent it only."""
    photo = drafts.get_draft_photo(photo_id, actor_key()) or abort(404)
    response = send_stored(photo.thumbnail_path, mimetype="image/jpeg")
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def serve_original_photo(code: str, photo_id: int):
    """A photo as the resident sent it, before a moderator redacted it: administrators only
    (everyone else gets 404, as if there were none)."""
    if not policy.can_see_unredacted(current_user):
        abort(404)
    report = queries.get_report(code) or abort(404)
    photo = next((p for p in report.photos if p.id == photo_id), None)
    if photo is None or photo.original_path is None:
        abort(404)
    response = send_stored(photo.original_path, mimetype="image/jpeg")
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


# Errors on the report form are shown on the form, with what was typed kept.


def show_limit_reached(error):
    message = _("You are sending too much too quickly. Please wait a minute and try again.")
    return _show_form_error(message, error, 429)


def show_expired_form(error):
    return _show_form_error(_("This form has expired. Please send it again."), error, 400)


def show_too_large(error):
    # The body was not read, so there is nothing of the form to keep.
    message = _("Your photos are too large together. Send at most 3, of at most 10 MB each.")
    return _show_form_error(message, error, 413)


def _show_form_error(message: str, error, status: int):
    if request.endpoint != "reports.create_report":
        return render_template("error.html", error=error, message=message), status
    form = _report_form(formdata=None if status == 413 else request.form)
    form.submission_token.data = None  # a fresh token for the next attempt
    return _render_form(form, notice=message, status=status)


# Helpers


def _report_form(**kwargs) -> ReportForm:
    return ReportForm(**kwargs).with_choices(
        queries.list_categories(active_only=True), queries.list_areas()
    )


def _kept_photos(form: ReportForm) -> list:
    """The photos kept from this form's earlier round trips, but those the resident removed."""
    kept = drafts.draft_photos(form.draft.data, actor_key())
    removed = set(request.form.getlist("remove_photo"))
    if gone := [photo for photo in kept if str(photo.id) in removed]:
        drafts.discard_draft_photos(gone)
    kept = [photo for photo in kept if photo not in gone]
    form.kept_count = len(kept)
    return kept


def _keep_chosen_photos(form: ReportForm, kept: list, processed=None) -> list:
    """The form goes back to the resident: keep the photos just sent (``processed``, or those
    chosen, re-encoded here) with the ones kept before, so nobody chooses them again.

    The page answers 400 when a field is refused, and such a request commits nothing; the
    kept photos (and those removed) are therefore committed here, the one commit it makes."""
    if processed is None:
        processed = [] if form.photos.errors else _process_photos(form)[0]
    room = max(MAX_PHOTOS - len(kept), 0)
    if processed[:room] or request.form.getlist("remove_photo"):
        form.draft.data = form.draft.data or secrets.token_urlsafe(32)
        kept = kept + drafts.keep_draft_photos(
            processed[:room], draft_key=form.draft.data, author_key=actor_key(create=True)
        )
        db.session.commit()
    return kept


def _render_form(form: ReportForm, *, kept=(), check=False, notice=None, status=200):
    page = render_template(
        "reports/new.html",
        form=form,
        kept_photos=kept,
        measure=_measure(form),
        nearby=_nearby(form),
        checked=check,
        notice=notice,
    )
    return page, status


def follow_as_participant(report, *, email: str | None) -> None:
    """The "follow" switch of the report form and of "me too", left ticked: the report is
    followed by account (``following.services``). A guest already hears of the report at the
    e-mail they typed there (as its reporter or supporter), so no e-mail follow is made."""
    signed_in = current_user.is_authenticated
    if not signed_in:
        return
    follow = following_services.follow_as_participant(
        "report",
        report,
        user=current_user._get_current_object() if signed_in else None,
        email=email,
        language=str(get_locale()),
    )
    if follow is not None and not follow.is_live:
        flash(
            _(
                "We have sent a link to %(email)s: open it to follow this report by e-mail.",
                email=follow.email,
            )
        )


def _live_follow(kind: str, target_id: int):
    """The signed-in reader's live follow of the page's subject (signed-in pages are never
    cached, so it may show)."""
    if not current_user.is_authenticated:
        return None
    return following_queries.live_follow_of(kind, target_id, current_user)


def _support_form(report) -> SupportForm:
    form = SupportForm(formdata=None)
    if not current_user.is_authenticated or not current_user.email_confirmed_at:
        # A guest hears of the report at the e-mail typed above; an account without a
        # confirmed address has nothing to follow with.
        del form.follow
    else:
        form.follow.data = following_queries.follows_by_default("report", report.id, current_user)
    return form


def _staff_extras(report) -> dict:
    """What the report's page shows staff only: internal notes (None: not for this reader),
    the moderation tools, and what a moderator redacted."""
    may_read_notes = policy.can_read_report_notes(current_user, report)
    return {
        "notes": queries.notes_of([report.id])[report.id] if may_read_notes else None,
        "can_moderate": policy.can_moderate_report(current_user, report),
        "can_see_unredacted": policy.can_see_unredacted(current_user),
    }


def _measure(form: ReportForm):
    measure_id = form.measure_id()
    return plan_queries.get_measure(measure_id) if measure_id else None


def _nearby(form: ReportForm):
    category = queries.get_category(form.category.data)
    if category is None or (form.point is None and not form.area.data):
        return []
    return queries.find_nearby(
        category,
        point=form.point,
        area=queries.get_area(form.area.data),
        exclude_key=actor_key(),
    )


def _process_photos(form: ReportForm) -> tuple[list, list[str]]:
    """Decode and re-encode every chosen photo; collect one message per bad file."""
    processed, errors = [], []
    for storage in form.chosen_photos():
        data = storage.stream.read(photo_files.MAX_PHOTO_BYTES + 1)
        try:
            processed.append(photo_files.process_photo(data, storage.filename))
        except photo_files.PhotoError as error:
            errors.append(str(error))
    return processed, errors
