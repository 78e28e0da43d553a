"""Reading the outbox: the messages that could not be sent, for administrators."""

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage, OutboxStatus


def list_failed_messages(limit: int = 100) -> list[OutboxMessage]:
    """Messages the worker gave up on, newest first (for the administrators' page)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
