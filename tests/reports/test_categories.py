"""A category an administrator retires is no longer offered, while its old reports stay."""

from planvoice.core.extensions import db
from tests.factories import ReportFactory
from tests.reports.conftest import post_report


def test_a_retired_category_is_not_offered_but_its_reports_stay_listed(english, categories):
    dust = categories["dust"]
    old = ReportFactory(category=dust, lat=43.87, lng=125.35, published=True)
    dust.is_active = False
    db.session.commit()

    form = english.get("/reports/new").text
    assert 'value="bare_ground"' in form and 'value="dust"' not in form
    response = post_report(english, category="dust")
    assert response.status_code == 400
    assert "Choose one of the listed kinds of problem." in response.text

    listing = english.get("/reports?category=dust").text
    assert old.code in listing
