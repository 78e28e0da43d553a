"""The public pages of a plan, as a resident sees them."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure


def _measure(title: str) -> Measure:
    return db.session.scalar(select(Measure).where(Measure.title == title))


def test_home_without_a_plan_says_so(client):
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert "No plan has been published yet" in response.text


def test_home_lists_every_section_and_measure(client, plan):
    response = client.get("/")
    page = response.text

    assert response.status_code == 200
    assert "图文解读二道区未来五年总体规划" in page and "区司法局" in page
    assert "9 个部分" in page and "30 项举措" in page
    assert page.count('href="/measures/') == 30
    assert "(二) 多元平衡的现代化开放体系" in page and "向深化改革要红利" in page
    # Headings whose content was an image are there, marked as such.
    assert "优化发展布局" in page and "原文无文字" in page


def test_section_page_shows_its_measures_under_their_groups(client, plan):
    section = _measure("推进经济改革攻坚").section
    page = client.get(f"/sections/{section.id}").text

    assert "多元平衡的现代化开放体系" in page
    assert page.index("向深化改革要红利") < page.index("推进经济改革攻坚")
    assert page.index("向区域创新要活力") < page.index("实施创新人才集聚工程")
    assert page.count('href="/measures/') == 9


def test_measure_page_shows_text_targets_and_neighbours(client, plan):
    measure = _measure("“绣花功夫”管理城市")
    page = client.get(f"/measures/{measure.id}?lang=en").text

    assert "全面消除建成区裸露地面" in page
    assert "Targets" in page and "高品质街路" in page and "reach 10" in page
    assert 'rel="prev"' in page and "“工匠精神”建设城市" in page
    assert 'rel="next"' in page and "就业创业坚持数量与质量并进" in page
    assert '<html lang="en">' in page


def test_measure_without_source_text_is_marked_as_such(client, plan):
    page = client.get(f"/measures/{_measure('优化发展布局').id}").text
    assert "原文未提供此项举措的文字" in page


def test_first_and_last_measures_have_one_neighbour_each(client, plan):
    first = client.get(f"/measures/{_measure('“一三六”发展思路').id}").text
    last = client.get(f"/measures/{_measure('深化党风廉政建设').id}").text
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_targets_carry_their_deadline(client, plan):
    page = client.get(f"/measures/{_measure('发展最优质的生态经济').id}?lang=en").text
    assert page.count("by 2025") == 3


@pytest.mark.parametrize("url", ["/measures/999999", "/sections/999999", "/plans/nope", "/x"])
def test_unknown_pages_are_a_friendly_404(client, plan, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This page does not exist" in response.text


def test_pages_use_a_fixed_number_of_queries(client, plan, count_queries):
    measure = _measure("“绣花功夫”管理城市")
    expected = {
        "/": 6,
        f"/sections/{measure.section_id}": 3,
        f"/measures/{measure.id}": 11,  # 9, its targets' progress and the bureaus' answers
    }
    for url, queries in expected.items():
        with count_queries as counter:
            assert client.get(url).status_code == 200
        assert counter.count == queries, (url, counter.statements)


def test_measure_text_marks_each_target_where_the_plan_states_it(client, plan):
    page = client.get(f"/measures/{_measure('“绣花功夫”管理城市').id}").text
    assert "打造<mark>5条高品质街路</mark>、<mark>10个“口袋公园”</mark>," in page
    assert "全面消除建成区裸露地面" in page
