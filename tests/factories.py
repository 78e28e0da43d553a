"""factory_boy factories for the models tests need in bulk or in a particular state."""

import factory
from werkzeug.security import generate_password_hash

from planvoice.accounts.models import User
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.policy import Role
from planvoice.feedback.models import Comment, CommentStatus
from planvoice.feedback.services import count_published
from planvoice.reports.models import Report, ReportStatus
from planvoice.reports.services import change_public_count, count_held

PASSWORD = "correct horse battery"  # noqa: S105 -- test accounts only
# Hashing is slow by design (scrypt takes about 80 ms here), and so is checking a hash, which
# every sign-in of a test does. Test accounts share one hash of PASSWORD made with a single
# PBKDF2 round: Werkzeug checks a hash by the method written in it, so sign-ins stay real.
# Accounts made through the sign-up form get the production scrypt hash.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    display_name = factory.Sequence(lambda n: f"居民{n}")
    password_hash = PASSWORD_HASH
    role = Role.RESIDENT
    email_confirmed_at = factory.LazyFunction(utcnow)

    class Params:
        moderator = factory.Trait(role=Role.MODERATOR, display_name="社区工作者")
        admin = factory.Trait(role=Role.ADMIN, display_name="管理员")
        bureau_staff = factory.Trait(role=Role.BUREAU, display_name="局办事员")


class CommentFactory(factory.alchemy.SQLAlchemyModelFactory):
    """A comment on a measure (pass ``measure=``); pending unless a trait says otherwise."""

    class Meta:
        model = Comment
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    nickname = factory.Sequence(lambda n: f"热心居民{n}")
    body = factory.Sequence(lambda n: f"建议多建几个口袋公园,第{n}条意见。")
    status = CommentStatus.PENDING
    submission_token = factory.Sequence(lambda n: f"token-{n}")
    author_key = factory.Sequence(lambda n: f"guest:test-{n}")

    class Params:
        published = factory.Trait(
            status=CommentStatus.PUBLISHED, published_at=factory.LazyFunction(utcnow)
        )

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        # Keep the measure's count of published comments (and a parent's reply_count), as
        # the services do.
        if create and self.status == CommentStatus.PUBLISHED:
            count_published(self, +1)
            db.session.commit()


class ReportFactory(factory.alchemy.SQLAlchemyModelFactory):
    """A report (pass ``category=``), in Dongsheng's box; submitted unless a trait says so."""

    class Meta:
        model = Report
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    code = factory.Sequence(lambda n: f"EDQ-{n:04d}-ZZ".replace("0", "A").replace("1", "B"))
    description = factory.Sequence(lambda n: f"小区门口的空地一直是黄土,第{n}次反映。")
    lat = 43.8712
    lng = 125.3520
    status = ReportStatus.SUBMITTED
    submission_token = factory.Sequence(lambda n: f"report-token-{n}")
    author_key = factory.Sequence(lambda n: f"guest:reporter-{n}")
    measure = factory.LazyAttribute(lambda report: report.category.measure)

    class Params:
        published = factory.Trait(
            status=ReportStatus.PUBLISHED, published_at=factory.LazyFunction(utcnow)
        )

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        # Keep the measure's count of public reports and the bureau's count of what it holds,
        # as the services do.
        if create:
            if self.is_public:
                change_public_count(self, +1)
            count_held(self.bureau_id, self.status, +1)
            db.session.commit()
