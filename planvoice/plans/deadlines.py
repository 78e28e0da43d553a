"""When the promises of one sentence fall due, and whether the sentence only looks back.

Pure functions over one sentence (``targets`` splits a measure on 。；). ``plan_years`` is
the (first, last) year the plan covers, or None when it is not known.

Deadlines; a target takes the last one written before it in its sentence:

- "到2025年", "至2025年底", "2030年前", "2022年6月底前", also in Chinese digits ("到二〇三五年",
  "二〇三五年前") → that year.
- "“十四五”期间", "“十四五”时期", "到“十五五”末" → the last year of that five-year plan.
- "利用3至5年时间", "用三年时间", "3年内" → counted from the plan's first year, which is
  year one: first + n − 1, with n the high end of a range. None when the years are unknown.
- "未来五年", "今后五年", "规划期内" → the plan's last year; "今年", "年内" → its first year,
  when known.
- A bare year ("2025年,…") → that year, only when the plan's years are known and it is not
  before them.

Look-back: a sentence that reviews the past promises nothing, so it gives no target. It
looks back when it says so ("过去五年", "这五年", "五年来", "以来", "已经", "截至目前", "同比"),
when it reports a result ("跻身", "位居", "全年实现") without 力争/确保/争取, or when it names a
year or a five-year plan that ended before the plan began. Without the plan's
years, a bare year ("2020年地区生产总值达到520亿元") or period ("“十三五”期间…取得") in a
sentence that reports a result (达到, 完成, 取得, 累计…) is taken as past, unless the sentence
also says 力争/确保/争取/预计: when in doubt, no target. A year used as a baseline ("比2020年",
"与2020年相比", "在2020年基础上") is neither a deadline nor the past.
"""

from __future__ import annotations

import re

from planvoice.plans.numbers import read_number

_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_QUOTES = "“\"‘'"
# "到2025年", "2030年前", "2022年6月底前"; with neither ``by`` nor ``due`` the year is bare.
_YEAR_RE = re.compile(
    rf"(?P<by>(?:到|至)\s*[{_QUOTES}]?)?"
    r"(?P<year>(?:19|20|21)\d{2}|二[〇零][〇零一二三四五六七八九]{2})\s*年"
    r"(?P<due>(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?以?前)?"
)
# The n-th five-year plan, from the sixth (1981—1985) on, ends in 1985 + 5(n − 6).
_PERIOD = r"[“\"‘']?(?P<period>十[一二三四五六七八九])五[”\"’']?"
_PERIOD_ENDS = {f"十{d}": 1985 + 5 * (i + 4) for i, d in enumerate("一二三四五六七八九", 1)}
_PERIOD_RE = re.compile(_PERIOD)
_PERIOD_DEADLINE_RE = re.compile(rf"{_PERIOD}(?:期间|时期|末期|期末|末|规划期)")
_NUMBER = r"\d+|[一二两三四五六七八九十]+"
_DURATION_RE = re.compile(
    rf"(?:利用|用|通过|经过|花)\s*(?P<n>{_NUMBER})(?:\s*[至到~～—\-]\s*(?P<m>{_NUMBER}))?"
    r"\s*年(?:左右)?(?:的)?(?:时间|努力)"
    rf"|(?P<within>{_NUMBER})\s*年内"
)
_PLAN_SPAN_RE = re.compile(r"(?:未来|今后)\s*(?:五|5)\s*年|规划期内|规划期末")
_THIS_YEAR_RE = re.compile(r"今年|年内|当年")

_LOOK_BACK_RE = re.compile(
    r"过去(?:[一二三四五六七八九十几\d]+)?年|这(?:[一二三四五六七八九十几\d]+)年|"
    r"[近多几一二三四五六七八九十\d]+年来|以来|回顾|已经|已累计|已建成|已完成|已达|已实现|"
    r"截[至止]目前|目前已|同比|可比增长|预计全年"
)
# Results rather than promises, unless the sentence says 力争/确保… ("跻身全国百强").
_RESULTS_RE = re.compile(r"全年实现|跻身|跃居|稳居|位居|排名全|入选")
_HEADING_RE = re.compile(r"回顾|总结|成就|成效|进展")
_RESULT_WORDS = ("达到", "达", "完成", "实现", "取得", "累计", "已", "建成", "获评", "荣获")
_PERIOD_RESULT_WORDS = ("完成", "取得", "累计", "已", "荣获", "获评")
_FORWARD_WORDS = ("力争", "确保", "争取", "力求")
_BASELINE_BEFORE = ("比", "较", "与", "同", "以", "对比")
_BASELINE_AFTER = ("相比", "为基", "基础上", "的基础", "水平上", "同期")


