"""Read a published plan (text, a saved HTML page, PDF or Word) into sections and measures.

Pure functions, no app and no database. ``formats`` turns the file into paragraphs; this
module finds the plan's structure in them. The genre: a Chinese government plan page with site
chrome around it, a title, a "时间:… 来源:…" line, intro paragraphs, numbered or plain section
headings, optional group headings ending in "——", and one measure per paragraph. Some
headings were images on the site, so they arrive with no paragraph; they still become measures
with empty text, because residents must be able to comment on them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

from planvoice.plans.deadlines import heading_deadline, looks_back_heading
from planvoice.plans.errors import PlanFormatError as PlanFormatError  # re-exported
from planvoice.plans.formats import decode_plan as decode_plan  # re-exported
from planvoice.plans.formats import read_plan_file
from planvoice.plans.structure import read_structure
from planvoice.plans.targets import ParsedTarget, extract_targets


@dataclass(frozen=True)
class ParsedMeasure:
    key: str
    group: str | None
    title: str
    text: str
    targets: tuple[ParsedTarget, ...]


@dataclass(frozen=True)
class ParsedSection:
    number: str | None
    title: str
    measures: tuple[ParsedMeasure, ...]


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    published: datetime.date | None
    source: str | None
    intro: tuple[str, ...]
    sections: tuple[ParsedSection, ...]

    @property
    def years(self) -> tuple[int, int] | None:
        """The first and last year the plan covers (see ``plan_years``)."""
        return plan_years(" ".join((self.title, *self.intro)), self.published)


# "（2021—2025年）", "2021-2025"; the five-year plan periods by name; "今后五年" from the date.
_YEAR_SPAN_RE = re.compile(r"(20\d\d)\s*[—–\-~至到]\s*(20\d\d)\s*年?")
_PERIODS = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}
_FIVE_YEARS_RE = re.compile(r"(?:未来|今后|这|此后)五年")


def plan_years(text: str, published: datetime.date | None) -> tuple[int, int] | None:
    """The years a plan covers, from its title and intro: an explicit span ("2021—2025年"),
    else a named five-year period ("十四五"), else "今后五年" counted from the year it was
    published; None when the text says none of these."""
    if span := _YEAR_SPAN_RE.search(text):
        first, last = int(span.group(1)), int(span.group(2))
        if first <= last:
            return first, last
    for name, years in _PERIODS.items():
        if name in text:
            return years
    if published and _FIVE_YEARS_RE.search(text):
        return published.year, published.year + 4
    return None


def parse_plan(data: bytes, filename: str | None = None) -> ParsedPlan:
    """Parse the bytes of a plan file (text, HTML page, PDF or .docx) into a ParsedPlan.

    ``filename`` is only a hint to the format (see ``read_plan_file``). Raises
    PlanFormatError when the input is empty, unreadable or has no section heading.
    """
    plan_text = read_plan_file(data, filename)
    lines = [line.strip().strip("\ufeff\u200b") for line in plan_text.lines]
    lines = [line for line in lines if line and not _is_chrome(line)]
    if not lines:
        raise PlanFormatError(_l("The plan file has no readable paragraphs."))
    structure = read_structure(lines, plan_text.headings_for(lines))
    if not structure.sections:
        raise PlanFormatError(
            _l("No section heading was found; a plan needs headings such as “(一)…” or “一、…”.")
        )
    title = structure.title or lines[0]
    years = plan_years(" ".join((title, *structure.intro)), structure.published)
    sections = tuple(_assign_keys(structure.sections, years))
    return ParsedPlan(title, structure.published, structure.source, structure.intro, sections)


def plan_to_dict(plan: ParsedPlan) -> dict:
    """The plan as the JSON document printed by ``plan import --dry-run --json``.

    The keys are a published interface; offsets of targets stay internal.
    """
    return {
        "title": plan.title,
        "published": plan.published.isoformat() if plan.published else None,
        "source": plan.source,
        "intro": list(plan.intro),
        "sections": [
            {
                "number": s.number,
                "title": s.title,
                "measures": [_measure_dict(m) for m in s.measures],
            }
            for s in plan.sections
        ],
    }


_MEASURE_FIELDS = ("key", "group", "title", "text")
_TARGET_FIELDS = ("text", "value", "unit", "subject", "comparator", "deadline")


def _measure_dict(measure: ParsedMeasure) -> dict:
    data = {field: getattr(measure, field) for field in _MEASURE_FIELDS}
    data["targets"] = [_target_dict(t) for t in measure.targets]
    return data


def _target_dict(target: ParsedTarget) -> dict:
    """A target's keys; a range ("4.5%—5%") adds its ``low`` and ``high`` ends."""
    data = {field: getattr(target, field) for field in _TARGET_FIELDS}
    if target.low is not None:
        data |= {"low": target.low, "high": target.high}
    return data


# --- site chrome and the header ---------------------------------------------------------------

# Lines that belong to the website, not the plan. Only short lines are checked, so a measure
# that mentions "注册" or "打印" is never mistaken for chrome.
# Colons are written [:\uff1a]: saved pages use the full-width one.
_CHROME_RE = re.compile(
    r"登录.*注册|注册.*登录|^(?:首页|当前位置|您的位置|您现在的位置)|\s[>»›]\s|【?\s*字[体号]\s*[:\uff1a]"
    r"|^分享到|^(?:上一篇|下一篇)|版权所有|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持"
    r"|联系我们|网站地图|扫一扫|(?:浏览|阅读|访问)(?:次数|量)|^(?:编辑|审核)\s*[:\uff1a]"
    r"|责任编辑\s*[:\uff1a]|我要纠错"
)
_CHROME_WORDS = frozenset(
    "一网搜 搜索 登录 注册 首页 网站首页 政府信息公开 打印 打印本页 关闭 关闭窗口 返回顶部 收藏 "
    "分享 无障碍 长者模式 适老化 简体 繁体 English 大 中 小 【 】 | ".split()
)


def _is_chrome(line: str) -> bool:
    if len(line) > 40:
        return False
    words = re.split(r"[\s|【】\[\]:\uff1a]+", line)
    return bool(_CHROME_RE.search(line)) or all(w in _CHROME_WORDS for w in words if w)


def _assign_keys(sections, years: tuple[int, int] | None) -> list[ParsedSection]:
    """Freeze the sections (``structure.Section``), keying each measure by its title so edits
    of text keep the key; a measure under a look-back heading (a review of past years) gives
    no targets, as a figure there is a result, not a promise."""
    seen: dict[str, int] = {}
    result = []
    for section in sections:
        review = section.looks_back or looks_back_heading(section.title, years)
        measures = []
        for index, (group, title, text) in enumerate(section.measures):
            digest = hashlib.sha1(
                unicodedata.normalize("NFKC", title).encode(), usedforsecurity=False
            ).hexdigest()
            key = "m-" + digest[:10]
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}-{seen[key]}"
            past = review or index in section.past_measures
            past = past or (group is not None and looks_back_heading(group, years))
            targets = () if past else extract_targets(text, plan_years=years)
            # A target that names no year falls due when its heading's year or period ends.
            due = heading_deadline(group) or heading_deadline(section.title)
            if due is not None:
                targets = tuple(
                    t if t.deadline is not None else replace(t, deadline=due) for t in targets
                )
            measures.append(ParsedMeasure(key, group, title, text, targets))
        result.append(ParsedSection(section.number, section.title, tuple(measures)))
    return result
