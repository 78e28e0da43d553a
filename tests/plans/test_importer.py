"""Reading the bundled Erdao plan (text and HTML page) into sections, groups and measures."""

import codecs
import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planvoice.plans.importer import (
    ParsedPlan,
    PlanFormatError,
    decode_plan,
    parse_plan,
    plan_to_dict,
    plan_years,
)

PLAN_TXT = Path(__file__).resolve().parents[2] / "planvoice/plans/data/erdao-2021.txt"
PLAN_HTML = Path(__file__).resolve().parent / "data/erdao-2021.html"


@pytest.fixture(scope="module")
def plan_bytes() -> bytes:
    return PLAN_TXT.read_bytes()


@pytest.fixture(scope="module")
def plan(plan_bytes: bytes) -> ParsedPlan:
    return parse_plan(plan_bytes)


def _measures(plan: ParsedPlan):
    return [m for s in plan.sections for m in s.measures]


def test_metadata_comes_from_the_line_under_the_title(plan):
    assert plan.title == "图文解读二道区未来五年总体规划"
    assert plan.published == datetime.date(2021, 9, 30)
    assert plan.source == "区司法局"


def test_sections_follow_the_plan_in_order(plan):
    assert [(s.number, s.title, len(s.measures)) for s in plan.sections] == [
        (None, "“一三六”发展思路", 1),
        (None, "今后五年全区发展总的目标", 1),
        ("(一)", "繁荣兴旺的现代化经济体系", 3),
        ("(二)", "多元平衡的现代化开放体系", 9),
        ("(三)", "宜居宜业的现代化生态体系", 3),
        ("(四)", "协调发展的现代化城乡体系", 3),
        ("(五)", "共建共享的现代化民生体系", 3),
        ("(六)", "科学高效的现代化治理体系", 3),
        (None, "全面加强党的领导", 4),
    ]
    assert len(_measures(plan)) == 30


def test_intro_holds_subtitle_guiding_thought_and_lead_ins(plan):
    assert len(plan.intro) == 4
    assert plan.intro[0] == "——二道区未来五年指导思想发展思路总体目标实践路径"
    assert plan.intro[1] == "今后五年,全区发展总的指导思想是:"
    assert plan.intro[2].startswith("以习近平新时代中国特色社会主义思想为引领")
    assert plan.intro[2].endswith("奠定基础。")
    assert plan.intro[3] == "今后五年,全区发展总的实践路径是:构建“六个现代化体系”"


def test_image_headings_become_measures_without_text(plan):
    first, second, economy = plan.sections[:3]
    assert [(m.title, m.text, m.group) for m in first.measures] == [("“一三六”发展思路", "", None)]
    assert [(m.title, m.text) for m in second.measures] == [("今后五年全区发展总的目标", "")]
    assert [(m.title, m.text, m.group, m.targets) for m in economy.measures] == [
        ("优化发展布局", "", None, ()),
        ("强化发展支撑", "", None, ()),
        ("催化发展动能", "", None, ()),
    ]


def test_group_headings_group_the_following_measures(plan):
    opening = plan.sections[3]
    assert [m.group for m in opening.measures] == (
        ["向深化改革要红利"] * 3 + ["向区域创新要活力"] * 3 + ["向对外开放要动力"] * 3
    )
    assert all(m.group is None for s in plan.sections[4:] for m in s.measures)


def test_measure_title_is_the_lead_clause_and_text_the_whole_paragraph(plan):
    by_title = {m.title: m for m in _measures(plan)}
    for title in (
        "实施最严格的生态保护",
        "“绣花功夫”管理城市",
        "推进经济改革攻坚",
        "突出思想政治建设",
        "强化党对人大、政府、政协工作的领导",
    ):
        assert title in by_title
    ecology = by_title["实施最严格的生态保护"]
    assert ecology.text.startswith("实施最严格的生态保护。坚决打赢蓝天保卫战")
    assert ecology.text.endswith("确保受污染耕地和地块安全利用率均达到100%。")
    assert PLAN_TXT.read_text(encoding="utf-8").count(ecology.text) == 1


