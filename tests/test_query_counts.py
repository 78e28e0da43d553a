"""Every page a user or client reads costs a fixed number of queries: the same with a few items
as with ten times as many, and exactly the figure written here, so that a query added to a page
shows up as a failure to look at rather than as a slow page at a city's scale.

``PV_DUMP_QUERIES="/moderation /reports"`` prints the statements of those pages."""

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.models import Rating
from planvoice.feedback.queries import encode_cursor
from planvoice.feedback.services import rate_measure
from planvoice.performance.services import open_case, record_step
from planvoice.plans.models import Measure, Section
from planvoice.reports.areas import Area, Category, RoutingRule
from planvoice.reports.models import HELD_BY_BUREAU, ReportEvent, ReportStatus
from tests.conftest import app_without_page_cache, csrf_from
from tests.factories import CommentFactory, ReportFactory, UserFactory

# (who reads it, page, the queries it sends: loading the reader's account included).
PAGES = [
    (None, "/", 6),
    (None, "/plans/erdao-2021", 5),
    (None, "/sections/{section}", 3),
    (None, "/measures/{measure}", 10),
    ("resident", "/measures/{measure}", 14),
    (None, "/measures/{measure}?after={after}", 10),
    (None, "/reports", 5),
    (None, "/reports?category={category}", 6),
    (None, "/reports?area=dongsheng", 7),
    (None, "/reports?status=routed", 5),
    (None, "/reports?measure={measure}", 6),
    (None, "/reports?before={before}", 5),
    (None, "/reports/{report}", 5),
    (None, "/ranking", 5),
    (None, "/track", 0),
    (None, "/track?code={report}", 3),
    ("resident", "/me", 5),
    ("moderator", "/moderation", 19),
    ("moderator", "/reports/{report}", 12),
    ("clerk", "/reports/{report}", 9),
    ("clerk", "/bureau", 7),
    ("clerk", "/bureau?view=accepted", 7),
    ("clerk", "/bureau?view=in_progress", 7),
    ("clerk", "/bureau?view=overdue", 7),
    ("clerk", "/bureau?view=resolved", 4),
    ("clerk", "/bureau?view=returned", 5),
    ("clerk", "/bureau/export.csv?view=new", 5),
    ("admin", "/admin/audit", 4),
    ("admin", "/admin/audit?report={report}", 5),
    (None, "/api/v1/plans", 3),
    (None, "/api/v1/measures", 2),
    (None, "/api/v1/measures/{measure}", 9),
    (None, "/api/v1/reports", 2),
    (None, "/api/v1/reports/{report}", 3),
    (None, "/api/v1/ranking", 1),
    (None, "/open311/v2/requests.json", 9),
    # The scorecard: this month from the monthly counts, the last 30 days partly from cases.
    (None, "/performance", 5),
    (None, "/performance?window=30d", 5),
    (None, "/performance/bureaus/{bureau}", 12),
    (None, "/performance/areas/dongsheng", 12),
    (None, "/performance/method", 0),
    ("clerk", "/bureau/performance", 15),
    ("admin", "/admin", 6),
    (None, "/api/v1/performance", 6),
    (None, "/api/v1/performance?group=area&window=365d", 6),
    (None, "/api/v1/performance.csv", 6),
]


@pytest.fixture
def app(database_url, upload_folder):
    with app_without_page_cache(database_url, upload_folder) as app:
        yield app


