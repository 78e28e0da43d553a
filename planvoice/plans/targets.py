"""Quantitative targets ("打造5条高品质街路", "秸秆离田率达到100%") found in a measure's text.

Pure functions over one string. A target is an Arabic-digit number followed by a unit from a
known list; everything else that only looks numeric (years, ages, "5G", numbers in quotes such
as “484”监督体系, Chinese numerals such as 七横五纵) is left alone on purpose, because a false
target would show residents a promise the plan never made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedTarget:
    """One quantitative promise; ``measure_text[start:end] == text``."""

    text: str
    value: int | float
    unit: str
    subject: str
    comparator: str  # "at_least" | "at_most" | "increase" | "reach"
    deadline: int | None
    start: int
    end: int


# Counting nouns that follow 个 ("30个班次"): the noun is the unit, so the subject stays the
# thing being done (干部教育培训) rather than the word 班次.
_COUNT_NOUNS = "班次|批次|场次|人次|户次|架次|车次"
_BASE_UNITS = (
    "平方公里|平方米|公里|千米|公顷|千瓦|兆瓦|个百分点|"
    + _COUNT_NOUNS
    + "|元|人|名|个|条|家|所|座|处|项|件|台|辆|套|户|间|张|场|次|批|支|吨|亩|米|床|栋|棵|株"
    "|只|头|部|篇|期|门|种|类|款|本|册|块|片|段|根|盏|对|组|队|倍"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_TARGET_RE = re.compile(
    rf"(?P<num>{_NUMBER})"
    rf"(?:\s*[~~\-–—至]\s*(?P<upper>{_NUMBER}))?"
    rf"(?P<unit>[%%‰]|个(?:{_COUNT_NOUNS})|(?:万亿|[百千万亿])?(?:{_BASE_UNITS}))"
    r"(?P<suffix>及以上|以上|以下|及以下)?"
)
# 个 followed by these is a duration ("3个月"), not a count.
_DURATION_AFTER_GE = ("月", "小时", "工作日", "季度", "年")

_QUOTED_RE = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|「[^」]*」|『[^』]*』|《[^》]*》")
_QUOTE_CHARS = "“”‘’\"'「」『』"
_SENTENCE_END_RE = re.compile(r"[。!?!?]")
_DELIMITERS = "、,,。;;::!?!?\n"
_DEADLINE_RE = re.compile(
    r"(?:到|至|于)\s*((?:19|20|21)\d{2})\s*年|((?:19|20|21)\d{2})\s*年(?:底|末)?前"
)

_SUFFIX_COMPARATORS = {
    "以上": "at_least",
    "及以上": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
}
# Comparator words that sit between the subject and the number (matched longest first).
_BEFORE_COMPARATORS = (
    ("扩大到", "reach"),
    ("提升到", "reach"),
    ("提高到", "reach"),
    ("增加到", "reach"),
    ("增长到", "reach"),
    ("达到", "reach"),
    ("不少于", "at_least"),
    ("不低于", "at_least"),
    ("至少", "at_least"),
    ("超过", "at_least"),
    ("不超过", "at_most"),
    ("不高于", "at_most"),
    ("控制在", "at_most"),
    ("提升", "increase"),
    ("提高", "increase"),
    ("增长", "increase"),
    ("增加", "increase"),
    ("实现", "reach"),
    ("达", "reach"),
    ("占", "reach"),
)
# Verbs that open a clause but are not part of what is counted ("引进培育高精尖人才200名").
_LEADING_VERBS = (
    "引进培育",
    "力争",
    "确保",
    "争取",
    "新增",
    "新建",
    "建成",
    "建设",
    "打造",
    "培育",
    "培养",
    "引进",
    "推荐",
    "开展",
    "选派",
    "创建",
    "完成",
    "累计",
    "实现",
    "抓好",
    "吸引",
    "招引",
)
_TRAILING_ADVERBS = ("均", "都", "将", "要", "分别")
_TRAILING_NOUNS = ("建设", "改造")  # "89条主次干道建设" counts roads, not the act of building


def extract_targets(text: str) -> tuple[ParsedTarget, ...]:
    """Return the quantitative targets of one measure's text, in source order."""
    quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
    targets: list[ParsedTarget] = []
    floor = 0  # a subject never reaches back over the previous target
    for match in _TARGET_RE.finditer(text):
        if not _is_count(text, match, quoted):
            continue
        target = _build_target(text, match, floor)
        targets.append(target)
        floor = max(target.end, match.end())
    return tuple(targets)


