"""Finding a plan's title block, sections and measures at any depth of numbering."""

import datetime
import json
from pathlib import Path

import pytest

from planvoice.plans import importer
from planvoice.plans.formats import read_plan_file
from planvoice.plans.structure import build_sections, read_structure

HERE = Path(__file__).resolve().parent
PLAN_TXT = HERE.parents[1] / "planvoice/plans/data/erdao-2021.txt"
PLAN_HTML = HERE / "data/erdao-2021.html"
CORPUS = HERE / "corpus"


def _paragraphs(lines) -> list[str]:
    """The importer's input: stripped lines without empty ones and without site chrome."""
    lines = [line.strip().strip("\ufeff\u200b") for line in lines]
    return [line for line in lines if line and not importer._is_chrome(line)]


def _shape(sections):
    return [(s.number, s.title, s.measures) for s in sections]


def _measure_titles(structure):
    return [m[1] for s in structure.sections for m in s.measures]


# --- the bundled plan keeps what it gives today -------------------------------------------------


@pytest.fixture(scope="module")
def erdao_lines() -> list[str]:
    return _paragraphs(PLAN_TXT.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def erdao_before() -> dict:
    """What the importer found in the bundled plan before it read structure at any depth
    (its title block, intro, sections and measures), kept as it was."""
    return json.loads((HERE / "data/erdao-2021-structure.json").read_text(encoding="utf-8"))


def test_bundled_plan_gives_the_same_sections_and_measures_as_before(erdao_lines, erdao_before):
    structure = read_structure(erdao_lines)
    assert list(structure.intro) == erdao_before["intro"]
    assert [(s.number, s.title, [list(m) for m in s.measures]) for s in structure.sections] == [
        (s["number"], s["title"], s["measures"]) for s in erdao_before["sections"]
    ]
    assert not any(s.looks_back or s.past_measures for s in structure.sections)


def test_bundled_plan_header_becomes_metadata_not_intro(erdao_lines, erdao_before):
    structure = read_structure(erdao_lines)
    published = datetime.date.fromisoformat(erdao_before["published"])
    assert (structure.title, structure.published, structure.source) == (
        erdao_before["title"],
        published,
        erdao_before["source"],
    )
    assert structure.metadata == (
        "图文解读二道区未来五年总体规划",
        "时间:2021-09-30 13:46 来源:区司法局",
    )


def test_saved_page_with_its_heading_tags_reads_like_the_text(erdao_lines):
    page = read_plan_file(PLAN_HTML.read_bytes(), "erdao-2021.html")
    lines = _paragraphs(page.lines)
    headings = page.headings_for(lines)
    assert headings  # h1 for the title, h3 for "(一)…" and "全面加强党的领导"
    assert read_structure(lines, headings) == read_structure(erdao_lines)


# --- the corpus of real plans -------------------------------------------------------------------


def _corpus_texts() -> list:
    params = []
    for path in sorted((CORPUS / "expected").glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected["file"].endswith(".txt"):  # .docx and .pdf wait for their readers
            params.append(pytest.param(expected, id=path.stem))
    return params


@pytest.mark.parametrize("expected", _corpus_texts())
def test_corpus_plan_has_the_expected_sections_and_measures(expected):
    text = (CORPUS / expected["file"]).read_text(encoding="utf-8")
    structure = read_structure(_paragraphs(text.splitlines()))
    sections = [s.title for s in structure.sections]
    # Measures under a look-back heading report the past; residents comment on the rest.
    measures = sum(len(s.measures) - len(s.past_measures) for s in structure.sections)
    print(
        f"{expected['file']}: sections {expected['sections']} got {sections}; "
        f"measures {expected['measure_count']} got {measures}"
    )
    assert sections == expected["sections"]
    assert measures == expected["measure_count"]
    headings = set(sections) | set(_measure_titles(structure))
    assert not headings & set(expected["metadata_lines"])
    assert set(expected["metadata_lines"]) <= set(structure.metadata)
    if expected["title"]:
        assert structure.title == expected["title"]


# --- the rules, one at a time -------------------------------------------------------------------


def test_title_block_speech_and_notice_lines_are_metadata_never_sections():
    structure = read_structure(
        [
            "某区人民政府",
            "关于印发政府工作报告的通知",
            "各街道办事处,区政府各部门:",
            "2021年1月8日",
            "政府工作报告",
            "（2021年1月5日在某区第一届人民代表大会第五次会议上）",
            "某区区长 张三",
            "各位代表：",
            "现在，我代表区人民政府，向大会报告工作，请予审议。",
            "一、今年的主要任务",
            "推进园区建设，打造2个特色园区。",
        ]
    )
    assert structure.title == "政府工作报告"
    assert structure.published == datetime.date(2021, 1, 8)
    assert structure.source == "某区人民政府"
    assert len(structure.metadata) == 8
    assert structure.intro == ("现在，我代表区人民政府，向大会报告工作，请予审议。",)
    assert [(s.number, s.title) for s in structure.sections] == [("一、", "今年的主要任务")]


@pytest.mark.parametrize(
    ("top", "middle", "item"),
    [
        ("第一章 经济发展", "第一节 产业升级", "1. 推进园区建设,打造2个特色园区。"),
        ("一、经济发展", "（一）产业升级", "1.推进园区建设,打造2个特色园区。"),
        ("（一）经济发展", "1.产业升级", "（1）推进园区建设,打造2个特色园区。"),
        ("1.经济发展", "（1）产业升级", "①推进园区建设,打造2个特色园区。"),
    ],
)
def test_any_depth_of_numbering_gives_sections_groups_and_measures(top, middle, item):
    second = item.replace("推进园区建设,打造2个", "完善配套设施,建成3个").replace("1", "2", 1)
    if item.startswith("①"):
        second = "②" + second[1:]
    _intro, sections = build_sections([top, middle, item, second])
    assert [s.title for s in sections] == ["经济发展"]
    assert sections[0].measures == [
        ("产业升级", "推进园区建设", item),
        ("产业升级", "完善配套设施", second),
    ]


def test_titles_never_keep_their_numbering():
    _intro, sections = build_sections(
        [
            "第一章发展基础",
            "第一节总体要求",
            "一、主要任务",
            "（一）重点工程",
            "1.园区建设。推进园区建设,打造2个特色园区。",
            "2.配套设施。完善配套设施。",
        ]
    )
    assert [(s.number, s.title) for s in sections] == [("第一章", "发展基础")]
    # Only the innermost heading names a measure's group; the outer ones have content.
    assert [m[:2] for m in sections[0].measures] == [
        ("重点工程", "园区建设"),
        ("重点工程", "配套设施"),
    ]


def test_a_dash_line_groups_and_goal_paragraphs_are_titled_by_their_heading():
    _intro, sections = build_sections(
        [
            "一、主要目标",
            "今后五年，经济社会发展要努力实现以下目标：",
            "——经济发展取得新成效。地区生产总值年均增长6%左右。",
            "——生态环境持续改善。森林覆盖率达到60%。",
            "二、重点任务",
            "向深化改革要红利——",
            "推进经济改革攻坚,实现“证照分离”全覆盖。",
        ]
    )
    goals, tasks = sections
    assert [m[1] for m in goals.measures] == ["经济发展取得新成效", "生态环境持续改善"]
    assert goals.intro == ["今后五年，经济社会发展要努力实现以下目标："]
    assert tasks.measures == [("向深化改革要红利", "推进经济改革攻坚", tasks.measures[0][2])]


def test_inline_enumeration_splits_into_one_measure_per_task():
    paragraph = (
        "重点做好三件事：一是建设夜间经济街区，打造3条特色街路；"
        "二是新建停车位500个；三是改造老旧小区20个。"
    )
    _intro, sections = build_sections(["一、民生实事", paragraph])
    assert [m[1] for m in sections[0].measures] == [
        "建设夜间经济街区",
        "新建停车位500个",
        "改造老旧小区20个",
    ]
    assert sections[0].measures[1][2] == "二是新建停车位500个；"
    assert sections[0].intro == ["重点做好三件事："]


def test_lead_sentences_make_measures_and_the_prose_around_them_stays_prose():
    _intro, sections = build_sections(
        [
            "三、2026年工作安排",
            "今年是开局之年。政府工作的总体要求是：稳中求进。",
            "（一）扩大有效需求，全力稳增长。落实好一揽子政策。",
            "推动消费扩容升级提质。提升居民消费能力，新建5G基站1万个。",
            "多措并举扩大有效投资。实施扩大民间投资专项行动。",
            "同时，加强国家安全、国防动员、双拥共建、外事侨务等工作，支持群团组织发挥作用。",
        ]
    )
    (section,) = sections
    group = "扩大有效需求，全力稳增长"
    assert [m[:2] for m in section.measures] == [
        (group, "推动消费扩容升级提质"),
        (group, "多措并举扩大有效投资"),
    ]
    assert section.measures[0][2].startswith("推动消费扩容升级提质。提升居民消费能力")
    assert len(section.intro) == 3  # the opening, the group's intro sentence, the closing


def test_headings_without_paragraphs_become_empty_measures():
    _intro, sections = build_sections(
        ["一、经济发展", "（一）优化布局", "（二）强化支撑", "二、社会治理"]
    )
    assert sections[0].measures == [(None, "优化布局", ""), (None, "强化支撑", "")]
    assert sections[1].measures == [(None, "社会治理", "")]


def test_look_back_chapters_and_groups_are_flagged_for_the_target_extractor():
    _intro, sections = build_sections(
        [
            "一、2025年工作回顾",
            "地区生产总值增长5.3%，新增城镇就业8.55万人。",
            "二、2026年工作安排",
            "（一）发展基础",
            "经济发展再上台阶。年均增长8.1%。",
            "（二）主要任务",
            "扩大有效投资。完成投资2500亿元以上。",
        ]
    )
    review, plan = sections
    assert review.looks_back and review.past_measures == {0}
    assert not plan.looks_back and plan.past_measures == {0}
    assert plan.measures[1][:2] == ("主要任务", "扩大有效投资")


def test_word_styles_give_levels_and_a_styled_lead_sentence_opens_its_measure():
    lines = [
        "政府工作报告",
        "海南省省长 刘小明",
        "三、2026年主要工作",
        "（一）聚力促进更高水平开放",
        "推动自由贸易港政策红利加速释放。",
        "加紧推进封关政策落地见效，新增企业2-3家。",
        "稳步扩大制度型开放。",
        "研究提升贸易自由化便利化水平相关措施。",
    ]
    structure = read_structure(lines, {0: 1, 2: 1, 3: 2, 4: 3, 6: 3})
    assert structure.metadata == ("政府工作报告", "海南省省长 刘小明")
    (section,) = structure.sections
    assert [m[:2] for m in section.measures] == [
        ("聚力促进更高水平开放", "推动自由贸易港政策红利加速释放"),
        ("聚力促进更高水平开放", "稳步扩大制度型开放"),
    ]
    assert (
        section.measures[0][2]
        == "推动自由贸易港政策红利加速释放。加紧推进封关政策落地见效，新增企业2-3家。"
    )


# What the importer found in its own examples before it read structure at any depth.
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            ["(一)第一部分", "加强管理,提高效率。", "(二)第二部分", "加强管理,改善服务。"],
            (
                [],
                [
                    ("(一)", "第一部分", [(None, "加强管理", "加强管理,提高效率。")]),
                    ("(二)", "第二部分", [(None, "加强管理", "加强管理,改善服务。")]),
                ],
            ),
            id="paren",
        ),
        pytest.param(
            [
                "一、经济发展",
                "(一)产业升级",
                "推进园区建设,打造2个特色园区。",
                "(二)消费提质",
                "重点实施以下工程:",
                "建设夜间经济街区,打造3条特色街路。",
                "二、社会治理",
                "完善网格管理,实现全覆盖。",
            ],
            (
                [],
                [
                    (
                        "一、",
                        "经济发展",
                        [
                            ("产业升级", "推进园区建设", "推进园区建设,打造2个特色园区。"),
                            ("消费提质", "重点实施以下工程", "重点实施以下工程:"),
                            ("消费提质", "建设夜间经济街区", "建设夜间经济街区,打造3条特色街路。"),
                        ],
                    ),
                    ("二、", "社会治理", [(None, "完善网格管理", "完善网格管理,实现全覆盖。")]),
                ],
            ),
            id="nested",
        ),
        pytest.param(
            ["经济发展", "推进园区建设,打造2个特色园区。", "社会治理", "完善网格管理,实现全覆盖。"],
            (
                [],
                [
                    (None, "经济发展", [(None, "推进园区建设", "推进园区建设,打造2个特色园区。")]),
                    (None, "社会治理", [(None, "完善网格管理", "完善网格管理,实现全覆盖。")]),
                ],
            ),
            id="plain",
        ),
        pytest.param(
            [
                "1. 经济发展",
                "推进园区建设,打造2个特色园区。",
                "2. 社会治理",
                "完善网格管理,实现全覆盖。",
            ],
            (
                [],
                [
                    ("1.", "经济发展", [(None, "推进园区建设", "推进园区建设,打造2个特色园区。")]),
                    ("2.", "社会治理", [(None, "完善网格管理", "完善网格管理,实现全覆盖。")]),
                ],
            ),
            id="arabic",
        ),
        pytest.param(
            ["实施最严格的生态保护,坚决打赢蓝天保卫战,秸秆离田率达到100%。"],
            (["实施最严格的生态保护,坚决打赢蓝天保卫战,秸秆离田率达到100%。"], []),
            id="no-heading",
        ),
    ],
)
def test_the_importers_own_examples_read_as_before(body, expected):
    intro, sections = build_sections(body)
    assert (intro, _shape(sections)) == expected
