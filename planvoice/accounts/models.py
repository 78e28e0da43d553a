"""People with an account: residents, community workers, bureau staff and administrators."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.bureaus.models import Bureau
from planvoice.core.db import TimestampMixin, UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _l
from planvoice.core.policy import Role
from planvoice.reports.areas import Area

# A community worker serves the streets, towns and communities listed here.
user_areas = Table(
    "user_areas",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)

# Each role as staff and residents read it.
ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.MODERATOR: _l("Community worker"),
    Role.BUREAU: _l("Bureau staff"),
    Role.ADMIN: _l("Administrator"),
}


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('resident', 'moderator', 'bureau', 'admin')", name="role"),
        # Every live account can sign in with something; a deleted one keeps no contact data.
        CheckConstraint("is_deleted OR email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
        CheckConstraint("pace_own IN ('immediately', 'daily', 'weekly', 'off')", name="pace_own"),
        CheckConstraint(
            "pace_following IN ('immediately', 'daily', 'weekly', 'off')", name="pace_following"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # Stored bare (normalise_login drops +86 and separators) so that one number cannot sign
    # up twice in two spellings.
    phone: Mapped[str | None] = mapped_column(String(11), unique=True)
    # None once the account is deleted, so nothing left can be matched.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(10), default=Role.RESIDENT)
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"))
    is_deleted: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id kept in the session cookie (``get_id``): raising it (sign-out, a new
    # password, a new role) ends every session made before, saved copies of the cookie too.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the person proved the address is theirs (the link sent on sign-up or on a change);
    # None: not yet, and nothing but that link and a password reset is sent to it.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the person last used the site in ("zh_Hans", "en"): their e-mail is
    # written in it. None until they first sign in.
    language: Mapped[str | None] = mapped_column(String(10))
    # How often they hear of their own reports, and of what they follow or took part in
    # (``notifications.models.Pace``).
    pace_own: Mapped[str] = mapped_column(
        String(12), default="immediately", server_default="immediately"
    )
    pace_following: Mapped[str] = mapped_column(String(12), default="daily", server_default="daily")

    bureau: Mapped[Bureau | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=user_areas, order_by=Area.code)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.is_deleted

    @property
    def login(self) -> str:
        """What the person signs in with, for display to themselves and to staff."""
        return self.email or self.phone or ""


class SignInCode(db.Model):
    """A six-digit code sent by text message to sign in without a password: kept hashed,
    valid for a few minutes, used once, and dead after a few wrong tries."""

    __tablename__ = "sign_in_codes"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship()