def _is_count(text: str, match: re.Match[str], quoted: list[tuple[int, int]]) -> bool:
    """Reject numbers that are names, versions, ordinals or durations rather than counts."""
    start, end = match.start(), match.end()
    if any(q_start < start < q_end for q_start, q_end in quoted):
        return False  # “484”监督体系, “1+1+1”招商模式
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if (before.isascii() and before.isalnum()) or before in "+.-第":
        return False  # G1, 1+1, 第3
    if (after.isascii() and after.isalnum()) or after == "+":
        return False  # 5G
    return not (match["unit"] == "个" and text.startswith(_DURATION_AFTER_GE, end))


def _build_target(text: str, match: re.Match[str], floor: int) -> ParsedTarget:
    unit = "%" if match["unit"] == "%" else match["unit"]
    counted_by_noun = unit.removeprefix("个") in _COUNT_NOUNS.split("|")
    if counted_by_noun:
        unit = unit.removeprefix("个")
    comparator = _SUFFIX_COMPARATORS.get(match["suffix"] or "", "")
    if not comparator and match["upper"]:
        comparator = "at_least"  # "1~2个": the lower bound is the promise

    seg_start = _segment_start(text, match.start(), floor)
    lead, lead_start, (lead_word, lead_code) = _subject_before(text, seg_start, match.start())
    after, after_end = ("", 0) if counted_by_noun else _subject_after(text, match.end())
    if after:
        subject, start, end = after, match.start() - len(lead_word), after_end
    else:
        subject, start, end = lead, lead_start, match.end()
    return ParsedTarget(
        text=text[start:end],
        value=_number(match["num"]),
        unit=unit,
        subject=subject,
        comparator=comparator or lead_code or "reach",
        deadline=_deadline(text, match.start()),
        start=start,
        end=end,
    )


def _segment_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause that holds the number: after the last delimiter before it."""
    cut = max(text.rfind(d, 0, pos) for d in _DELIMITERS) + 1
    return max(cut, floor)


def _subject_before(text: str, seg_start: int, num_start: int) -> tuple[str, int, tuple[str, str]]:
    """Subject written before the number, its start offset and the comparator word found."""
    segment = text[seg_start:num_start]
    found = ("", "")
    for word, code in sorted(_BEFORE_COMPARATORS, key=lambda pair: -len(pair[0])):
        if segment.endswith(word):
            segment, found = segment[: -len(word)], (word, code)
            break
    segment = _strip_words(segment, _TRAILING_ADVERBS, leading=False)
    stripped = _strip_words(segment, _LEADING_VERBS, leading=True)
    start = seg_start + (len(segment) - len(stripped))
    # Skip whitespace so the span begins on the first visible character.
    while start < num_start and text[start].isspace():
        start += 1
    return _clean(stripped), start, found


def _subject_after(text: str, pos: int) -> tuple[str, int]:
    """Subject written after the unit ("5条高品质街路"); ("", pos) when there is none."""
    end = pos
    while end < len(text) and text[end] not in _DELIMITERS and not text[end].isdigit():
        if text[end] in "到在向于" and text[pos:end].count("“") == text[pos:end].count("”"):
            break
        end += 1
    raw = text[pos:end]
    for noun in _TRAILING_NOUNS:
        if raw.endswith(noun) and len(raw) > len(noun):
            raw, end = raw[: -len(noun)], end - len(noun)
    return _clean(raw), end if _clean(raw) else pos


def _strip_words(segment: str, words: tuple[str, ...], *, leading: bool) -> str:
    """Remove any run of ``words`` from one end of ``segment`` (e.g. 力争 + 新增)."""
    changed = True
    while changed:
        changed = False
        for word in words:
            if leading and segment.startswith(word) and len(segment) > len(word):
                segment, changed = segment[len(word) :], True
            elif not leading and segment.endswith(word) and len(segment) > len(word):
                segment, changed = segment[: -len(word)], True
    return segment


def _clean(subject: str) -> str:
    return "".join(ch for ch in subject if ch not in _QUOTE_CHARS and not ch.isspace())


def _number(raw: str) -> int | float:
    raw = raw.replace(",", "")
    return (
        int(raw) if "." not in raw else (int(float(raw)) if float(raw).is_integer() else float(raw))
    )


def _deadline(text: str, pos: int) -> int | None:
    """Year of the last "到2025年" earlier in the same sentence as ``pos``."""
    sentence_start = max((m.end() for m in _SENTENCE_END_RE.finditer(text, 0, pos)), default=0)
    years = [m[1] or m[2] for m in _DEADLINE_RE.finditer(text, sentence_start, pos)]
    return int(years[-1]) if years else None
