from flask import Response, abort, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed

from planvoice.api.openapi import build_openapi_document
from planvoice.core.errors import error_message
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.params import MAX_ID, parse_id
from planvoice.feedback import queries as feedback
from planvoice.performance import queries as performance
from planvoice.performance import windows
from planvoice.performance.export import scorecard_csv
from planvoice.plans import queries
from planvoice.plans.models import Measure, Plan, Section, Target
from planvoice.progress import queries as progress
from planvoice.reports import queries as reports
from planvoice.reports.models import Report
from planvoice.reports.places import normalise_code


class InvalidParameter(BadRequest):
    """A query parameter the document describes, given a value it does not allow."""


def render_http_error(error: HTTPException):
    """Every error under ``/api/`` as the document's ``Error``, with the headers HTTP asks
    for (``Allow`` on a 405, so a client learns the methods it may use)."""
    message = error.description if isinstance(error, InvalidParameter) else error_message(error)
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return {"error": {"code": error.code, "message": message}}, error.code, headers


def _id_arg(name: str) -> int | None:
    """The id in ``?name=``, None when it is absent; anything but an id is a 400."""
    text = request.args.get(name)
    if text is None:
        return None
    try:
        return parse_id(text)
    except ValueError:
        raise InvalidParameter(
            _("%(name)s must be a whole number from 1 to %(max)d.", name=name, max=MAX_ID)
        ) from None


def list_plans():
    return {"plans": [_plan(plan) for plan in queries.list_plans_with_sections()]}


def show_section(section_id: int):
    section = queries.get_section(section_id) or abort(404)
    return _section(section) | {
        "plan": _plan_ref(section.plan),
        "measures": [_measure(m) for m in section.current_measures],
    }


def list_measures():
    plan = None
    if slug := request.args.get("plan"):
        plan = queries.get_plan(slug) or abort(404)
    section_id = _id_arg("section")
    return {
        "measures": [_measure(m) for m in queries.list_measures(plan=plan, section_id=section_id)]
    }


def show_measure(measure_id: int):
    measure = queries.get_measure(measure_id) or abort(404)
    previous, following = queries.neighbours(measure)
    return (
        _measure(measure)
        | {
            "text": measure.text,
            "has_text": measure.has_text,
            "is_retired": measure.is_retired,
            "plan": _plan_ref(measure.section.plan),
            "previous": previous.id if previous else None,
            "next": following.id if following else None,
            "report_count": reports.count_measure_reports(measure),
        }
        | _feedback(measure)
    )


def show_ranking():
    ranking = feedback.rank_measures(section_id=_id_arg("section"))
    return {
        "ranking": [
            {
                "rank": item.rank,
                "measure": {
                    "id": item.measure.id,
                    "key": item.measure.key,
                    "title": item.measure.title,
                    "url": url_for(
                        "feedback.show_measure", measure_id=item.measure.id, _external=True
                    ),
                },
                "score": item.score,
                "mean": item.mean,
                "count": item.count,
            }
            for item in ranking
        ]
    }


def list_reports():
    args = request.args
    before = _id_arg("before")
    _id_arg("measure")  # read_filters reads it; a value that is not an id is refused here
    filters = reports.read_filters(args)
    page = reports.list_reports(filters, before=before)
    next_url = None
    if page.next_before:
        next_url = url_for(
            "api.list_reports", **(args.to_dict() | {"before": page.next_before}), _external=True
        )
    return {"reports": [_report(r) for r in page.reports], "next": next_url}


def show_report(code: str):
    report = reports.get_report(normalise_code(code))
    if report is None or not report.is_public:
        abort(404)
    return _report(report) | {
        "timeline": [
            {
                "status": e.status,
                "at": e.created_at.isoformat(),
                "note": e.note,
                "bureau": e.bureau.code if e.bureau else None,
            }
            for e in report.events
        ]
    }


def show_performance():
    """The scorecard of bureaus or streets for a window, every rate with its n."""
    return _scorecard()


def performance_csv():
    """The same rows as a spreadsheet: one line per bureau or street."""
    document = _scorecard()
    return Response(
        scorecard_csv(document),
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="performance-{document["group"]}-{document["window"]}.csv"'
            )
        },
    )


def _scorecard() -> dict:
    group = request.args.get("group", "bureau")
    if group not in performance.GROUPS:
        raise InvalidParameter(_("group must be “bureau” or “area”."))
    try:
        window = windows.parse_window(request.args.get("window"))
    except ValueError:
        raise InvalidParameter(_("window must be 30d, 90d, 365d or a month (YYYY-MM).")) from None
    return performance.scorecard(group, window)