def test_measures_carry_their_targets(plan):
    counts = {m.title: len(m.targets) for m in _measures(plan) if m.targets}
    assert counts == {
        "实施创新人才集聚工程": 3,
        "实施创新载体打造工程": 2,
        "实施最严格的生态保护": 2,
        "发展最优质的生态经济": 3,
        "“工匠精神”建设城市": 3,
        "“绣花功夫”管理城市": 2,
        "就业创业坚持数量与质量并进": 6,
        "完善党建引领“四式治理”模式": 3,
        "大力弘扬社会主义核心价值观": 4,
        "突出思想政治建设": 3,
        "加强干部队伍建设": 4,
        "推进基层组织建设": 4,
    }
    for measure in _measures(plan):
        for target in measure.targets:
            assert measure.text[target.start : target.end] == target.text


def test_keys_are_url_safe_unique_and_stable(plan, plan_bytes):
    keys = [m.key for m in _measures(plan)]
    assert len(set(keys)) == 30
    assert all(k.startswith("m-") and k.replace("-", "").isalnum() and k.isascii() for k in keys)
    assert keys == [m.key for m in _measures(parse_plan(plan_bytes))]


def test_key_survives_an_edit_of_the_measure_text(plan, plan_bytes):
    edited = plan_bytes.replace("打造5条高品质街路".encode(), "打造8条高品质街路".encode())
    assert edited != plan_bytes
    assert [m.key for m in _measures(parse_plan(edited))] == [m.key for m in _measures(plan)]


def test_measures_with_the_same_title_get_numbered_keys():
    data = "\n".join(
        [
            "某区规划",
            "(一)第一部分",
            "加强管理,提高效率。",
            "(二)第二部分",
            "加强管理,改善服务。",
            "加强管理,保障安全。",
        ]
    ).encode()
    keys = [m.key for s in parse_plan(data).sections for m in s.measures]
    assert keys[1] == keys[0] + "-2"
    assert keys[2] == keys[0] + "-3"
    assert keys == [m.key for s in parse_plan(data).sections for m in s.measures]


def test_html_page_parses_like_the_text(plan):
    from_html = parse_plan(PLAN_HTML.read_bytes())
    assert from_html == plan


def test_html_entities_are_decoded_and_scripts_ignored():
    page = PLAN_HTML.read_text(encoding="utf-8")
    assert "&ldquo;" in page and "<script>" in page and "<style>" in page
    text = json.dumps(plan_to_dict(parse_plan(PLAN_HTML.read_bytes())), ensure_ascii=False)
    assert "&ldquo;" not in text and "&mdash;" not in text and "“口袋公园”" in text
    assert "不应出现" not in text and "(七)" not in text and "(八)" not in text


def test_gb18030_and_bom_encodings_parse_like_utf8(plan):
    text = PLAN_TXT.read_text(encoding="utf-8")
    assert parse_plan(text.encode("gb18030")) == plan
    assert parse_plan(codecs.BOM_UTF8 + text.encode("utf-8")) == plan
    assert parse_plan(text.replace("\n", "\r\n").encode("utf-8")) == plan


def test_decode_plan_prefers_utf8_and_falls_back_to_gb18030():
    assert decode_plan("二道区".encode()) == "二道区"
    assert decode_plan("二道区".encode("gb18030")) == "二道区"
    assert decode_plan(codecs.BOM_UTF8 + "二道区".encode()) == "二道区"


def test_metadata_accepts_other_labels_and_date_forms():
    body = "(一)第一部分\n加强管理,提高效率。"
    for line in ("发布时间:2021年9月30日 来源:区发改局", "日期:2021/09/30  来源:区发改局"):
        parsed = parse_plan(f"首页 > 规划\n某区规划\n{line}\n{body}".encode())
        assert (parsed.title, parsed.published, parsed.source) == (
            "某区规划",
            datetime.date(2021, 9, 30),
            "区发改局",
        )


def test_without_metadata_the_first_line_is_the_title():
    parsed = parse_plan("某区规划\n一、总体要求\n加强管理,提高效率。".encode())
    assert (parsed.title, parsed.published, parsed.source) == ("某区规划", None, None)
    assert [(s.number, s.title) for s in parsed.sections] == [("一、", "总体要求")]


