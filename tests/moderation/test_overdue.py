"""The queue shows community workers the routed reports of their areas whose bureau let a
time limit pass, and the reports bureaus sent back, oldest first and marked in words."""

from datetime import UTC, datetime

import pytest

from planvoice.bureaus.queries import get_bureau
from planvoice.core.db import utcnow
from planvoice.reports.areas import Category
from tests.factories import ReportFactory
from tests.moderation.conftest import category

LONG_AGO = datetime(2020, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def dust(areas) -> Category:
    return category("dust")


def _routed(areas, dust, *, area="dongsheng", status="routed", routed_at=LONG_AGO):
    return ReportFactory(category=dust, area=areas[area], status=status,
                         bureau=get_bureau("urban_management"), routed_at=routed_at)  # fmt: skip


def test_overdue_routed_reports_are_listed_and_marked(client, dongsheng_worker, areas, dust):
    late = _routed(areas, dust)
    late_accepted = _routed(areas, dust, status="accepted")
    in_time = _routed(areas, dust, routed_at=utcnow())
    elsewhere = _routed(areas, dust, area="jilin")

    page = client.get("/moderation").text

    section = page[page.index("Routed, overdue") :]
    assert late.code in section and late_accepted.code in section
    assert section.index(late.code) < section.index(late_accepted.code)  # oldest first
    assert in_time.code not in page and elsewhere.code not in page
    item = section[section.index(f'id="report-{late.code}"') :]
    assert item.index("Overdue") < item.index("</li>")


def test_returned_reports_say_they_wait_to_be_routed_again(client, dongsheng_worker, areas, dust):
    returned = ReportFactory(category=dust, area=areas["dongsheng"], status="returned",
                             routed_at=LONG_AGO, return_count=1)  # fmt: skip
    page = client.get("/moderation").text
    item = page[page.index(f'id="report-{returned.code}"') :]
    item = item[: item.index("</li>")]
    assert "Returned by the bureau: waiting to be routed again" in item
    assert "Overdue" in item


def test_no_overdue_section_when_all_is_in_time(client, dongsheng_worker, areas, dust):
    _routed(areas, dust, routed_at=utcnow())
    assert "Routed, overdue" not in client.get("/moderation").text