def list_targets():
    """Every current target with its owner, state and latest value; ``history_url`` is its
    public page, ``/api/v1/targets/<id>`` its entries."""
    history = lambda target: url_for("progress.show_target", target_id=target.id, _external=True)  # noqa: E731
    return {"targets": progress.list_target_documents(history_url=history)}


def show_target(target_id: int):
    return progress.target_document(db.session.get(Target, target_id) or abort(404))


def openapi_document():
    return build_openapi_document()


def _plan_ref(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "slug": plan.slug,
        "title": plan.title,
        "url": url_for("plans.show_plan", slug=plan.slug, _external=True),
    }


def _plan(plan: Plan) -> dict:
    return _plan_ref(plan) | {
        "published": plan.published.isoformat() if plan.published else None,
        "source": plan.source,
        "intro": plan.intro_paragraphs,
        "sections": [
            _section(s) | {"measure_count": len(s.current_measures)}
            for s in plan.sections
            if s.current_measures
        ],
    }


def _section(section: Section) -> dict:
    return {
        "id": section.id,
        "number": section.number,
        "title": section.title,
        "url": url_for("plans.show_section", section_id=section.id, _external=True),
        "api_url": url_for("api.show_section", section_id=section.id, _external=True),
    }


def _measure(measure: Measure) -> dict:
    section = measure.section
    return {
        "id": measure.id,
        "key": measure.key,
        "title": measure.title,
        "section": {"id": section.id, "number": section.number, "title": section.title},
        "group": measure.group,
        "url": url_for("feedback.show_measure", measure_id=measure.id, _external=True),
        "targets": [_target(t) for t in measure.targets],
    }


def _feedback(measure: Measure) -> dict:
    """The rating summary and a page of the published thread (``?after=`` for the next)."""
    summary = feedback.get_rating_summary(measure)
    thread = feedback.get_thread(measure, reader_key=None, after=request.args.get("after"))
    next_url = None
    if thread.next_cursor:
        next_url = url_for(
            "api.show_measure", measure_id=measure.id, after=thread.next_cursor, _external=True
        )
    return {
        "rating": {
            "count": summary.count,
            "mean": summary.mean,
            "distribution": summary.distribution,
        },
        "comment_count": thread.count,
        "comments": [
            _comment(c) | {"replies": [_comment(r) for r in thread.replies.get(c.id, [])]}
            for c in thread.comments
        ],
        "comments_next": next_url,
    }


def _comment(comment) -> dict:
    # Only what the page shows to everyone: never contact data, address hashes or keys.
    return {
        "id": comment.id,
        "author": comment.author_name,
        "body": comment.body,
        "published_at": comment.published_at.isoformat(),
    }


def _report(report: Report) -> dict:
    # Public fields only: never the reporter's name or contact, keys or address hashes.
    point = report.public_point
    photo_url = lambda path: url_for("reports.serve_photo", path=path, _external=True)  # noqa: E731
    return {
        "code": report.code,
        "url": url_for("reports.show_report", code=report.code, _external=True),
        "category": {
            "code": report.category.code,
            "name_zh": report.category.name_zh,
            "name_en": report.category.name_en,
        },
        "measure": report.measure_id,
        "description": report.description,
        "area": {"code": report.area.code, "name": report.area.name} if report.area else None,
        "address": report.address,
        "lat": point[0] if point else None,
        "lng": point[1] if point else None,
        "photos": [
            {"url": photo_url(p.path), "thumbnail_url": photo_url(p.thumbnail_path)}
            for p in report.photos
        ],
        "media_url": report.media_url,
        "support_count": report.support_count,
        "status": report.status,
        "satisfaction": report.satisfaction,
        "solved": report.solved,
        "bureau": {"code": report.bureau.code, "name": report.bureau.name}
        if report.bureau
        else None,
        "created_at": report.created_at.isoformat(),
        "published_at": report.published_at.isoformat() if report.published_at else None,
    }


def _target(target: Target) -> dict:
    value = target.value.normalize()
    return {
        "id": target.id,
        "text": target.text,
        "value": int(value) if value == value.to_integral_value() else float(value),
        "unit": target.unit,
        "subject": target.subject,
        "comparator": target.comparator,
        "deadline": target.deadline,
    }
