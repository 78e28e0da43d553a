"""A person's paces, the one-click unsubscribe address in every message, and the page of a
digest's items."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import csrf
from planvoice.core.i18n import _
from planvoice.notifications import digests, services, unsubscribing
from planvoice.notifications.forms import PaceForm


def save_pace():
    """Save an account's paces, or an e-mail-only follower's (their form carries a signed
    token of their address, from the page their messages link to)."""
    token = request.form.get("pace_token")
    found = unsubscribing.read_token(token, scopes=(unsubscribing.PACE,)) if token else None
    if found is None and not current_user.is_authenticated:
        abort(403)
    form = PaceForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        services.set_pace(
            user=None if found else current_user._get_current_object(),
            address=found[0] if found else None,
            own=form.pace_own.data,
            following=form.pace_following.data,
        )
        flash(_("Saved: we will write to you at the pace you chose."))
    back = request.form.get("back") or ""
    if found and back.startswith("/following/"):
        return redirect(back + "#pace")
    return redirect(url_for("following.show_following", _anchor="pace"))


@csrf.exempt  # the form below checks its own token; a mail program's one click has none
def unsubscribe(token: str):
    """The link in every message that is not a password reset: confirm (POST, so that mail
    scanners following links stop nothing), or one click in the mail program (RFC 8058)."""
    found = unsubscribing.read_token(token) or abort(404)
    address, scope = found
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        unsubscribing.unsubscribe(address, scope)
        return "", 200
    form = FlaskForm()
    if form.validate_on_submit():
        unsubscribing.unsubscribe(address, scope)
        return render_template("notifications/unsubscribe.html", scope=scope, done=True)
    return render_template("notifications/unsubscribe.html", scope=scope, form=form, done=False)


def show_digest(token: str):
    digest = digests.digest_for_token(token) or abort(404)
    return render_template(
        "notifications/digest.html", digest=digest, items=digests.items_of(digest)
    )
