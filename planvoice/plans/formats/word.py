"""A Word ``.docx`` (``python-docx``): paragraphs and table cells in order, heading levels from
styles or outline levels, and Word's own list numbers written out."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from planvoice.plans.errors import PlanFormatError
from planvoice.plans.formats.text import PlanText, _clean

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

_WORD_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE_RE = re.compile(r"(?:heading|标题)\s*([1-9])", re.I)


def read_docx(data: bytes) -> PlanText:
    """The paragraphs of a .docx in order, table cells as paragraphs, with the list numbers
    Word adds ("（一）", "1.") and the heading levels of heading styles and outline levels."""
    import docx  # here, not at the top: every app start would pay for it (0.1 s)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_word = "word/document.xml" in archive.namelist()
        if is_word:
            return _read_document(docx.Document(io.BytesIO(data)))
    except Exception as error:  # zipfile, lxml and python-docx each raise their own kinds
        raise PlanFormatError(_l("The Word file is damaged; save it again as .docx.")) from error
    raise PlanFormatError(
        _l("The file is an archive, not a Word document; save the plan as .docx or PDF.")
    )


def _read_document(document) -> PlanText:
    numbering = _Numbering(document)
    lines: list[str] = []
    headings: dict[int, int] = {}
    for paragraph in _docx_paragraphs(document, seen=set()):
        level = _heading_level(paragraph)
        label = numbering.label(paragraph)
        for part in paragraph.text.split("\n"):  # a line break inside a paragraph
            if text := _clean(part):
                if level:
                    headings[len(lines)] = level
                lines.append(label + text)
                label = ""
    return PlanText(tuple(lines), headings, "docx")


def _docx_paragraphs(container, seen: set):
    """Paragraphs in reading order, into tables and tables in cells; a merged cell once."""
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
            continue
        for row in item.rows:
            for cell in row.cells:
                if cell._tc not in seen:  # the element itself: a set keeps its proxy alive
                    seen.add(cell._tc)
                    yield from _docx_paragraphs(cell, seen)


def _style_chain(paragraph: Paragraph) -> list:
    chain, style = [], paragraph.style
    while style is not None and len(chain) < 10:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(paragraph: Paragraph) -> int | None:
    for style in _style_chain(paragraph):
        if match := _HEADING_STYLE_RE.fullmatch(style.name or ""):
            return int(match[1])
    # Templates of Chinese offices often mark headings by outline level (0-based; 9 = body).
    for properties in [paragraph._p.pPr] + [style.element.pPr for style in _style_chain(paragraph)]:
        outline = properties.find(_qn("w:outlineLvl")) if properties is not None else None
        if outline is not None and (value := outline.get(_qn("w:val"), "9")).isdigit():
            return int(value) + 1 if int(value) < 9 else None
    return None


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_number(n: int, style: str) -> str:
    if style.startswith(("chinese", "ideographDigital", "japaneseCounting", "taiwanese")):
        return _chinese_number(n)
    if style in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if style == "upperLetter" else letter.lower()
    if style in ("upperRoman", "lowerRoman"):
        numerals = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        roman = numerals[n] if n <= 10 else str(n)
        return roman if style == "upperRoman" else roman.lower()
    if style.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class _Numbering:
    """Word's automatic list numbers, which are not in a paragraph's text: counted as Word
    counts them, per list definition and level, deeper levels restarting."""

    def __init__(self, document) -> None:
        root = document.part.numbering_part.element
        self._abstract_of = {
            num.get(_qn("w:numId")): num.find(_qn("w:abstractNumId")).get(_qn("w:val"))
            for num in root.findall(_qn("w:num"))
            if num.find(_qn("w:abstractNumId")) is not None
        }
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        for abstract in root.findall(_qn("w:abstractNum")):
            for level in abstract.findall(_qn("w:lvl")):
                self._levels[
                    (abstract.get(_qn("w:abstractNumId")), int(level.get(_qn("w:ilvl"))))
                ] = (
                    _child_value(level, "w:numFmt", "decimal"),
                    _child_value(level, "w:lvlText", ""),
                    int(_child_value(level, "w:start", "1")),
                )
        self._counters: dict[str, dict[int, int]] = {}

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._list_of(paragraph)
        abstract = self._abstract_of.get(num_id)
        if abstract is None or (abstract, level) not in self._levels:
            return ""
        style, template, start = self._levels[(abstract, level)]
        counters = self._counters.setdefault(abstract, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if style in ("bullet", "none"):
            return ""

        def number(match: re.Match) -> str:
            shown = int(match[1]) - 1
            shown_style, _template, shown_start = self._levels.get(
                (abstract, shown), ("decimal", "", 1)
            )
            return _format_number(counters.get(shown, shown_start), shown_style)

        return re.sub(r"%([1-9])", number, template)

    def _list_of(self, paragraph: Paragraph) -> tuple[str | None, int]:
        sources = [paragraph._p.pPr] + [style.element.pPr for style in _style_chain(paragraph)]
        for properties in sources:
            numbering = properties.find(_qn("w:numPr")) if properties is not None else None
            if numbering is not None and numbering.find(_qn("w:numId")) is not None:
                level = numbering.find(_qn("w:ilvl"))
                return (
                    numbering.find(_qn("w:numId")).get(_qn("w:val")),
                    int(level.get(_qn("w:val"), "0")) if level is not None else 0,
                )
        return None, 0


def _qn(tag: str) -> str:
    """The name lxml uses for a WordprocessingML tag such as "w:numPr"."""
    return _WORD_NAMESPACE + tag.removeprefix("w:")


def _child_value(element, tag: str, default: str) -> str:
    child = element.find(_qn(tag))
    return child.get(_qn("w:val"), default) if child is not None else default
