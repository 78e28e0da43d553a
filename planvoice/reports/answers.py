"""The resident's answer on a fix: the signed link of the "resolved" e-mail that lets only
them answer, and recording the answer (from that link, the reporter's account or browser, or
a community worker's call-back), which closes or reopens the report."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.reports.models import (
    SATISFACTION_LABELS,
    AnswerChannel,
    Report,
    ReportStatus,
    SatisfactionAnswer,
)
from planvoice.reports.services import ReportError, transition

# The "resolved" e-mail asks the resident whether they are satisfied through a link that only
# they received: signed, tied to this resolution (a later resolution makes it stale), and
# spent once answered, since a report takes one answer per resolution.
_SATISFACTION_SALT = "satisfaction-answer"
SATISFACTION_LINK_MAX_AGE = 30 * 24 * 3600  # seconds: a month to answer


def _satisfaction_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SATISFACTION_SALT)


def _resolution_stamp(report: Report) -> str | None:
    return report.resolved_at.isoformat(timespec="seconds") if report.resolved_at else None


def satisfaction_token(report: Report) -> str:
    """The token of ``report``'s satisfaction link for its current resolution."""
    return _satisfaction_serializer().dumps([report.id, _resolution_stamp(report)])


def report_of_satisfaction_token(code: str, token: str) -> Report | None:
    """The resolved report ``token`` lets its holder answer for, or None when the token is
    forged, expired, for another report or for an earlier resolution."""
    try:
        signed = _satisfaction_serializer().loads(token, max_age=SATISFACTION_LINK_MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    if not (isinstance(signed, list) and len(signed) == 2 and isinstance(signed[0], int)):
        return None
    report = db.session.get(Report, signed[0])
    if report is None or report.code != code or report.status != ReportStatus.RESOLVED:
        return None
    return report if _resolution_stamp(report) == signed[1] else None


def answer_satisfaction(
    report: Report,
    *,
    answer: str,
    solved: bool,
    channel: str,
    comment: str | None = None,
    user=None,
    recorded_by=None,
) -> SatisfactionAnswer:
    """The resident's word on a resolved report, once per resolution, and flush: satisfied (or
    basically) and solved closes it; not satisfied or not solved reopens it to the same bureau,
    counted. ``channel`` says how the answer came (an ``AnswerChannel``); a call-back
    (``phone``) names the community worker who ``recorded_by`` it. The caller has checked,
    through ``policy``, that the answer is the resident's."""
    if answer not in SATISFACTION_LABELS:
        raise ReportError(_("Choose how satisfied you are with the fix."))
    if channel not in AnswerChannel.__members__.values():
        raise ValueError(f"unknown answer channel {channel!r}")
    if (channel == AnswerChannel.PHONE) != (recorded_by is not None):
        raise ValueError("a call-back answer, and only one, names who recorded it")
    refusal = _(
        "You can say whether you are satisfied once the report is resolved, once each time."
    )
    judged_bureau = report.bureau
    # As on the 12345 hotline: a resident who is not satisfied, or whose problem is not
    # solved, sends the case back to the bureau that handled it; reopenings are counted.
    if answer == "not_satisfied" or not solved:
        signal, status = signals.report_reopened, ReportStatus.REOPENED
        # resolved_at is cleared: the fix failed, and the next resolution records its own time.
        extra = {"reopen_count": report.reopen_count + 1, "resolved_at": None}
        bureau = judged_bureau  # back to the bureau that did the work
    else:
        signal, status, extra, bureau = signals.report_closed, ReportStatus.CLOSED, {}, None
    event = transition(
        report,
        status,
        note=comment,
        bureau=bureau,
        allowed=(ReportStatus.RESOLVED,),
        # Stored with the status in one UPDATE, so only the answer that moved the report counts.
        extra={"satisfaction": answer, "solved": solved, **extra},
        refusal=refusal,
    )
    recorded = SatisfactionAnswer(
        report_id=report.id,
        event=event,
        bureau_id=judged_bureau.id if judged_bureau is not None else None,
        satisfaction=answer,
        solved=solved,
        channel=channel,
        recorded_by_id=recorded_by.id if recorded_by is not None else None,
    )
    db.session.add(recorded)
    record_event(
        f"report.{answer}",
        report,
        actor=recorded_by or user,
        after={"status": report.status, "solved": solved, "channel": channel},
        note=comment,
    )
    db.session.flush()
    signal.send(report, event=event)
    return recorded
