"""Text messages to residents who left a mobile number instead of an e-mail address: the
tracking code of a report they filed, the steps of it, the satisfaction question once it is
resolved, and the six-digit sign-in code. Each goes through the outbox (channel "sms").

Texts are short and in the report's language; each step of a report texts once (keyed by
its timeline entry). Every text about a report ends with how to stop them.
"""

from flask_babel import force_locale

from planvoice.core import signals
from planvoice.core.i18n import _
from planvoice.core.identity import normalise_login
from planvoice.core.links import public_url
from planvoice.notifications.audience import RESIDENT_STEPS
from planvoice.notifications.models import Channel
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.sms import text_body
from planvoice.reports.answers import satisfaction_token
from planvoice.reports.models import EVENT_LABELS, STATUS_LABELS

# The steps a resident hears of by text: those they hear of by e-mail.
TEXTED_STEPS = RESIDENT_STEPS
DEFAULT_LANGUAGE = "zh_Hans"  # the district's language, for reports that gave none
SIGN_IN_CODE_MINUTES = 10  # as accounts.sign_in_codes.CODE_LIFETIME


def connect_receivers() -> None:
    """Connect this module's receivers to their signals (services.connect_receivers)."""
    signals.new_report_submitted.connect(text_tracking_code)
    for signal in signals.REPORT_STEPS:
        signal.connect(text_report_step)
    signals.sign_in_code_requested.connect(text_sign_in_code)


def text_tracking_code(report) -> None:
    """A report was filed with a mobile number as its contact: text its tracking code."""
    number = _mobile_contact(report)
    if number is None:
        return
    link = _report_link(report)
    with force_locale(_language(report)):
        text = _(
            "PlanVoice: we received your report. Its tracking code is %(code)s. "
            "Follow it at %(link)s",
            code=report.code,
            link=link,
        )
        _queue(number, report, "tracking_code", text, {"code": report.code, "link": link},
               key=f"sms:report-filed:{report.id}")  # fmt: skip


def text_report_step(report, *, event) -> None:
    """A step of a report whose contact is a mobile number: a short status line with the code;
    for "resolved" also the satisfaction question with the resident's own answer link."""
    number = _mobile_contact(report)
    if number is None or event.status not in TEXTED_STEPS:
        return
    link = _report_link(report)
    with force_locale(_language(report)):
        step = str(EVENT_LABELS.get(event.status) or STATUS_LABELS[event.status])
        text = _("PlanVoice: report %(code)s: %(step)s. Details: %(link)s",
                 code=report.code, step=step, link=link)  # fmt: skip
        params = {"code": report.code, "step": step, "link": link}
        _queue(number, report, "status", text, params, key=f"sms:report:{event.id}")
        if event.status == "resolved":
            # Only the reporter gets this text: the signed link lets them, and only them, answer.
            answer = f"{link}/answer/{satisfaction_token(report)}"
            question = _("PlanVoice: are you satisfied with the fix of report %(code)s? "
                         "Answer here: %(link)s", code=report.code, link=answer)  # fmt: skip
            _queue(number, report, "satisfaction", question, {"code": report.code, "link": answer},
                   key=f"sms:report:{event.id}:satisfaction")  # fmt: skip


def text_sign_in_code(user, *, code: str, language: str) -> None:
    """Text a sign-in code to the account's own number. No dedupe key (each request has its
    own code) and no STOP line (the person asked for it this minute)."""
    if not user.phone:
        return
    with force_locale(language):
        text = _(
            "PlanVoice sign-in code: %(code)s. It works for %(minutes)d minutes. "
            "Never give it to anyone.",
            code=code,
            minutes=SIGN_IN_CODE_MINUTES,
        )
        subject = _("Sign-in code")
    params = {"code": code, "minutes": SIGN_IN_CODE_MINUTES}
    queue_message(recipient=user.phone, subject=subject, language=language, channel=Channel.SMS,
                  body=text_body("sign_in_code", text, params))  # fmt: skip


def stop_line() -> str:
    """The last line of every text about a report (call inside ``force_locale``)."""
    return _("Reply STOP to stop")


def _queue(number, report, kind, text, params, *, key) -> None:
    # Called inside force_locale: the label and the STOP line are in the text's language.
    subject = _("Text about report %(code)s", code=report.code)
    queue_message(
        recipient=number,
        subject=subject,
        body=text_body(kind, f"{text}\n{stop_line()}", params),
        language=_language(report),
        dedupe_key=key,
        channel=Channel.SMS,
    )


def _mobile_contact(report) -> str | None:
    """The report's contact as a bare mobile number, or None (an e-mail, or nothing)."""
    if not report.contact or "@" in report.contact:
        return None
    kind_value = normalise_login(report.contact)
    return kind_value[1] if kind_value and kind_value[0] == "phone" else None


def _language(report) -> str:
    return report.language or DEFAULT_LANGUAGE


def _report_link(report) -> str:
    return public_url(f"/reports/{report.code}")
