"""Read a published plan (a .txt copy or the saved HTML page) into sections and measures.

Pure functions, no app and no database. The genre: a Chinese government plan page with site
chrome around it, a title, a "时间:… 来源:…" line, intro paragraphs, numbered or plain section
headings, optional group headings ending in "——", and one measure per paragraph. Some
headings were images on the site, so they arrive with no paragraph; they still become measures
with empty text, because residents must be able to comment on them.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from flask_babel import lazy_gettext as _l

from planvoice.plans.targets import ParsedTarget, extract_targets


class PlanFormatError(ValueError):
    """The uploaded file is not a plan we can read; the message is shown to the admin."""


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


def decode_plan(data: bytes) -> str:
    """Decode an uploaded plan: UTF-8 (with or without BOM), else GB18030.

    Raises PlanFormatError for bytes that are not text in either encoding (images, archives).
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
        break
    raise PlanFormatError(
        _l("The file is not readable text; save the plan as UTF-8 or GB18030 text or HTML.")
    )


def _looks_binary(text: str) -> bool:
    # GB18030 decodes many byte soups, so also refuse text full of control characters.
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return "\x00" in text or controls > len(text) / 100


def parse_plan(data: bytes) -> ParsedPlan:
    """Parse the bytes of a plan (.txt or .html page) into a ParsedPlan.

    Raises PlanFormatError when the input is empty, unreadable or has no section heading.
    """
    text = decode_plan(data)
    if not text.strip():
        raise PlanFormatError(_l("The plan file is empty."))
    lines = html_to_lines(text) if _HTML_RE.search(text) else text.splitlines()
    lines = [line.strip().strip("\ufeff\u200b") for line in lines]
    lines = [line for line in lines if line and not _is_chrome(line)]
    if not lines:
        raise PlanFormatError(_l("The plan file has no readable paragraphs."))
    title, published, source, body = _split_header(lines)
    intro, sections = _build_sections(body)
    if not sections:
        raise PlanFormatError(
            _l("No section heading was found; a plan needs headings such as “(一)…” or “一、…”.")
        )
    return ParsedPlan(title, published, source, tuple(intro), tuple(_assign_keys(sections)))


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
    data["targets"] = [{f: getattr(t, f) for f in _TARGET_FIELDS} for t in measure.targets]
    return data


# --- site chrome and the header ---------------------------------------------------------------

_HTML_RE = re.compile(r"<\s*(?:!doctype|html|body|p|div|h[1-6]|br|span|table)\b", re.I)
# Lines that belong to the website, not the plan. Only short lines are checked, so a measure
# that mentions "注册" or "打印" is never mistaken for chrome.
_CHROME_RE = re.compile(
    r"登录.*注册|注册.*登录|^(?:首页|当前位置|您的位置|您现在的位置)|\s[>»›]\s|【?\s*字[体号]\s*[::]"
    r"|^分享到|^(?:上一篇|下一篇)|版权所有|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持"
    r"|联系我们|网站地图|扫一扫|(?:浏览|阅读|访问)(?:次数|量)|^(?:责任编辑|编辑|审核)\s*[::]"
)
_CHROME_WORDS = frozenset(
    "一网搜 搜索 登录 注册 首页 网站首页 政府信息公开 打印 打印本页 关闭 关闭窗口 返回顶部 收藏 "
    "分享 无障碍 长者模式 适老化 简体 繁体 English 大 中 小 【 】 | ".split()
)
_DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
_DATE_RE = re.compile(rf"(?:发布时间|发布日期|时间|日期)\s*[::]\s*{_DATE}")
_HEADER_LINES = 12
_SOURCE_RE = re.compile(r"(?:信息)?来源\s*[::]\s*([^\s|【]+)")


def _is_chrome(line: str) -> bool:
    if len(line) > 40:
        return False
    words = re.split(r"[\s|【】\[\]::]+", line)
    return bool(_CHROME_RE.search(line)) or all(w in _CHROME_WORDS for w in words if w)


def _split_header(lines: list[str]) -> tuple[str, datetime.date | None, str | None, list[str]]:
    """Title, publication date, source and the remaining body lines."""
    # Only near the top: a measure such as "完成时间:2022年6月30日" is not the page's date.
    for index, line in enumerate(lines[1:_HEADER_LINES], start=1):
        date = _DATE_RE.search(line) if len(line) <= 80 else None
        if not date:
            continue
        source = _SOURCE_RE.search(line)
        end = index + 1
        # Some pages put 来源 on a line of its own right after the date.
        if not source and end < len(lines) and len(lines[end]) <= 40:
            source = _SOURCE_RE.search(lines[end])
            end += 1 if source else 0
        try:
            published = datetime.date(*(int(part) for part in date.groups()))
        except ValueError:
            published = None
        return lines[index - 1], published, source[1] if source else None, lines[end:]
    return lines[0], None, None, lines[1:]


# --- HTML pages -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 header "
    "hr li main ol p pre section table tbody td th thead tr ul".split()
)
_SKIPPED_TAGS = frozenset(
    "button footer head iframe nav noscript script select style svg template".split()
)
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"


