"""Quantitative targets: the bundled Erdao plan, then one rule at a time with phrases from
Chinese government plans."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planvoice.plans.deadlines import looks_back_heading
from planvoice.plans.targets import COMPARATORS, ParsedTarget, extract_targets

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
        ("“学习型”社区", 15, "个", "reach", None),  # quotes inside a subject stay
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


def _one(text: str, plan_years=None) -> ParsedTarget:
    (target,) = extract_targets(text, plan_years=plan_years)
    assert text[target.start : target.end] == target.text
    return target


@pytest.mark.parametrize(
    ("text", "subject", "value", "unit"),
    [
        ("到2025年,森林覆盖率达到45%左右。", "森林覆盖率", 45, "%"),
        ("城镇登记失业率控制在4.5%以内。", "城镇登记失业率", 4.5, "%"),
        # The indicator as the plan writes it, 占…比重 included.
        ("研发经费投入占GDP比重提高到2.5%以上。", "研发经费投入占GDP比重", 2.5, "%"),
        ("数字经济核心产业增加值占GDP比重达到10%。", "数字经济核心产业增加值占GDP比重", 10, "%"),
        ("到2025年全区森林覆盖率达到45%。", "全区森林覆盖率", 45, "%"),
        ("确保受污染耕地和地块安全利用率均达到100%。", "受污染耕地和地块安全利用率", 100, "%"),
        ("空气质量优良天数比例稳定在85%以上。", "空气质量优良天数比例", 85, "%"),
        ("地区生产总值比2020年增长50%。", "地区生产总值", 50, "%"),
        ("建设用地规模控制在100公顷以内。", "建设用地规模", 100, "公顷"),
        ("建成区绿化覆盖率达到40%。", "建成区绿化覆盖率", 40, "%"),
        ("粮食综合生产能力每年稳定在1121万吨以上。", "粮食综合生产能力", 1121, "万吨"),
        # Where it started is a baseline; the promise is where it goes.
        ("常住人口由上年729万人增加到732万人。", "常住人口", 732, "万人"),
    ],
)
def test_subject_is_the_indicator_written_before_the_number(text, subject, value, unit):
    target = _one(text)
    assert (target.subject, target.value, target.unit) == (subject, value, unit)
    assert target.text.startswith(subject[:2]) and target.text.endswith(text[-2])


@pytest.mark.parametrize(
    ("text", "subject", "target_text"),
    [
        ("打造5条高品质街路。", "高品质街路", "5条高品质街路"),
        ("新增城镇就业9000人。", "城镇就业", "城镇就业9000人"),
        ("力争新增城镇就业9000人。", "城镇就业", "城镇就业9000人"),
        ("建成10个智慧社区。", "智慧社区", "10个智慧社区"),
        ("改造老旧小区120个。", "老旧小区", "老旧小区120个"),
        ("培育人力资源服务企业10家。", "人力资源服务企业", "人力资源服务企业10家"),
        ("抓好89条主次干道建设。", "主次干道", "89条主次干道"),
        (
            "到2025年底前,全市首批100个嵌入式服务设施建设示范社区全面建成。",
            "嵌入式服务设施建设示范社区",
            "100个嵌入式服务设施建设示范社区",
        ),
        # A share: of those after 的 that do what the clause says (a gloss in brackets aside).
        (
            "90%的化工园区降至较低风险等级。",
            "化工园区降至较低风险等级",
            "90%的化工园区降至较低风险等级",
        ),
        (
            "50%的城市社区建成服务综合体(社区服务中心)。",
            "城市社区建成服务综合体",
            "50%的城市社区建成服务综合体",
        ),
    ],
)
def test_subject_is_what_a_verb_of_counting_counts(text, subject, target_text):
    target = _one(text)
    assert (target.subject, target.text, target.comparator) == (subject, target_text, "reach")


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("专业技术人才3000名以上。", "at_least"),
        ("全区入孵企业不少于80家。", "at_least"),
        ("耕地保有量不低于200万亩。", "at_least"),
        ("一般公共预算收入突破50亿元。", "at_least"),
        ("常住人口超过100万人。", "at_least"),
        ("秸秆离田率达到100%。", "reach"),
        ("基层理论宣讲队伍扩大到2000人。", "reach"),
        ("户籍人口城镇化率达60%。", "reach"),
        ("打造6个社区治理先进示范点。", "reach"),
        ("城镇调查失业率控制在5.5%以内。", "at_most"),
        ("单位能耗不超过0.5吨。", "at_most"),
        ("婴儿死亡率降至5‰以下。", "at_most"),
        ("森林覆盖率达到45%左右。", "about"),
        ("约5000人参加培训。", "about"),
        ("地区生产总值年均增长6%左右。", "annual_growth"),
        ("居民人均可支配收入年均增长6.5%。", "annual_growth"),
        ("其中一二三产增加值年均分别增长3.5%左右。", "annual_growth"),
        ("社会组织数量提升20%。", "increase"),
        ("常住人口城镇化率提高5个百分点。", "increase"),
        ("地区生产总值比上年增长6%左右。", "about"),  # the suffix says how the figure is meant
        ("单位地区生产总值能耗下降13.5%。", "decrease"),
        ("主要污染物排放总量减少8%。", "decrease"),
    ],
)
def test_comparators(text, comparator):
    assert _one(text).comparator == comparator


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "comparator"),
    [
        ("居民人均可支配收入增长4.5%—5%。", 4.5, 5, "%", "increase"),
        ("地区生产总值增长6%-6.5%。", 6, 6.5, "%", "increase"),
        ("每个街道创建1~2个党建品牌。", 1, 2, "个", "at_least"),
        ("每年举办3至5场招聘会。", 3, 5, "场", "at_least"),
        ("每个乡镇建设三至五个示范村。", 3, 5, "个", "at_least"),
    ],
)
def test_ranges_keep_the_low_end_as_value_and_both_ends(text, low, high, unit, comparator):
    target = _one(text)
    assert (target.value, target.low, target.high) == (low, low, high)
    assert (target.unit, target.comparator) == (unit, comparator)


def test_a_single_figure_has_no_range():
    target = _one("秸秆离田率达到100%。")
    assert (target.low, target.high) == (None, None)


@pytest.mark.parametrize(
    ("text", "subject", "value", "unit"),
    [
        ("新建学校两千所。", "学校", 2000, "所"),
        ("改造老旧小区三百个。", "老旧小区", 300, "个"),
        ("打造五个特色小镇。", "特色小镇", 5, "个"),
        ("高标准农田建设面积达到三十万亩。", "高标准农田建设面积", 30, "万亩"),
        ("培训农民二十万人次。", "培训农民", 20, "万人次"),
        ("新增就业1.2万人。", "就业", 1.2, "万人"),
        ("固定资产投资达到3万亿元。", "固定资产投资", 3, "万亿元"),
        ("新增绿地2.5万平方米。", "绿地", 2.5, "万平方米"),
        ("高中阶段教育毛入学率达到百分之九十以上。", "高中阶段教育毛入学率", 90, "%"),
        ("确保粮食总产量稳定保持在76亿斤以上。", "粮食总产量", 76, "亿斤"),
        ("天然气产能达到22亿方。", "天然气产能", 22, "亿方"),
        ("发电量达2900亿千瓦时。", "发电量", 2900, "亿千瓦时"),
        ("细颗粒物年平均浓度不高于23微克/立方米。", "细颗粒物年平均浓度", 23, "微克/立方米"),
        ("“十五五”时期县城新增人口100万。", "县城新增人口", 100, "万"),
    ],
)
def test_chinese_numerals_and_large_units_read_as_written(text, subject, value, unit):
    target = _one(text)
    assert (target.subject, target.value, target.unit) == (subject, value, unit)
    assert type(target.value) is type(value)


@pytest.mark.parametrize(
    "text",
    [
        "构建七横五纵立体交通网络。",
        "推进一网通办,打好三大攻坚战。",
        "编制“十四五”规划,十四五期间稳步推进。",
        "坚持四个全面,增强四个意识,落实中央八项规定精神。",
        "形成一张蓝图、一个技术标准、一套法规制度。",
        "实现两个一百年奋斗目标,制定第十四个五年规划。",
        "造福千家万户,深入贯彻党的十九大和十九届五中全会精神。",
        "建设一批重点项目。",
    ],
)
def test_chinese_numerals_in_names_are_not_targets(text):
    assert extract_targets(text) == ()


@pytest.mark.parametrize(
    ("text", "plan_years", "deadline"),
    [
        ("到2025年,打造1个绿色园区。", None, 2025),
        ("至2025年底,建成10个智慧社区。", None, 2025),
        ("2030年前,建成5个国家级园区。", None, 2030),
        ("2022年6月底前,完成12个小区改造。", None, 2022),
        ("到二〇三五年,人均地区生产总值达到8万元。", None, 2035),
        ("“十五五”末,城市生活垃圾回收利用率达到60%。", None, 2030),
        ("“十四五”期间,新建公园20个。", None, 2025),
        ("利用3至5年时间,引进培育高精尖人才200名。", (2021, 2025), 2025),
        ("用三年时间,改造老旧小区120个。", (2021, 2025), 2023),
        ("3年内建成10个智慧社区。", (2026, 2030), 2028),
        ("未来五年,打造文明社区30个。", (2021, 2025), 2025),
        ("2025年,森林覆盖率达到45%。", (2021, 2025), 2025),
        ("今年,城镇新增就业60万人左右。", (2026, 2030), 2026),
        # Without the plan's years these have no deadline rather than a guessed one.
        ("利用3至5年时间,引进培育高精尖人才200名。", None, None),
        ("未来五年,打造文明社区30个。", None, None),
        # A baseline is not a deadline.
        ("与2020年相比,能耗下降13.5%。", (2021, 2025), None),
        ("打造5条高品质街路。", (2021, 2025), None),
    ],
)
def test_deadlines(text, plan_years, deadline):
    assert _one(text, plan_years).deadline == deadline


def test_a_deadline_holds_to_the_end_of_its_sentence_only():
    text = "到2025年,打造1个绿色园区、5个绿色工厂;新建公园20个。"
    assert [t.deadline for t in extract_targets(text)] == [2025, 2025, None]


@pytest.mark.parametrize(
    ("text", "plan_years"),
    [
        ("过去五年,全区地区生产总值年均增长7.2%,新增就业5万人。", None),
        ("这五年,我们建成学校30所。", None),
        ("五年来,累计改造老旧小区200个。", None),
        ("党的十八大以来,建成学校8所。", None),
        ("已建成社区养老服务中心15个。", None),
        ("“十三五”期间,累计完成固定资产投资500亿元,取得显著成效。", None),
        ("“十三五”期间,全区地区生产总值年均增长7%。", (2021, 2025)),
        ("“十四五”期间累计完成投资500亿元。", None),
        ("“十四五”期间累计完成投资500亿元。", (2026, 2030)),
        ("2020年地区生产总值达到520亿元。", None),
        ("2020年,地区生产总值达到520亿元。", (2021, 2025)),
        ("到2020年底,森林覆盖率达到40%。", (2021, 2025)),
        ("预计全年实现地区生产总值突破2000亿元,同比增长11%左右。", None),
        ("一般公共预算收入完成6.1亿元,可比增长8.7%。", None),
        ("人均生产总值超过9.3万元,稳居全国百强区前50强。", None),
    ],
)
def test_sentences_that_look_back_give_no_targets(text, plan_years):
    assert extract_targets(text, plan_years=plan_years) == ()


def test_look_back_is_decided_per_sentence():
    text = "过去五年,新增就业5万人。今后五年,新增就业6万人;城镇调查失业率控制在5.5%以内。"
    assert [(t.subject, t.value) for t in extract_targets(text)] == [
        ("就业", 6),
        ("城镇调查失业率", 5.5),
    ]


@pytest.mark.parametrize(
    ("text", "plan_years"),
    [
        # The same period in the plan's own years is a promise, not a review.
        ("“十四五”期间累计完成投资500亿元。", (2021, 2025)),
        # A past year as a baseline does not make the sentence a review.
        ("到2025年,地区生产总值比2020年增长50%。", (2021, 2025)),
        ("在“十三五”基础上,新增绿地20公顷。", (2021, 2025)),
        # 力争 says the result is still to come.
        ("2025年,力争森林覆盖率达到45%。", None),
    ],
)
def test_promises_that_mention_the_past_are_kept(text, plan_years):
    assert len(extract_targets(text, plan_years=plan_years)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "推进5G基站建设,建成3D打印中心。",
        "服务热线12345,联系电话0431-84651234。",
        "2022年6月30日前完成,3月15日开始受理。",
        "提供24小时服务。",
        "进入全省前10名,开展第3批试点。",
        "建成“5个中心”。",
        "构建“1+1+N”服务体系。",
        "实施“十百千”工程。",
        "PM2.5浓度持续下降。",
        "编制2021—2025年规划。",
        "地均生产总值5.4亿元/平方公里。",
        "推动30万千瓦级煤电机组“上大压小”。",
        "建设3人制篮球场。",
        "为海拔1500米以上农村中小学幼儿园建设供暖设施。",
        "建设国家1000万千瓦光伏大基地。",
        "重点做好以下10个方面工作。",
    ],
)
def test_codes_dates_and_quoted_numbers_are_not_targets(text):
    assert extract_targets(text) == ()


@pytest.mark.parametrize(
    ("title", "looks_back"),
    [
        ("2013年工作回顾", True),
        ("2025年工作总结和“十四五”发展成就", True),
        ("“十三五”发展取得的巨大成就", True),
        ("“十五五”时期主要目标任务", False),
        ("2026年工作安排", False),
        ("繁荣兴旺的现代化经济体系", False),
    ],
)
def test_review_headings_are_recognised_for_the_importer(title, looks_back):
    assert looks_back_heading(title) is looks_back


def test_the_bundled_plan_dated_by_its_years():
    targets = extract_targets(_paragraph("实施创新人才集聚工程"), plan_years=(2021, 2025))
    assert [t.deadline for t in targets] == [2025, 2025, 2025]  # "利用3至5年时间"
    targets = extract_targets(_paragraph("大力弘扬社会主义核心价值观"), plan_years=(2021, 2025))
    assert {t.deadline for t in targets} == {2025}  # "未来五年"


def test_cn2an_is_not_imported_with_the_module():
    code = "import sys, planvoice.plans.targets; print('cn2an' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False"]


@given(
    st.text(
        alphabet="0123456789一二两三十百千万打造个条名%以上以内左右到年前、,。;“”~—万平方米率达提升"
        "不少于控制在年均增长下降第G+过去已完成比百分之十四五期间",
        max_size=60,
    ),
    st.sampled_from([None, (2021, 2025)]),
)
def test_spans_always_match_the_text(text, plan_years):
    for target in extract_targets(text, plan_years=plan_years):
        assert text[target.start : target.end] == target.text
        assert target.subject and target.comparator in COMPARATORS
        assert (target.low is None) == (target.high is None)