def test_lower_numbering_levels_group_measures_and_inner_lead_ins_stay_measures():
    data = "\n".join(
        [
            "某区规划",
            "一、经济发展",
            "(一)产业升级",
            "推进园区建设,打造2个特色园区。",
            "(二)消费提质",
            "重点实施以下工程:",
            "建设夜间经济街区,打造3条特色街路。",
            "二、社会治理",
            "完善网格管理,实现全覆盖。",
        ]
    ).encode()
    sections = parse_plan(data).sections
    assert [(s.number, s.title) for s in sections] == [("一、", "经济发展"), ("二、", "社会治理")]
    assert [(m.group, m.title) for m in sections[0].measures] == [
        ("产业升级", "推进园区建设"),
        ("消费提质", "重点实施以下工程"),
        ("消费提质", "建设夜间经济街区"),
    ]
    assert sections[0].measures[2].targets[0].subject == "特色街路"


def test_a_date_inside_a_measure_is_not_the_page_date():
    lines = ["某区规划", "一、总体要求"] + ["加强管理,提高效率。"] * 12 + ["完成时间:2022年6月30日"]
    parsed = parse_plan("\n".join(lines).encode())
    assert (parsed.title, parsed.published) == ("某区规划", None)


def test_plan_to_dict_has_exactly_the_published_shape(plan):
    data = plan_to_dict(plan)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {"title", "published", "source", "intro", "sections"}
    assert data["published"] == "2021-09-30"
    section = data["sections"][3]
    assert set(section) == {"number", "title", "measures"}
    assert set(section["measures"][0]) == {"key", "group", "title", "text", "targets"}
    target = data["sections"][3]["measures"][4]["targets"][0]
    assert target == {
        "text": "高精尖人才200名",
        "value": 200,
        "unit": "名",
        "subject": "高精尖人才",
        "comparator": "reach",
        # The measure says "利用3至5年时间", read from the plan's first year (2021).
        "deadline": 2025,
    }


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n  ",
        bytes(range(256)) * 10,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "实施最严格的生态保护,坚决打赢蓝天保卫战,秸秆离田率达到100%。".encode(),
    ],
    ids=["empty", "whitespace", "binary", "png", "single-paragraph"],
)
def test_bad_input_raises_a_readable_error(data):
    with pytest.raises(PlanFormatError) as excinfo:
        parse_plan(data)
    message = str(excinfo.value)
    assert message[0].isupper() and message.endswith(".")
    assert len(message.split()) >= 4


@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_input_parses_or_raises_plan_format_error(data):
    try:
        plan = parse_plan(data)
    except PlanFormatError as error:
        assert str(error)
    else:
        assert plan.sections and all(s.measures for s in plan.sections)


@pytest.mark.parametrize(
    ("first", "second", "numbers"),
    [
        ("第一章 经济发展", "第二章 社会治理", ["第一章", "第二章"]),
        ("1. 经济发展", "2. 社会治理", ["1.", "2."]),
        ("一、经济发展", "二、社会治理", ["一、", "二、"]),
        ("(一)经济发展", "(二)社会治理", ["(一)", "(二)"]),
        ("经济发展", "社会治理", [None, None]),
    ],
)
def test_every_section_numbering_style_is_recognised(first, second, numbers):
    data = "\n".join(
        ["某区规划", first, "推进园区建设,打造2个特色园区。", second, "完善网格管理,实现全覆盖。"]
    ).encode()
    sections = parse_plan(data).sections
    assert [s.number for s in sections] == numbers
    assert [s.title for s in sections] == ["经济发展", "社会治理"]
    assert [[m.title for m in s.measures] for s in sections] == [["推进园区建设"], ["完善网格管理"]]


def test_the_bundled_plan_covers_the_five_years_from_its_publication(plan):
    # "今后五年" in a plan published on 2021-09-30: 2021 to 2025.
    assert plan.years == (2021, 2025)


@pytest.mark.parametrize(
    ("text", "published", "years"),
    [
        ("第十四个五年规划和二〇三五年远景目标纲要（2021—2025年）", None, (2021, 2025)),
        ("2026-2030年发展规划", None, (2026, 2030)),
        ("关于制定“十五五”规划的建议", None, (2026, 2030)),
        ("今后五年的主要目标", datetime.date(2026, 1, 5), (2026, 2030)),
        ("政府工作报告", datetime.date(2026, 1, 5), None),
        ("2025—2021", None, None),
    ],
)
def test_plan_years_come_from_a_span_a_period_or_the_next_five_years(text, published, years):
    assert plan_years(text, published) == years
