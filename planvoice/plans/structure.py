"""The structure of a plan: its title block, its intro, its sections and their measures.

Pure functions over a plan's paragraphs (stripped, non-empty, site chrome removed) and, where
the file states them (Word styles, HTML h1–h6), the heading level of some lines. The genre:
a title block and perhaps a forwarding notice; intro paragraphs; chapters numbered at any
depth (第一章/第一节, 一、, （一）, 1., （1）, ①) or plain short headings; tasks as paragraphs
("一是…", "——heading。text", "加快建设现代产业体系。…"). The plan's highest numbering level
gives its sections, deeper levels group measures, and the paragraphs are the measures.
``headings`` decides what one line is; this module decides what lines are together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from planvoice.plans import headings as kinds  # "headings" names the levels argument

Measure = tuple[str | None, str, str]  # (group, title, text); the importer keys them


@dataclass
class Section:
    """A top-level section, shaped as the importer's ``_Section`` plus what it may skip."""

    number: str | None
    title: str
    measures: list[Measure] = field(default_factory=list)
    # Paragraphs of the section that are not measures: its opening, group intros, closing.
    intro: list[str] = field(default_factory=list)
    looks_back: bool = False  # the whole section reports the past ("2025年工作回顾")
    past_measures: set[int] = field(default_factory=set)  # measures under a look-back heading


@dataclass(frozen=True)
class PlanStructure:
    title: str | None
    published: datetime.date | None
    source: str | None
    metadata: tuple[str, ...]  # title block, notice, meeting and speaker lines, in order
    intro: tuple[str, ...]
    sections: tuple[Section, ...]


def read_structure(paragraphs: list[str], headings: dict[int, int] | None = None) -> PlanStructure:
    """The whole structure of a plan; ``headings`` maps a paragraph index to its level."""
    headings = headings or {}
    meta = kinds.metadata_indexes(paragraphs, headings)
    kept = [i for i in range(len(paragraphs)) if i not in meta]
    body_headings = {new: headings[old] for new, old in enumerate(kept) if old in headings}
    intro, sections = build_sections([paragraphs[i] for i in kept], body_headings)
    lines = [paragraphs[i] for i in sorted(meta)]
    title, published, source = kinds.describe(paragraphs, meta)
    return PlanStructure(title, published, source, tuple(lines), tuple(intro), tuple(sections))


# --- sections ----------------------------------------------------------------------------------


@dataclass
class _Line:
    kind: str  # heading, plain, group, lead, item, leadin, para (numbered/styled: pending)
    text: str
    rank: int = 0
    number: str | None = None
    title: str = ""
    rest: str = ""  # a heading paragraph's text after its heading sentence


_GROUP_RANK = 1000  # a "…——" group is always the innermost level
_STYLED = 10  # styled levels (1–6) rank above every numbering found only in the text


def classify_lines(body: list[str], headings: dict[int, int]) -> list[_Line]:
    """What each line is. A numbered paragraph is a heading when text or a deeper level
    follows it, else a measure; a styled sentence ending in "。" followed by a paragraph is a
    measure's lead (Word "Heading 3" lead sentences)."""
    lines = [_classify(line, headings.get(index)) for index, line in enumerate(body)]
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.kind == "numbered":
            opens = following is not None and (
                following.kind in ("para", "leadin", "group", "lead", "styled")
                or (following.kind in ("heading", "numbered") and following.rank > line.rank)
            )
            line.kind = "heading" if opens else "item"
        elif line.kind == "styled":
            line.kind = "lead" if following is not None and following.kind == "para" else "heading"
    return lines


def _classify(line: str, level: int | None) -> _Line:
    numbered = None if line.startswith(("—", "─", "--")) else kinds.numbering(line)
    if numbered:
        rank, label, rest = numbered
        rank = level if level else _STYLED + rank
        if kinds.is_short_heading(rest):
            return _Line("heading", line, rank, label, rest.rstrip(":："))
        head, after = kinds.heading_sentence(rest)
        return _Line("numbered", line, rank, label, head, after.strip())
    if level:
        if line.endswith("。") and line.count("。") == 1:
            return _Line("styled", line, level, None, line.rstrip("。"))
        head, after = kinds.heading_sentence(line) if "。" in line else (line, "")
        return _Line("heading", line, level, None, head, after.strip())
    if title := kinds.group_title(line):
        return _Line("group", line, _GROUP_RANK, None, title)
    if kinds.is_leadin(line):
        return _Line("leadin", line)
    if kinds.is_plain_heading(line):
        return _Line("plain", line, title=line)
    return _Line("para", line)


@dataclass
class _Group:
    rank: int
    title: str
    used: bool = False


@dataclass
class _Entry:
    kind: str  # para (measure or prose, decided at the end), task, empty (a heading), prose
    group: int | None  # the id of the innermost open group
    text: str
    title: str = ""
    past: bool = False  # under a look-back heading


@dataclass
class _Draft:
    """A section while its lines are read: entries in order, then ``finish`` decides."""

    section: Section
    entries: list[_Entry] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)  # every group, by id
    stack: list[int] = field(default_factory=list)  # ids of the open groups, outermost first


