"""Open311 GeoReport v2: the client apps allowed to file reports, and the reports they filed."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.reports.models import Report


class ApiKey(db.Model):
    """A client app's key for filing reports, issued by an administrator.

    Only the SHA-256 of the key is stored (a key is 256 random bits, so a slow hash adds
    nothing); the key itself is shown once, when it is issued. ``key_prefix`` tells keys apart
    on the admin page.
    """

    __tablename__ = "open311_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # Unique and indexed: authentication is a single lookup by the hash of the presented key.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None for keys issued from the command line, where no account is acting.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Request(db.Model):
    """How a report filed through Open311 arrived: the client app, the token the app follows
    until a community worker publishes the report, and the app's own ids (private)."""

    __tablename__ = "open311_requests"

    # The report's id as key: a report arrives through Open311 at most once.
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    api_key_id: Mapped[int] = mapped_column(ForeignKey("open311_api_keys.id"), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    # The app's own identifiers are kept private: they may identify a person's phone.
    device_id: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[str | None] = mapped_column(String(100))
    # Only when the reporter gave both an e-mail (the report's contact) and a phone number.
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship()
    api_key: Mapped[ApiKey] = relationship()
