"""The scorecard's pages: public tables and method in both languages, a bureau's page with its
charts, the bureau's own page for its staff only, and a fixed number of queries."""

import csv
import io

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from tests.factories import UserFactory
from tests.performance.cases import at, make_case


@pytest.fixture
def some_cases(places):
    return [
        make_case(places, "urban_management", ("accepted", at(9, 25)), ("resolved", at(9, 28)),
                  ("closed", at(9, 29), "satisfied", True))
        for _ in range(5)
    ] + [make_case(places, "urban_management")]  # fmt: skip


def test_the_scorecard_lists_every_bureau_and_street_with_rates_and_their_n(client, some_cases):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/performance?window=2026-09").text
    assert "By bureau" in page and "By street or town" in page
    assert "Urban Management and Law Enforcement Bureau" in page and "东盛街道" in page
    assert "100%" in page and "of 5" in page  # five satisfied answers of five
    # Bureaus without a case are listed apart, in one line.
    idle = page.split("No case in this period:")[1].split("</p>")[0]
    assert "Housing and Urban-Rural Development Bureau" in idle
    assert "Urban Management" not in idle
    assert 'href="/performance/bureaus/urban_management?window=2026-09"' in page
    chinese = client.get("/performance?window=2026-09", headers={"Accept-Language": "zh"}).text
    assert "区城市管理执法局" in chinese and "满意" in chinese


def test_the_method_page_explains_each_figure_in_both_languages(client):
    english = client.get("/performance/method", headers={"Accept-Language": "en"}).text
    assert "A case is one sending of a report to a bureau" in english.replace(
        "<strong>case</strong>", "case"
    )
    assert "fewer than 5 cases" in english
    chinese = client.get("/performance/method", headers={"Accept-Language": "zh"}).text
    assert "解决率" in chinese and "满意率" in chinese and "调休" in chinese


def test_a_bureaus_page_draws_its_months_as_charts_and_a_table(client, some_cases):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/performance/bureaus/urban_management?window=2026-09").text
    assert page.count('<svg class="chart-svg"') == 2
    assert '<title id="rates-title">Satisfied and resolved in time, by month' in page
    assert "<caption>The same numbers as a table</caption>" in page
    assert "2026-09" in page
    # The case never accepted is overdue and listed.
    assert some_cases[-1].report.code in page and "not accepted in time" in page
    assert client.get("/performance/bureaus/no_such_bureau").status_code == 404
    street = client.get("/performance/areas/dongsheng?window=2026-09").text
    assert "东盛街道" in street
    # A street's page leads to its reports, where residents follow it.
    assert 'href="/reports?area=dongsheng#follow-box"' in street


def test_the_csv_download_holds_the_same_rows_as_the_json(client, some_cases):
    response = client.get("/api/v1/performance.csv?group=bureau&window=2026-09")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    urban = next(row for row in rows if row["code"] == "urban_management")
    assert (urban["cases"], urban["satisfaction_rate"], urban["n_answers"]) == ("6", "1.0", "5")
    housing = next(row for row in rows if row["code"] == "housing")
    assert housing["satisfaction_rate"] == ""  # too few cases


def test_a_bureaus_own_page_is_not_for_guests_nor_residents(client, sign_in, some_cases):
    assert client.get("/bureau/performance").status_code == 302  # sign in first
    sign_in(UserFactory())
    assert client.get("/bureau/performance").status_code == 403


def test_a_bureaus_own_page_shows_its_figures_and_what_needs_it(client, sign_in, some_cases):
    bureau = db.session.scalar(select(Bureau).where(Bureau.code == "urban_management"))
    sign_in(UserFactory(bureau_staff=True, bureau=bureau))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/bureau/performance?window=2026-09").text
    assert "<h1>Urban Management and Law Enforcement Bureau</h1>" in page
    assert "Due this week" in page and some_cases[-1].report.code in page


def test_the_scorecard_costs_the_same_queries_for_few_cases_or_many(client, places, count_queries):
    make_case(places, "urban_management", ("accepted", at(9, 25)))
    client.get("/performance?window=2026-09")
    with count_queries as few:
        client.get("/performance?window=2026-09")
    for _ in range(12):
        make_case(places, "housing", ("accepted", at(9, 26)), ("resolved", at(9, 28)))
    with count_queries as many:
        client.get("/performance?window=2026-09")
    assert many.count == few.count


def test_the_admin_overview_counts_open_and_overdue_cases_by_bureau_and_street(
    client, sign_in, some_cases
):
    sign_in(UserFactory(admin=True))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/admin").text
    assert "Open cases now" in page
    # Five closed cases and one never accepted: one open, overdue, in Dongsheng.
    bureau_table, street_table = page.split('<table class="stack open-cases">')[1:]
    assert "Urban Management and Law Enforcement Bureau" in bureau_table
    assert '<td data-label="Open">1</td>' in bureau_table
    assert '<td data-label="Overdue now">1</td>' in bureau_table
    assert "东盛街道" in street_table and '<td data-label="Open">1</td>' in street_table
    assert "Housing and Urban-Rural Development Bureau" not in bureau_table  # no open case
