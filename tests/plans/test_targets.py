"""Quantitative targets found in the measures of the bundled Erdao plan."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planvoice.plans.targets import ParsedTarget, extract_targets

PLAN_TXT = Path(__file__).resolve().parents[2] / "planvoice/plans/data/erdao-2021.txt"


def _paragraph(start: str) -> str:
    """The measure paragraph of the bundled plan that begins with ``start``."""
    lines = PLAN_TXT.read_text(encoding="utf-8").splitlines()
    (line,) = [line.strip() for line in lines if line.strip().startswith(start)]
    return line


def _summary(text: str) -> list[tuple]:
    return [(t.subject, t.value, t.unit, t.comparator, t.deadline) for t in extract_targets(text)]


def test_enumerated_employment_targets_are_separate():
    assert _summary(_paragraph("就业创业坚持数量与质量并进")) == [
        ("城镇就业", 9000, "人", "reach", None),
        ("困难人员就业", 1500, "人", "reach", None),
        ("退役军人就业", 500, "人", "reach", None),
        ("农村劳动力转移就业", 300, "人", "reach", None),
        ("人力资源服务企业", 10, "家", "reach", None),
        ("和谐劳动关系示范企业", 30, "家", "reach", None),
    ]


def test_deadline_applies_to_every_target_after_it_in_the_sentence():
    assert _summary(_paragraph("发展最优质的生态经济")) == [
        ("绿色园区", 1, "个", "reach", 2025),
        ("绿色工厂", 5, "个", "reach", 2025),
        ("绿色车间", 10, "个", "reach", 2025),
    ]


def test_subject_after_the_unit_loses_its_quote_marks():
    assert _summary(_paragraph("“绣花功夫”管理城市")) == [
        ("高品质街路", 5, "条", "reach", None),
        ("口袋公园", 10, "个", "reach", None),
    ]


def test_subject_before_the_number_loses_leading_verbs():
    assert _summary(_paragraph("实施创新人才集聚工程")) == [
        ("高精尖人才", 200, "名", "reach", None),
        ("新型农村实用人才", 1000, "名", "reach", None),
        ("专业技术人才", 3000, "名", "at_least", None),
    ]
    assert _summary(_paragraph("实施创新载体打造工程")) == [
        ("创新创业平台", 5, "个", "at_least", None),
        ("科创服务载体", 10, "个", "at_least", None),
    ]


def test_rates_and_increases():
    assert _summary(_paragraph("实施最严格的生态保护")) == [
        ("秸秆离田率", 100, "%", "reach", None),
        ("受污染耕地和地块安全利用率", 100, "%", "reach", None),
    ]
    assert _summary(_paragraph("完善党建引领")) == [
        ("社区治理先进示范点", 6, "个", "reach", None),
        ("幸福社区覆盖率", 80, "%", "reach", None),
        ("社会组织数量", 20, "%", "increase", None),
    ]


def test_city_building_targets():
    targets = extract_targets(_paragraph("“工匠精神”建设城市"))
    assert [(t.text, t.subject, t.value, t.unit, t.comparator) for t in targets] == [
        ("89条主次干道", "主次干道", 89, "条", "reach"),
        ("管线200公里以上", "管线", 200, "公里", "at_least"),
        ("2个美丽宜居示范村", "美丽宜居示范村", 2, "个", "reach"),
    ]


def test_party_building_targets():
    assert _summary(_paragraph("突出思想政治建设")) == [
        ("省级以上爱国主义教育基地", 3, "个", "reach", None),
        ("学习型社区", 15, "个", "reach", None),
        ("基层理论宣讲队伍", 2000, "人", "reach", None),
    ]
    assert _summary(_paragraph("大力弘扬社会主义核心价值观")) == [
        ("文明社区", 30, "个", "reach", None),
        ("文明校园", 18, "个", "reach", None),
        ("文明窗口", 10, "个", "reach", None),
        ("新时代好少年", 75, "名", "reach", None),
    ]


def test_shares_ages_and_counted_classes():
    targets = extract_targets(_paragraph("加强干部队伍建设"))
    assert [(t.text, t.subject, t.value, t.unit, t.comparator, t.deadline) for t in targets] == [
        (
            "处级领导干部全日制本科以上学历占30%",
            "处级领导干部全日制本科以上学历",
            30,
            "%",
            "reach",
            2025,
        ),
        ("40周岁以下占30%", "40周岁以下", 30, "%", "reach", 2025),
        # "30个班次": the counting noun is the unit; the subject is what is held.
        ("干部教育培训不少于30个班次", "干部教育培训", 30, "班次", "at_least", None),
        ("100名以上优秀干部", "优秀干部", 100, "名", "at_least", None),
    ]


def test_ranges_and_deadline_start_mid_sentence():
    targets = extract_targets(_paragraph("推进基层组织建设"))
    assert [(t.text, t.subject, t.value, t.unit, t.comparator, t.deadline) for t in targets] == [
        ("1~2个党建品牌", "党建品牌", 1, "个", "at_least", None),
        ("“两个覆盖”达到70%以上", "两个覆盖", 70, "%", "at_least", 2025),
        ("1个以上“红色孵化器”", "红色孵化器", 1, "个", "at_least", 2025),
        ("全区入孵企业不少于80家", "全区入孵企业", 80, "家", "at_least", 2025),
    ]


@pytest.mark.parametrize(
    "start",
    [
        "推进经济改革攻坚",  # “1+1+1”招商模式
        "推进农业农村改革攻坚",  # 到2023年, 三级
        "“大师手笔”规划城市",  # 一张蓝图, “六个一”
        "维护最稳固的生态安全",  # “四大工程”
        "深化党风廉政建设",  # “484”监督体系, “三不”
        "公共服务坚持扩面与扩能并行",
    ],
)
def test_names_that_only_look_numeric_are_not_targets(start):
    assert extract_targets(_paragraph(start)) == ()


@pytest.mark.parametrize(
    "text",
    [
        "构建“484”监督体系",
        "探索“1+1+1”招商模式",
        "构建“七横五纵”立体交通网络",
        "形成“六个一”体系",
        "建成三级农村产权流转交易服务平台",
        "培养“五型干部”",
        "为2035年基本实现社会主义现代化奠定基础",
        "利用3至5年时间",
        "推进5G基站建设",
        "深入贯彻党的十九大精神",
        "用3个月时间完成整改",
    ],
)
def test_no_false_targets(text):
    assert extract_targets(text) == ()


def test_no_false_target_anywhere_in_the_plan():
    found = [
        t.text
        for line in PLAN_TXT.read_text(encoding="utf-8").splitlines()
        for t in extract_targets(line)
    ]
    for name in ("484", "1+1+1", "七横五纵", "六个一", "三级", "五型", "2035", "2023", "3至5年"):
        assert not any(name in text for text in found), name
    assert len(found) == 39


def test_every_span_points_into_the_text():
    for line in PLAN_TXT.read_text(encoding="utf-8").splitlines():
        for target in extract_targets(line):
            assert line[target.start : target.end] == target.text
            assert str(target.value) in target.text


def test_values_are_int_when_integral_else_float():
    (whole, fraction) = extract_targets("新增绿地2.0万平方米、街路1.5公里。")
    assert (whole.value, type(whole.value), whole.unit) == (2, int, "万平方米")
    assert (fraction.value, type(fraction.value)) == (1.5, float)
    assert isinstance(extract_targets("打造5条高品质街路")[0], ParsedTarget)


def test_at_most_and_increase_comparators():
    assert _summary("PM2.5浓度控制在35微克以下,单位能耗不超过0.5吨,财政收入增长8%。") == [
        ("单位能耗", 0.5, "吨", "at_most", None),
        ("财政收入", 8, "%", "increase", None),
    ]


@given(
    st.text(
        alphabet="0123456789打造个条名%以上到年、,。“”~万平方米秸秆率达提升不少于第G+", max_size=60
    )
)
def test_spans_always_match_the_text(text):
    for target in extract_targets(text):
        assert text[target.start : target.end] == target.text
        assert target.comparator in {"at_least", "at_most", "increase", "reach"}