def chinese_year(raw: str) -> int:
    """A year written in Arabic or Chinese digits: "2035" or "二〇三五" → 2035."""
    return int(raw.translate(_CN_YEAR_DIGITS))


def deadlines(sentence: str, plan_years: tuple[int, int] | None) -> list[tuple[int, int]]:
    """(end offset, year) of every deadline phrase in ``sentence``, in source order."""
    found = [(m.end(), _PERIOD_ENDS[m["period"]]) for m in _PERIOD_DEADLINE_RE.finditer(sentence)]
    for match in _YEAR_RE.finditer(sentence):
        year = chinese_year(match["year"])
        if _is_baseline(sentence, match):
            continue
        if match["by"] or match["due"] or (plan_years and year >= plan_years[0]):
            found.append((match.end(), year))
    if plan_years:
        first, last = plan_years
        found += [(m.end(), last) for m in _PLAN_SPAN_RE.finditer(sentence)]
        found += [(m.end(), first) for m in _THIS_YEAR_RE.finditer(sentence)]
        for match in _DURATION_RE.finditer(sentence):
            years = read_number(match["m"] or match["n"] or match["within"])
            if isinstance(years, int) and 0 < years <= 20:
                found.append((match.end(), first + years - 1))
    return sorted(set(found))


def heading_deadline(title: str | None) -> int | None:
    """The year a heading sets for the promises under it: "2026年工作安排" → 2026,
    "“十五五”时期主要目标任务" → 2030; None when it names neither (a heading's year is the
    period it plans, so no "到" is needed)."""
    if not title:
        return None
    if period := _PERIOD_RE.search(title):
        return _PERIOD_ENDS[period["period"]]
    if year := _YEAR_RE.search(title):
        return chinese_year(year["year"])
    return None


def deadline_before(
    sentence: str, pos: int, plan_years: tuple[int, int] | None = None
) -> int | None:
    """The year of the last deadline phrase that ends at or before ``pos``."""
    years = [year for end, year in deadlines(sentence, plan_years) if end <= pos]
    return years[-1] if years else None


def looks_back(sentence: str, plan_years: tuple[int, int] | None = None) -> bool:
    """True when ``sentence`` reports the past rather than promises (see the module doc)."""
    if _LOOK_BACK_RE.search(sentence):
        return True
    forward = _says(sentence, _FORWARD_WORDS)
    if _RESULTS_RE.search(sentence) and not forward:
        return True
    for match in _YEAR_RE.finditer(sentence):
        if _is_baseline(sentence, match):
            continue
        if plan_years and chinese_year(match["year"]) < plan_years[0]:
            return True
        bare = not (match["by"] or match["due"])
        if not plan_years and bare and not forward and _says(sentence, _RESULT_WORDS):
            return True
    for match in _PERIOD_RE.finditer(sentence):
        if _is_baseline(sentence, match):
            continue
        if plan_years and _PERIOD_ENDS[match["period"]] < plan_years[0]:
            return True
        if not plan_years and not forward and _says(sentence, _PERIOD_RESULT_WORDS):
            return True
    return False


def looks_back_heading(title: str, plan_years: tuple[int, int] | None = None) -> bool:
    """True for a section heading of a review ("2013年工作回顾", "“十四五”发展成就"): the
    importer should take no targets from the measures under it."""
    return bool(_HEADING_RE.search(title)) or looks_back(title, plan_years)


def _says(sentence: str, words: tuple[str, ...]) -> bool:
    return any(word in sentence for word in words)


def _is_baseline(sentence: str, match: re.Match[str]) -> bool:
    """Whether the year or period is a point to compare with ("比2020年", "与2020年相比")."""
    before = sentence[: match.start()].rstrip(_QUOTES + " ")
    after = sentence[match.end() :].lstrip("”\"’' 底末")
    return before.endswith(_BASELINE_BEFORE) or after.startswith(_BASELINE_AFTER)
