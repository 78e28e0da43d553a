"""Following: a measure, a report, a street or community, or a place with a radius, by
account or by a confirmed e-mail address; who is told when something happens to them is
asked of ``following.queries``."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the receivers to their signals (``core.signals``): a deleted account's follows
    are forgotten."""
    from planvoice.core import signals
    from planvoice.following.services import forget_person

    signals.account_deleted.connect(forget_person)