class City:
    """The people and places of the test, and ``grow(n)``: n more of everything they see."""

    def __init__(self, plan):
        load_reference_data()
        db.session.commit()
        self.plan = plan
        self.measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
        self.measures = list(db.session.scalars(select(Measure).order_by(Measure.id)))
        self.section = db.session.scalar(select(Section).order_by(Section.id).limit(1))
        self.street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
        self.communities = [
            Area(code=f"dongsheng-{n}", name=f"东盛第{n}社区", kind="community", parent=self.street)
            for n in (1, 2)
        ]
        db.session.add_all(self.communities)
        self.categories = list(db.session.scalars(select(Category).order_by(Category.id)))
        # A rule for one community: the queue's routing suggestions read the rules.
        db.session.flush()
        rule = RoutingRule(
            category_id=self.categories[0].id,
            area_id=self.communities[0].id,
            bureau_id=self.categories[1].default_bureau_id,
        )
        db.session.add(rule)
        self.resident = UserFactory()
        self.moderator = UserFactory(moderator=True, areas=[self.street])
        self.bureau = self.categories[0].default_bureau
        self.clerk = UserFactory(bureau_staff=True, bureau=self.bureau)
        self.admin = UserFactory(admin=True)
        self.rounds = 0

    def grow(self, n: int) -> None:
        for i in range(n):
            self._add_round(i)
        db.session.commit()

    def _add_round(self, i: int) -> None:
        self.rounds += 1
        parent = CommentFactory(measure=self.measure, published=True, user=self.resident)
        self.first_comment = getattr(self, "first_comment", parent)
        CommentFactory(measure=self.measure, published=True, parent=parent)
        CommentFactory(measure=self.measure, published=True, flag_count=1)
        CommentFactory(measure=self.measure, user=self.resident)  # pending
        measure = self.measures[self.rounds % len(self.measures)]
        if (
            db.session.scalar(
                select(Rating.id).where(
                    Rating.measure_id == measure.id, Rating.voter_key == f"user:{self.resident.id}"
                )
            )
            is None
        ):
            rate_measure(
                measure, voter_key=f"user:{self.resident.id}", value=1 + i % 5, user=self.resident
            )
        area = self.communities[i % len(self.communities)]
        long_ago = utcnow() - timedelta(days=40)
        for status in ReportStatus:
            category = self.categories[i % len(self.categories)]
            held = status in HELD_BY_BUREAU
            report = ReportFactory(
                category=category,
                area=area,
                status=status,
                user_id=self.resident.id,
                author_key=f"user:{self.resident.id}",
                contact="13800138000",
                published_at=None if status == ReportStatus.SUBMITTED else long_ago,
                bureau=self.bureau if held else None,
                # Routed long ago: every tab has overdue reports too.
                routed_at=long_ago if held else None,
            )
            if held or status == ReportStatus.RETURNED:
                # Each routing is a case of the scorecard, this month and long ago.
                for routed in (long_ago, utcnow() - timedelta(hours=1)):
                    case = open_case(report, self.bureau.id, at=routed)
                    if status != ReportStatus.ROUTED:
                        record_step(case, status, at=routed + timedelta(hours=1))
            bureau = self.bureau if held or status == ReportStatus.RETURNED else None
            note = "不属于本局职责。" if status == ReportStatus.RETURNED else "处理中"
            db.session.add(
                ReportEvent(report_id=report.id, status=status, note=note, bureau=bureau)
            )
            record_event("report.submit", report, actor=self.resident)
            self.report = report
        db.session.flush()


def _signed_in(app, user):
    client = app.test_client()
    login = {"login": user.login, "password": "correct horse battery"}
    response = client.post("/login", data=login | {"csrf_token": csrf_from(client, "/login")})
    assert response.status_code == 302
    return client


def _count_each_page(app, city, count_queries) -> dict[str, int]:
    clients = {
        None: app.test_client(),
        "resident": _signed_in(app, city.resident),
        "moderator": _signed_in(app, city.moderator),
        "clerk": _signed_in(app, city.clerk),
        "admin": _signed_in(app, city.admin),
    }
    # A later page of the thread: after its first comment.
    after = encode_cursor(city.first_comment)
    values = {
        "section": city.section.id,
        "measure": city.measure.id,
        "bureau": city.bureau.code,
        "category": city.categories[0].code,
        "after": after,
        "report": city.report.code,
        "before": city.report.id - 3,
    }
    counts = {}
    for who, page, _ in PAGES:
        url = page.format(**values)
        with count_queries as counter:
            response = clients[who].get(url)
        # Tracking a code sends the reader on to the report's page.
        expected = 302 if "code=" in url else 200
        assert response.status_code == expected, (url, response.status_code)
        counts[who, page] = counter.count
        if os.environ.get("PV_DUMP_QUERIES") and page in os.environ["PV_DUMP_QUERIES"].split():
            print(
                "\n#", page, *(q.replace("\n", " ")[-300:] for q in counter.statements), sep="\n  "
            )
    return counts


def test_each_page_costs_the_same_queries_with_ten_times_the_items(
    app, plan, count_queries, no_rate_limits
):
    city = City(plan)
    city.grow(2)
    few = _count_each_page(app, city, count_queries)
    city.grow(18)
    many = _count_each_page(app, city, count_queries)

    grew = {key: (few[key], many[key]) for key in few if few[key] != many[key]}
    assert not grew, f"pages whose queries grow with the data: {grew}"
    changed = {(who, page): (many[who, page], n) for who, page, n in PAGES if many[who, page] != n}
    assert not changed, f"pages whose query count changed (sent, written here): {changed}"