def build_sections(
    body: list[str], headings: dict[int, int] | None = None
) -> tuple[list[str], list[Section]]:
    """Intro paragraphs and sections; a drop-in for the importer's ``_build_sections``."""
    lines = classify_lines(body, headings or {})
    ranks = [line.rank for line in lines if line.kind == "heading"]
    top = min(ranks) if ranks else 0
    intro: list[str] = []
    drafts: list[_Draft] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if _is_top(line, top):
            if drafts:
                _close_groups(drafts[-1], -1)
            drafts.append(_Draft(Section(line.number, line.title)))
            _add_prose(drafts[-1], line.rest)
        elif line.kind in ("heading", "group"):
            if not drafts:  # a group before any section names a section of its own
                drafts.append(_Draft(Section(None, line.title)))
            _open_group(drafts[-1], line)
        elif not drafts or (line.kind == "leadin" and _is_top(following, top)):
            intro.append(line.text)  # "…实践路径是:" introduces the sections that follow
        else:
            _add_line(drafts[-1], line, lines[index - 1])
    for draft in drafts:
        _close_groups(draft, -1)
    return intro, [finish(draft) for draft in drafts]


def _is_top(line: _Line | None, top: int) -> bool:
    return line is not None and (
        line.kind == "plain" or line.kind == "heading" and line.rank <= top
    )


def _open_group(draft: _Draft, line: _Line) -> None:
    _close_groups(draft, line.rank)
    _mark_used(draft)
    draft.groups.append(_Group(line.rank, line.title))
    draft.stack.append(len(draft.groups) - 1)
    _add_prose(draft, line.rest)


def _close_groups(draft: _Draft, rank: int) -> None:
    """Close the open groups at ``rank`` or deeper (all for -1); a group that had nothing
    under it becomes an empty measure, so residents can still comment on the heading."""
    while draft.stack and draft.groups[draft.stack[-1]].rank >= rank:
        group = draft.groups[draft.stack.pop()]
        if not group.used:
            parent = draft.stack[-1] if draft.stack else None
            draft.entries.append(_Entry("empty", parent, "", group.title, _in_past(draft)))


def _mark_used(draft: _Draft) -> None:
    for group_id in draft.stack:
        draft.groups[group_id].used = True


def _in_past(draft: _Draft) -> bool:
    return any(kinds.looks_back(draft.groups[g].title) for g in draft.stack)


def _add_prose(draft: _Draft, text: str) -> None:
    if text:
        draft.entries.append(_Entry("prose", None, text))


def _add_line(draft: _Draft, line: _Line, previous: _Line) -> None:
    group_id = draft.stack[-1] if draft.stack else None
    _mark_used(draft)
    past = _in_past(draft)
    last = draft.entries[-1] if draft.entries else None
    if line.kind == "para" and previous.kind == "lead" and last and last.kind == "task":
        last.text += line.text  # the paragraph under a styled lead sentence is its text
    elif line.kind in ("lead", "item"):
        title = kinds.lead_clause(line.text)
        draft.entries.append(_Entry("task", group_id, line.text, title, past))
    else:
        draft.entries.append(_Entry("para", group_id, line.text, past=past))


def finish(draft: _Draft) -> Section:
    """The section's measures from its entries.

    Paragraphs before the first group of a section with groups are its opening. Where some
    paragraphs of a group mark themselves as tasks ("一是", "——…。", a lead sentence), the
    others are the group's prose; where none do, every paragraph is a measure."""
    section = draft.section
    section.looks_back = kinds.looks_back(section.title)
    has_groups = bool(draft.groups)
    marked = {e.group for e in draft.entries if e.kind == "task" or _is_task(e)}
    for entry in draft.entries:
        group = None if entry.group is None else draft.groups[entry.group].title
        prose = entry.kind == "prose" or (entry.kind == "para" and has_groups and group is None)
        if prose and _states_promises(entry.text, section, entry.past):
            # "主要预期目标是：地区生产总值增长5%左右…": the plan's headline promises belong
            # on a measure residents can follow, not in the section's opening.
            _append(section, (group, kinds.lead_clause(entry.text), entry.text), entry.past)
        elif prose:
            section.intro.append(entry.text)
        elif entry.kind in ("empty", "task"):
            _append(section, (group, entry.title, entry.text), entry.past)
        else:
            _add_paragraph(section, group, entry.text, entry.past, entry.group in marked)
    if not section.measures:
        section.measures.append((None, section.title, ""))
    if section.looks_back:
        section.past_measures = set(range(len(section.measures)))
    return section


def _states_promises(text: str, section: Section, past: bool) -> bool:
    """A paragraph that promises figures ("…增长5%左右"), outside a review of the past: it is
    a measure even where the paragraphs around it are prose."""
    if past or section.looks_back:
        return False
    from planvoice.plans.targets import extract_targets  # the structure step needs only this

    return bool(extract_targets(text))


def _is_task(entry: _Entry) -> bool:
    return entry.kind == "para" and (
        kinds.is_marked_task(entry.text) or bool(kinds.enumeration_parts(entry.text)[1])
    )


def _add_paragraph(
    section: Section, group: str | None, text: str, past: bool, among_tasks: bool
) -> None:
    """One paragraph: several measures if it lists tasks inline ("一是…；二是…"), prose if
    it is an unmarked paragraph among marked tasks, else one measure."""
    prefix, parts = kinds.enumeration_parts(text)
    if parts:
        if prefix:
            section.intro.append(prefix)
        for part in parts:
            _append(section, (group, kinds.lead_clause(part), part), past)
    elif (
        among_tasks and not kinds.is_marked_task(text) and not _states_promises(text, section, past)
    ):
        section.intro.append(text)
    else:
        _append(section, (group, kinds.lead_clause(text), text), past)


def _append(section: Section, measure: Measure, past: bool) -> None:
    if past:
        section.past_measures.add(len(section.measures))
    section.measures.append(measure)
