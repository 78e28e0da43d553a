"""What one line of a Chinese government plan is: a numbered heading, a group, a task, metadata.

Pure functions over one stripped line, and the title block they make up at the top of a plan;
``structure`` puts the body's lines together. Full-width and half-width punctuation are both
accepted: copies pasted from web pages and PDFs often arrive half-width ("(一)", "各位代表:").
"""

from __future__ import annotations

import datetime
import re

_CN = "一二三四五六七八九十百零〇两"
_SENTENCE_END = "。;；!！?？"
_CLAUSE = "。,，;；:："

# Numbering styles from the highest level down. The plan's top level is the highest style it
# uses, so "(一)" is a section in a plan without "一、" and a group under "一、" in one with it.
NUMBERINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^(第[{_CN}\d]+篇)[\s、:：]*")),
    ("chapter", re.compile(rf"^(第[{_CN}\d]+(?:章|部分))[\s、:：]*")),
    ("article", re.compile(rf"^(第[{_CN}\d]+节)[\s、:：]*")),
    ("dun", re.compile(rf"^([{_CN}]+\s*[、.．])\s*")),
    ("paren", re.compile(rf"^([(（]\s*[{_CN}]+\s*[)）])\s*")),
    ("arabic", re.compile(r"^(\d{1,2}\s*[.、．](?!\d))\s*")),
    ("paren_arabic", re.compile(r"^([(（]\s*\d{1,2}\s*[)）])\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)

# "一是…", "二是…": the enumeration of tasks inside a chapter, not a numbering level. A marker
# counts at the start or after a clause mark, so "这是…" or "特别是" never split a paragraph.
_ENUM_RE = re.compile(rf"(?:^|(?<=[：:；;。]))\s*([{_CN}]{{1,3}}是)(?=[^，,。；;]{{2}})")
# A group heading: a short line ending in a dash ("向深化改革要红利——").
_GROUP_RE = re.compile(r"^(.{1,30}?)\s*(?:—{1,2}|─{1,2}|-{2,})$")
# A goal paragraph: "——heading。text" (a dash, a short heading sentence, then its text).
_GOAL_RE = re.compile(r"^[—─]{1,2}\s*([^。]{2,40})。")
# A lead sentence: a short first sentence ending in "。", with the task's text after it.
_LEAD_MAX = 32

# --- metadata: the title block, the notice around it, the speech lines -------------------------
_DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
# "时间:2021-09-30 13:46 来源:区司法局", "发文日期: | 2024-10-10 |".
_LABELED_DATE_RE = re.compile(
    rf"(?:发布时间|发布日期|发文日期|成文日期|时间|日期)\s*[:：]\s*\|?\s*{_DATE}"
)
_SOURCE_RE = re.compile(r"(?:信息)?来源\s*[:：]\s*([^\s|【]+)")
# A date on its own line: "2023年1月13日", "2020 年 12 月", "二〇二一年一月".
_DATE_LINE_RE = re.compile(
    rf"^[(（]?\s*(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?"
    rf"|[〇○零一二三四五六七八九]{{4}}年[{_CN}]{{1,2}}月(?:[{_CN}]{{1,3}}日)?)\s*[)）]?$"
)
# The meeting line: "——2023年1月11日在南宫市第十届人民代表大会第三次会议上",
# "（2021年1月5日在…第…次会议上）", "2026年2月3日在四川省…会议上".
_SPEECH_RE = re.compile(
    r"^[—─\-\s]*[(（]?[^。，,]{0,20}在[^。]{2,60}会议上(?:的(?:讲话|报告))?[)）]?$"
)
# The speaker: "南宫市人民政府市长 朱继坤", "省长 李炳军"; without the space only after
# "人民政府" ("四川省人民政府省长施小琳" from a PDF), so "…书记队伍建设" stays a heading.
_ROLE = "(?:省长|市长|区长|县长|州长|旗长|镇长|乡长|主席|书记|主任)"
_SPEAKER_RE = re.compile(
    rf"^[^。，,]{{0,30}}(?:{_ROLE}\s+|人民政府{_ROLE}\s*)[\u4e00-\u9fff]{{2,4}}$"
)
# The body that issues or forwards the plan, alone on its line (the notice's signature).
_ISSUER_RE = re.compile(
    r"^[\u4e00-\u9fff()（）\s]{2,60}(?:人民政府|办公室|办公厅|委员会|区委|县委|市委|省委|管委会)$"
)
_GREETING_RE = re.compile(r"^各位(?:代表|委员|同志)们?[:：!！,，]?$")
# The notice's addressees: "各镇人民政府,区政府相关委、办、局…:".
_ADDRESSEE_RE = re.compile(r"^各.{1,100}(?:政府|部门|单位|管委会|街道|办事处|委|局).{0,20}[:：]$")
_NOTICE_RE = re.compile(r"关于(?:印发|转发|下发)?《?(.+?)》?的通知$")
# A press photo's caption or its placeholder ("图片", "…宁夏日报记者 王鼎 摄").
_CAPTION_RE = re.compile(r"^(?:图片|图|视频)$|记者.{1,12}摄$")
# A row of a government disclosure table: "索 引 号: | WA1304001-2024-002 | …".
_TABLE_ROW_RE = re.compile(r"^[^|]{1,16}[:：]\s*\|")
# A document title ends in its kind (…规划, …报告); a trailing "(2022年更新)" or
# "（2021—2025年）" is dropped first.
_TITLE_RE = re.compile(r"(?:报告|规划|纲要|方案|建议|意见|计划|要点|决定|办法)$")
_TRAILING_PAREN_RE = re.compile(r"\s*[(（][^()（）]{1,20}[)）]$")
# A title broken over two lines ends in a conjunction ("…五年规划和" / "二〇三五年远景目标纲要").
_TITLE_CONTINUES_RE = re.compile(r"[和及与暨的]$")

# --- look-back: the chapters that report the past -----------------------------------------------
_LOOK_BACK_RE = re.compile(
    r"回顾|过去(?:一年|五年|的一年|的五年)|工作总结|发展成就|发展基础|主要成就|取得的成就|成绩和经验"
)


def numbering(line: str) -> tuple[int, str, str] | None:
    """(rank, label, rest) of a numbered line; rank 0 is the highest level (第一篇)."""
    for rank, (_style, pattern) in enumerate(NUMBERINGS):
        if match := pattern.match(line):
            rest = line[match.end() :]
            if rest:
                return rank, re.sub(r"\s", "", match[1]), rest
    return None


def is_short_heading(text: str) -> bool:
    """A heading's words: short, with no sentence punctuation (a title, not a task)."""
    return len(text) <= 40 and not any(p in text for p in _SENTENCE_END)


def is_plain_heading(line: str) -> bool:
    """An un-numbered heading: a short line of Chinese with no clause punctuation at all."""
    return (
        len(line) <= 30
        and not line.startswith(("—", "─", "--"))
        and bool(re.search(r"[\u4e00-\u9fff]", line))
        and not any(p in line for p in _CLAUSE + "!！?？")
    )


def group_title(line: str) -> str | None:
    """The title of a group line ending in a dash, else None."""
    group = _GROUP_RE.match(line)
    if group and not any(p in group[1] for p in _SENTENCE_END + ",，"):
        return group[1]
    return None


def is_leadin(line: str) -> bool:
    """A line that introduces what follows ("…实践路径是:", "重点抓好以下工作:")."""
    return line.endswith((":", "：")) or (
        bool(re.search(r"是\s*[:：]", line)) and not any(p in line for p in _SENTENCE_END)
    )


def heading_sentence(text: str) -> tuple[str, str]:
    """(first sentence without its "。", the rest) of a numbered paragraph such as
    "（一）着力贯彻新发展理念，在…上开新局。主动适应…" (the sentence is the group's title)."""
    head, dot, rest = text.partition("。")
    if dot and len(head) <= 60:
        return head, rest
    return lead_clause(text), text


def is_marked_task(paragraph: str) -> bool:
    """A paragraph that announces itself as one task: "一是…", "——heading。text", or a short
    lead sentence ("推动消费扩容升级提质。…"). Next to marked tasks, unmarked paragraphs are
    the chapter's prose (its opening or closing), not measures."""
    if _ENUM_RE.match(paragraph) or _GOAL_RE.match(paragraph):
        return True
    head, dot, rest = paragraph.partition("。")
    # "各位代表！…。" opens a closing speech: its first sentence ended at the "！".
    ended_early = any(p in head for p in "!！?？;；")
    return bool(dot and rest.strip()) and len(head) <= _LEAD_MAX and not ended_early


def enumeration_parts(paragraph: str) -> tuple[str, list[str]]:
    """("prefix", ["一是…", "二是…"]) when a paragraph lists two or more tasks inline;
    (paragraph, []) otherwise."""
    starts = [m.start(1) for m in _ENUM_RE.finditer(paragraph)]
    if len(starts) < 2:
        return paragraph, []
    bounds = [*starts, len(paragraph)]
    parts = [paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return paragraph[: starts[0]].strip(), parts


def lead_clause(paragraph: str) -> str:
    """A measure's title: its text up to the first clause punctuation, without numbering,
    "一是" or a leading dash."""
    if numbered := numbering(paragraph):
        paragraph = numbered[2]
    paragraph = paragraph.lstrip("—─- ")
    if enum := _ENUM_RE.match(paragraph):
        paragraph = paragraph[enum.end() :]
    return re.split(f"[{_CLAUSE}]", paragraph, maxsplit=1)[0].strip() or paragraph[:30]


def looks_back(title: str) -> bool:
    """A chapter or group that reports the past ("2025年工作回顾", "发展基础"): its figures
    are results, not targets."""
    return bool(_LOOK_BACK_RE.search(title))


def metadata_kind(line: str) -> str | None:
    """Which part of the title block or notice a line is, or None for plan text."""
    if _TABLE_ROW_RE.match(line):
        return "table"
    if len(line) > 120 or "。" in line:
        return "caption" if _CAPTION_RE.search(line) else None
    checks = (
        ("date", _LABELED_DATE_RE.search(line) and len(line) <= 80),
        ("date", _DATE_LINE_RE.match(line)),
        ("speech", _SPEECH_RE.match(line)),
        ("speaker", _SPEAKER_RE.match(line)),
        ("greeting", _GREETING_RE.match(line)),
        ("addressee", _ADDRESSEE_RE.match(line)),
        ("notice", _NOTICE_RE.search(line)),
        ("issuer", _ISSUER_RE.match(line)),
        ("caption", _CAPTION_RE.search(line)),
        ("title", is_title(line)),
    )
    return next((kind for kind, hit in checks if hit), None)


def is_title(line: str) -> bool:
    """A document title: a line without clause punctuation ending in its kind (…规划, …报告)."""
    bare = _TRAILING_PAREN_RE.sub("", line)
    return len(bare) <= 80 and not any(p in bare for p in _CLAUSE) and bool(_TITLE_RE.search(bare))


def title_continues(line: str, following: str) -> bool:
    """Whether a title line goes on in the next line ("…五年规划和" + "…远景目标纲要")."""
    return bool(_TITLE_CONTINUES_RE.search(line)) and is_title(following)


def notice_subject(line: str) -> str | None:
    """The document a notice forwards: "关于印发X的通知" gives X."""
    notice = _NOTICE_RE.search(line)
    return notice[1] if notice else None


def line_date(line: str) -> datetime.date | None:
    """The date a metadata line states (labelled, on its own, or in the meeting line)."""
    if date := re.search(_DATE, line):
        try:
            return datetime.date(*(int(part) for part in date.groups()))
        except ValueError:
            return None
    return None


def line_source(line: str) -> str | None:
    """The "来源:…" of a metadata line."""
    source = _SOURCE_RE.search(line)
    return source[1] if source else None


# --- the title block ---------------------------------------------------------------------------


def metadata_indexes(paragraphs: list[str], headings: dict[int, int]) -> set[int]:
    """Indexes of the title block and notice lines: those before the first heading (numbered,
    styled or plain) that look like a title, date, issuer, meeting, speaker, greeting or
    addressee. Intro paragraphs may sit between them (a notice's body, the greeting's)."""
    meta: set[int] = set()
    for index, line in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if metadata_kind(line) or index - 1 in meta and _continued_title(paragraphs, index):
            meta.add(index)
        elif title_continues(line, following):
            meta.add(index)
        elif numbering(line) or index in headings or is_plain_heading(line) or group_title(line):
            break
    return meta


def _continued_title(paragraphs: list[str], index: int) -> bool:
    return title_continues(paragraphs[index - 1], paragraphs[index])


def describe(
    paragraphs: list[str], meta: set[int]
) -> tuple[str | None, datetime.date | None, str | None]:
    """Title, publication date and source from the metadata lines.

    The title is the last title line of the block (after a notice, the document's own), two
    lines joined when the first ends in "和"; else what a notice forwards. The date is a
    labelled one ("时间:…") before a date line before the meeting's; the source is a
    "来源:…" before the issuing body's signature."""
    titles, notices, dates, sources = [], [], [], []
    for index in sorted(meta):
        line, kind = paragraphs[index], metadata_kind(paragraphs[index])
        if index + 1 in meta and title_continues(line, paragraphs[index + 1]):
            titles.append(line + paragraphs[index + 1])
        elif kind == "title" and not (index - 1 in meta and _continued_title(paragraphs, index)):
            titles.append(line)
        elif kind == "notice":
            notices.append(notice_subject(line))
        labelled = line_source(line) is not None or "时间" in line or "日期" in line
        if kind in ("date", "speech") and (date := line_date(line)):
            dates.append((kind != "date", not labelled, index, date))
        if source := line_source(line):
            sources.append((0, index, source))
        elif kind == "issuer":
            sources.append((1, index, line))
    title = titles[-1] if titles else (notices[-1] if notices else None)
    return title, min(dates)[-1] if dates else None, min(sources)[-1] if sources else None