class _TextExtractor(HTMLParser):
    """Collect the visible text of a page, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._parts)
        self._parts = []
        # A line break inside Chinese text is source formatting, not a space; elsewhere HTML
        # whitespace collapses to one space. &nbsp; (U+00A0) is kept, as in the .txt copy.
        text = re.sub(rf"(?<=[{_CJK},.;:!?)%])\s*\n\s*(?=[{_CJK}(])", "", text)
        self.lines.append(re.sub(r"[ \t\r\n\f]+", " ", text))


def html_to_lines(page: str) -> list[str]:
    """The visible text of an HTML page as lines; scripts, styles, head and nav are dropped."""
    extractor = _TextExtractor()
    extractor.feed(page)
    extractor.close()
    return extractor.lines


# --- body structure ---------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERED = (
    ("paren", re.compile(rf"^([((]\s*(?:[{_CN_NUM}]+|\d+)\s*[))])\s*")),
    ("chapter", re.compile(rf"^(第[{_CN_NUM}\d]+(章|节|篇|部分))[\s、::]*")),
    ("dun", re.compile(rf"^([{_CN_NUM}]+\s*[、.．])\s*")),
    ("arabic", re.compile(r"^(\d{1,2}\s*[.、．](?!\d))\s*")),
)
_SENTENCE_PUNCT = "。;;!?!?"
_CLAUSE_PUNCT = "。,,;;::"
_GROUP_RE = re.compile(r"^(.{1,30}?)\s*(?:—{1,2}|─{1,2}|-{2,})$")


@dataclass
class _Section:
    number: str | None
    title: str
    measures: list[tuple[str | None, str, str]]  # (group, title, text), keys come later


def _classify(line: str) -> tuple[str, str | None, str]:
    """(kind, label, title) of one line; kind is section, group, leadin or para."""
    if line.startswith(("—", "─", "--")):
        return "para", None, line  # a subtitle or a dash-bulleted item, never a heading
    for style, pattern in _NUMBERED:
        match = pattern.match(line)
        rest = line[match.end() :] if match else ""
        if rest and len(rest) <= 40 and not any(p in rest for p in _SENTENCE_PUNCT):
            level = match[2] if pattern.groups > 1 else ""  # 第一章 and 第一节 are two levels
            return f"section:{style}:{level}", re.sub(r"\s", "", match[1]), rest
    group = _GROUP_RE.match(line)
    if group and not any(p in group[1] for p in _SENTENCE_PUNCT + ",,"):
        return "group", None, group[1]
    if line.endswith((":", ":")) or (
        re.search(r"是\s*[::]", line) and not any(p in line for p in _SENTENCE_PUNCT)
    ):
        return "leadin", None, line
    if len(line) <= 30 and re.search(r"[\u4e00-\u9fff]", line):
        if not any(p in line for p in _CLAUSE_PUNCT + "!?!?"):
            return "section:plain:", None, line
    return "para", None, line


def _build_sections(body: list[str]) -> tuple[list[str], list[_Section]]:
    """Intro paragraphs and sections, with empty measures for headings that had no paragraph."""
    classified = [_classify(line) for line in body]
    intro: list[str] = []
    sections: list[_Section] = []
    section_style: str | None = None  # the numbering style of top-level sections
    group: str | None = None
    group_used = True  # False while a group heading still waits for its first paragraph

    def close_group() -> None:
        if not group_used and sections:
            sections[-1].measures.append((None, group, ""))

    for index, (kind, label, title) in enumerate(classified):
        is_numbered = kind.startswith("section:") and not kind.startswith("section:plain")
        if is_numbered and section_style is None:
            section_style = kind
        if kind == "group" or (is_numbered and kind != section_style and sections):
            # A group heading, or a sub-level number ("1." under "(一)"), groups measures.
            close_group()
            if not sections:
                sections.append(_Section(None, title, []))
            group, group_used = title, False
        elif kind.startswith("section:"):
            close_group()
            sections.append(_Section(label, title, []))
            group, group_used = None, True
        elif kind == "leadin" and (not sections or _next_is_section(classified, index)):
            intro.append(title)  # "…实践路径是:" introduces the sections that follow
        elif not sections:
            intro.append(title)
        else:
            sections[-1].measures.append((group, _lead_clause(title), title))
            group_used = True
    close_group()
    for section in sections:
        if not section.measures:
            section.measures.append((None, section.title, ""))
    return intro, sections


def _next_is_section(classified: list[tuple[str, str | None, str]], index: int) -> bool:
    following = classified[index + 1 : index + 2]
    return bool(following) and following[0][0].startswith("section:")


def _lead_clause(paragraph: str) -> str:
    """A measure's title: its text up to the first clause punctuation, without labels."""
    for _style, pattern in _NUMBERED:
        if match := pattern.match(paragraph):
            paragraph = paragraph[match.end() :]
            break
    paragraph = paragraph.lstrip("—─- ")
    return re.split(f"[{_CLAUSE_PUNCT}]", paragraph, maxsplit=1)[0].strip() or paragraph[:30]


def _assign_keys(sections: list[_Section]) -> list[ParsedSection]:
    """Freeze the sections, keying each measure by its title so edits of text keep the key."""
    seen: dict[str, int] = {}
    result = []
    for section in sections:
        measures = []
        for group, title, text in section.measures:
            digest = hashlib.sha1(
                unicodedata.normalize("NFKC", title).encode(), usedforsecurity=False
            ).hexdigest()
            key = "m-" + digest[:10]
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}-{seen[key]}"
            measures.append(ParsedMeasure(key, group, title, text, extract_targets(text)))
        result.append(ParsedSection(section.number, section.title, tuple(measures)))
    return result
