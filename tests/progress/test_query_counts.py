"""The progress pages cost a fixed number of queries, however many targets have entries."""

from datetime import date

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Target
from planvoice.progress import services
from tests.conftest import app_without_page_cache
from tests.progress.conftest import bureau


@pytest.fixture
def app(database_url, upload_folder):
    with app_without_page_cache(database_url, upload_folder) as app:
        yield app


def test_the_progress_pages_cost_the_same_queries_however_many_entries(
    client, count_queries, owned_parks, clerk, admin
):
    pages = ("/progress", f"/targets/{owned_parks.id}", f"/measures/{owned_parks.measure_id}")

    def counted() -> dict[str, int]:
        counts = {}
        for url in pages:
            with count_queries as counter:
                assert client.get(url).status_code == 200
            counts[url] = counter.count
        return counts

    services.record_progress(owned_parks, author=clerk, on=date(2024, 1, 1), value=1)
    db.session.commit()
    few = counted()
    for target in db.session.scalars(select(Target)).all():
        services.set_tracking(target, admin=admin, owner=bureau("housing"))
        for day in (1, 2, 3):
            services.record_progress(target, author=admin, on=date(2024, 2, day), value=day)
    db.session.commit()
    assert counted() == few
    # /progress: the plan, bureaus, and one for the targets with their measures, sections,
    # trackings, latest entries and the measures' report counts and ratings. The measure
    # page's panel adds one (and the bureaus' answers on it another).
    assert list(few.values()) == [3, 3, 11]
