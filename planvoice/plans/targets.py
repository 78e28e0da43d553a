"""Quantitative targets ("打造5条高品质街路", "森林覆盖率达到45%左右") found in a measure's text.

Pure functions over one string. A wrong target is a wrong public promise, so when in doubt a
number is left alone. The rules, sentence by sentence (split on 。；!?):

- A sentence that looks back ("过去五年…", "2020年地区生产总值达到520亿元") gives nothing; see
  ``deadlines.looks_back``.
- A target is a quantity (``numbers``): a number, an optional range, a unit from the list and
  an optional suffix, that ``numbers.is_count`` accepts (not “484”, 5G, 第3, "3个月"…). A
  Chinese numeral below 100 counts only right after a verb of counting or a comparator
  ("打造五个", "达到二十个"), and 一 never (一个目标, 四个全面 are names). A count whose noun
  follows needs a verb of counting or a delimiter before it ("国家1000万千瓦光伏大基地" is a
  name). A figure after 由/从 is a baseline ("由上年729万人增加到732万人": only 732万人), and
  one after 海拔/半径/距离 a condition.
- The subject is the indicator written before the number, up to the clause start, without
  the comparator word, modal words (力争, 确保), leading time words (到2025年) or a baseline
  (比2020年): "城镇登记失业率控制在4.5%以内" → 城镇登记失业率, "研发经费投入占GDP比重提高
  到2.5%以上" → 研发经费投入占GDP比重 (the indicator as written). Where there is no comparator
  word and a noun follows the unit, that noun is the subject ("打造5条高品质街路" →
  高品质街路); a rate (%, ‰, 个百分点, 倍) always describes what is before it. A leading verb of
  counting is dropped ("新增城镇就业9000人" → 城镇就业), except from nouns that begin with
  one (建设用地, 建成区). A target without a subject is dropped.
- The comparator: "年均增长" → annual_growth; else the suffix (以上 → at_least; 以下/以内
  → at_most; 左右 → about: "增长6%左右" promises about 6 %); else a relative change
  (提高/增长/增加/提升 N → increase; 下降/降低/减少/压减 N → decrease); else the word before
  the number (不少于/不低于/至少/超过/突破 →
  at_least; 不超过/不高于/控制在/降低到 → at_most; 约 → about; 达到/达/提高到/占/保持在 →
  reach); else a range is at_least its low end, and a plain count is reach.
- A range ("4.5%—5%", "1~2个") keeps its low end as ``value`` and both ends in ``low`` and
  ``high``; other targets have None there.
- The deadline is the last one written before the number in its sentence
  (``deadlines.deadlines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planvoice.plans.deadlines import deadlines, looks_back
from planvoice.plans.numbers import (
    COUNT_NOUNS,
    QUANTITY_RE,
    RATE_UNITS,
    is_chinese,
    is_count,
    read_number,
    unit_of,
)

COMPARATORS = frozenset(
    {"at_least", "at_most", "reach", "about", "increase", "decrease", "annual_growth"}
)


@dataclass(frozen=True)
class ParsedTarget:
    """One quantitative promise; ``measure_text[start:end] == text``."""

    text: str
    value: int | float
    unit: str
    subject: str
    comparator: str  # one of COMPARATORS
    deadline: int | None
    start: int
    end: int
    low: int | float | None = None  # both ends of a range ("4.5%—5%"), else None
    high: int | float | None = None


_SENTENCE_ENDS = "。;\uff1b!?\uff01\uff1f"
_SENTENCE_RE = re.compile(rf"[^{_SENTENCE_ENDS}]+[{_SENTENCE_ENDS}]?")
_DELIMITERS = "、,\uff0c:\uff1a\n" + _SENTENCE_ENDS
_QUOTED_RE = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|「[^」]*」|『[^』]*』|《[^》]*》")
_QUOTE_CHARS = "“”‘’\"'「」『』"

# Words between the subject and the number, matched longest first.
_BEFORE_WORDS = {
    **dict.fromkeys(["年均增长", "年均提高"], "annual_growth"),
    **dict.fromkeys(
        [f"{verb}{to}" for verb in ("提高", "提升", "增加", "增长", "扩大") for to in "到至"]
        + ["提升为", "提高为", "达到", "达", "保持在", "稳定在", "实现", "完成", "占"],
        "reach",
    ),
    **dict.fromkeys(
        [f"{verb}{to}" for verb in ("下降", "降低", "减少", "压减") for to in "到至"]
        + ["降至", "控制在", "不超过", "不高于", "低于"],
        "at_most",
    ),
    **dict.fromkeys(["不少于", "不低于", "至少", "超过", "超", "突破", "跨越"], "at_least"),
    **dict.fromkeys(["提高", "提升", "增长", "增加", "上升"], "increase"),
    **dict.fromkeys(["下降", "降低", "减少", "压减"], "decrease"),
    **dict.fromkeys(["大约", "约"], "about"),
}
_BEFORE_ORDER = sorted(_BEFORE_WORDS, key=len, reverse=True)
_NOT_ABOUT = tuple("节集制签履公契条预婚")  # 节约, 集约, 制约…: not "about"
_RELATIVE = frozenset({"annual_growth", "increase", "decrease"})
_SUFFIXES = {"以上": "at_least", "及以上": "at_least", "以下": "at_most"}
_SUFFIXES |= {"及以下": "at_most", "以内": "at_most", "左右": "about"}

_MODAL_WORDS = (
    "力争",
    "确保",
    "争取",
    "努力",
    "预计",
    "力求",
    "累计",
    "推动",
    "推进",
    "促进",
    "其中",
)
# Verbs that open a clause but are not part of what is counted ("引进培育高精尖人才200名").
_COUNT_VERBS = (
    "引进培育", "新增", "新建", "建成", "建设", "打造", "培育", "培养", "引进", "改造", "推荐",
    "开展", "选派", "创建", "完成", "实现", "抓好", "吸引", "招引", "新开", "举办", "接待",
    "实施", "办好", "建立", "设立", "组建", "认定", "推出", "提供", "储备", "布局", "首批",
    "新（改）建", "新(改)建",
)  # fmt: skip
# Where the indicator is counted, not what it is ("各级各类概念验证中心" → 概念验证中心); a
# place's name (全区, 全省) stays, as in "全省生产总值".
_SCOPES = ("地级及以上城市", "各级各类")
_NOUNS_LIKE_VERBS = ("建设用地", "建成区")
# 年均 before 均: "增加值年均分别增长3.5%" is an annual growth of 增加值.
_TRAILING_ADVERBS = (
    "年均", "均", "都", "将", "要", "分别", "稳定", "进一步", "持续", "每年", "累计",
)  # fmt: skip
# After the counted noun the promise goes on with a verb: "100个示范社区全面建成".
_EXAMPLES_RE = re.compile(r"\s*(?:[“\"][^”\"]{1,12}[”\"]、?)+等(?=\S{2})")
_VERBS_AFTER_NOUN = (
    "全面建成", "建成", "达到", "实现", "完成", "投入使用", "降至", "提升至", "开展",
)  # fmt: skip
# "由上年729万人增加到732万人": the first figure is where it started, not a promise.
_FROM_RE = re.compile(r"(?:由|从)\s*(?:上年|去年|(?:19|20)\d\d\s*年(?:底|末)?的?)?\s*$")
_FROM_TAIL_RE = re.compile(r"(?:由|从)\s*(?:上年|去年|(?:19|20)\d\d\s*年(?:底|末)?的?)?\s*\d.*$")
# A number after these is a condition ("海拔1500米以上的学校"), not a promise.
_QUALIFIERS = ("海拔", "半径", "距离", "年龄")
_TRAILING_NOUNS = ("建设", "改造")  # "89条主次干道建设" counts roads, not the act of building
_TIME_PREFIX_RE = re.compile(
    r"^(?:到|至|在)?[“\"]?(?:(?:19|20|21)\d\d|二[〇零]..)年(?:底|末)?(?:前)?|"
    r"^(?:到|至)?[“\"]?十.五[”\"]?(?:期间|时期|末期|末)|^(?:未来|今后)(?:五|5)年|^规划期内"
)
_BASELINE_TAIL_RE = re.compile(
    r"(?:比|较)(?:(?:19|20)\d\d年(?:底|末)?|上年|去年|[“\"]?十.五[”\"]?末)$|与.{2,10}相比$|同比$"
)


def extract_targets(
    text: str, *, plan_years: tuple[int, int] | None = None
) -> tuple[ParsedTarget, ...]:
    """Return the quantitative targets of one measure's text, in source order.

    ``plan_years`` (first, last), when known, dates "利用3至5年时间" and "未来五年" and tells
    which years are past.
    """
    quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
    targets: list[ParsedTarget] = []
    for sentence in _SENTENCE_RE.finditer(text):
        if looks_back(sentence[0], plan_years):
            continue
        due = [(sentence.start() + end, year) for end, year in deadlines(sentence[0], plan_years)]
        floor = sentence.start()  # a subject never reaches back over the previous target
        for match in QUANTITY_RE.finditer(text, sentence.start(), sentence.end()):
            target = _target(text, match, floor, quoted, due)
            if target:
                targets.append(target)
                floor = max(target.end, match.end())
    return tuple(targets)


def _target(
    text: str,
    match: re.Match[str],
    floor: int,
    quoted: list[tuple[int, int]],
    due: list[tuple[int, int]],
) -> ParsedTarget | None:
    """The target ``match`` stands for, or None when it is not a promise."""
    value = read_number(match["num"])
    high = read_number(match["upper"]) if match["upper"] else None
    unit = unit_of(match)
    if value is None or not unit or not is_count(text, match, quoted):
        return None
    if match["upper"] and (high is None or high <= value):
        return None
    seg_start = max(max(text.rfind(d, 0, match.start()) for d in _DELIMITERS) + 1, floor)
    segment = text[seg_start : match.start()]
    word = next((w for w in _BEFORE_ORDER if segment.endswith(w) and _is_word(segment, w)), "")
    if is_chinese(match["num"]) and not _counts_chinese(match, value, segment, word):
        return None
    if segment.endswith(_QUALIFIERS) or (_FROM_RE.search(segment) and not word):
        return None
    before, before_start = _subject_before(text, seg_start, match.start() - len(word))
    after, after_end = ("", 0)
    if unit in RATE_UNITS and text.startswith("的", match.end()):
        after, after_end = _share_of(text, match.end() + 1)  # "50%的城市社区建成…": a share
    elif unit not in RATE_UNITS and unit not in COUNT_NOUNS and not (word and before):
        after, after_end = _subject_after(text, match.end(), modifiers=True)
        if after and not _opens_count(segment[: len(segment) - len(word)]):
            return None  # "国家1000万千瓦光伏大基地", "以下10个方面": a name, not a count
    if after:
        subject, start, end = after, match.start() - len(word), after_end
    else:
        subject, start, end = before, before_start, match.end()
    if len(subject) < 2:
        return None  # "和6%左右", "超": a function word is not an indicator
    return ParsedTarget(
        text=text[start:end],
        value=value,
        unit=unit,
        subject=subject,
        comparator=_comparator(_word_code(segment, word), match["suffix"], high is not None, unit),
        deadline=next((year for end, year in reversed(due) if end <= match.start()), None),
        start=start,
        end=end,
        low=value if high is not None else None,
        high=high,
    )


def _opens_count(segment: str) -> bool:
    """Whether a count with its noun after it may start here: after a delimiter or a verb of
    counting ("打造5条高品质街路", "、10个口袋公园")."""
    segment = segment.rstrip()
    return not segment or segment.endswith(_COUNT_VERBS)


def _is_word(segment: str, word: str) -> bool:
    if word == "约":
        return not segment[:-1].endswith(_NOT_ABOUT)
    return True


def _counts_chinese(match: re.Match[str], value: int | float, segment: str, word: str) -> bool:
    """Whether a Chinese numeral is a count rather than part of a name (四个全面, 一张蓝图)."""
    if match["percent_of"] or (match["unit"] or "")[:1] in ("万", "亿") or value >= 100:
        return True
    return match["num"] != "一" and bool(word or segment.endswith(_COUNT_VERBS))


def _word_code(segment: str, word: str) -> str:
    """The comparator of the word before the number; 年均 before it makes a growth annual."""
    code = _BEFORE_WORDS.get(word, "")
    rest = segment[: len(segment) - len(word)]
    if code == "increase" and _strip_end(rest, ("分别", "都")).endswith("年均"):
        return "annual_growth"
    return code


def _comparator(word_code: str, suffix: str | None, is_range: bool, unit: str = "") -> str:
    if word_code == "annual_growth":
        return word_code  # "年均增长6%左右" is a yearly rate, whatever follows it
    if word_code in _RELATIVE and unit == "个百分点":
        return word_code  # "提升3个百分点左右": points are a change, whatever follows
    if suffix:
        return _SUFFIXES[suffix]  # "增长6%左右" → about, "增长5%以上" → at_least
    return word_code or ("at_least" if is_range else "reach")


def _subject_before(text: str, seg_start: int, word_start: int) -> tuple[str, int]:
    """Subject written before the number (and its comparator word) and its start offset."""
    segment = text[seg_start:word_start]
    segment = _strip_end(segment, _TRAILING_ADVERBS)
    segment = _FROM_TAIL_RE.sub("", _BASELINE_TAIL_RE.sub("", segment))
    stripped = segment
    while True:  # one time phrase, modal word, verb of counting or scope at a time
        rest = stripped.lstrip()
        time = _TIME_PREFIX_RE.match(rest)
        word = next((w for w in _MODAL_WORDS + _COUNT_VERBS + _SCOPES if rest.startswith(w)), "")
        if time:
            rest = rest[time.end() :]
        elif word and not rest.startswith(_NOUNS_LIKE_VERBS):
            rest = rest[len(word) :]
        if rest == stripped:
            break
        stripped = rest
    # "“四化”等政府投资基金…": the quoted names are examples of what follows 等.
    if examples := _EXAMPLES_RE.match(stripped):
        stripped = stripped[examples.end() :]
    start = seg_start + (len(segment) - len(stripped))
    return _clean(stripped), start


def _share_of(text: str, pos: int) -> tuple[str, int]:
    """What a share counts ("50%的城市社区建成完备的社区嵌入式服务综合体"): the rest of its
    clause, the predicate included, since the share is of those that do it."""
    clause = re.split(r"[，,。；;！？!?\n]", text[pos:], maxsplit=1)[0]
    clause = re.sub(r"[（(][^（()）]*[)）]$", "", clause)  # "…综合体(社区服务中心)": a gloss
    return _clean(clause), pos + len(clause)


def _subject_after(text: str, pos: int, *, modifiers: bool = False) -> tuple[str, int]:
    """Subject written after the unit ("5条高品质街路"); ("", pos) when there is none. With
    ``modifiers``, where they end in 的 ("40个吸引力强、带动面广的消费场景"), the noun after
    the last 的."""
    clause = re.split(r"[，,。；;：:！？!?\n]", text[pos:], maxsplit=1)[0]
    mark = clause.rfind("的") if modifiers else -1
    if mark >= 0 and (noun := re.split(r"[、和及与]", clause[mark + 1 :])[0]):
        return _clean(noun), pos + mark + 1 + len(noun)
    end = pos
    while end < len(text) and text[end] not in _DELIMITERS and not text[end].isdigit():
        if text[end] in "到在向于" and text[pos:end].count("“") == text[pos:end].count("”"):
            break
        end += 1
    raw = text[pos:end]
    cut = min((i for i in map(raw.find, _VERBS_AFTER_NOUN) if i > 0), default=len(raw))
    raw = raw[:cut].removesuffix("达")
    raw = _strip_end(raw, ("或", "和", "及", "等"))  # "250个社区健身路径或…"
    end = pos + len(raw)
    for noun in _TRAILING_NOUNS:
        if raw.endswith(noun) and len(raw) > len(noun):
            raw, end = raw[: -len(noun)], end - len(noun)
    return _clean(raw), end if _clean(raw) else pos


def _strip_end(segment: str, words: tuple[str, ...]) -> str:
    """Remove any run of ``words`` from the end of ``segment`` (e.g. 均 in "利用率均达到")."""
    while word := next((w for w in words if segment.endswith(w) and segment != w), ""):
        segment = segment[: -len(word)]
    return segment


def _clean(subject: str) -> str:
    """Without spaces and without quotes around the whole or left open at an end; quotes
    inside stay (“智改数转”重点项目)."""
    subject = "".join(ch for ch in subject if not ch.isspace())
    while subject and subject[0] in _QUOTE_CHARS and _unbalanced_or_whole(subject):
        subject = subject[1:]
    while subject and subject[-1] in _QUOTE_CHARS and _unbalanced_or_whole(subject):
        subject = subject[:-1]
    return subject


def _unbalanced_or_whole(subject: str) -> bool:
    opened = sum(subject.count(q) for q in "“‘「『")
    closed = sum(subject.count(q) for q in "”’」』")
    whole = subject[0] in "“‘「『\"'" and subject[-1] in "”’」』\"'" and opened + closed <= 2
    return opened != closed or whole or subject.count('"') % 2 == 1
