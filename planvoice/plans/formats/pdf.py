"""A PDF's text layer (``pdfplumber``): lines broken by the page width joined again, running
headers, footers and page numbers dropped; a scan without a text layer is refused."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from planvoice.plans.errors import PlanFormatError
from planvoice.plans.formats.text import _CJK, PlanText, _clean

_SENTENCE_END = "。；：！？;:!?"
# "- 3 -", "—3—", "3", "第3页", "第 3 页 共 9 页", "3/9", "Page 3 of 9", alone on a line.
_PAGE_NUMBER_RE = re.compile(
    r"[-—–－\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?"
    r"|page\s*\d+(?:\s*of\s*\d+)?)[-—–－\s]*",
    re.I,
)


_SECTION_LABEL_RE = re.compile(
    r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．](?!\d)|第[一二三四五六七八九十\d]+[章节篇部]"
)


@dataclass(frozen=True)
class _PdfLine:
    text: str
    x0: float
    x1: float
    size: float  # font size: a character's width, for Chinese


def read_pdf(data: bytes) -> PlanText:
    """The text layer of a PDF, with running headers, footers and page numbers left out and
    the lines that the page width broke joined back into paragraphs."""
    import pdfplumber  # here, not at the top: every app start would pay for it (0.1 s)

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_lines(page) for page in pdf.pages]
    except Exception as error:  # pdfminer raises many kinds on damaged or encrypted files
        raise PlanFormatError(
            _l("The PDF file is damaged or protected by a password; save it again without one.")
        ) from error
    # A scan has no text, or only a stamp or a scanner app's watermark.
    if sum(len(line.text) for lines in pages for line in lines) < 20 * len(pages):
        raise PlanFormatError(
            _l(
                "This PDF has no text layer (it is a scan); export the plan from its original "
                "document, or run text recognition (OCR) on it first."
            )
        )
    return PlanText(tuple(_join_wrapped_lines(_drop_running_lines(pages))), {}, "pdf")


def _pdf_lines(page) -> list[_PdfLine]:
    lines = []
    for line in page.extract_text_lines(strip=True, return_chars=True):
        # Justified Chinese lines spread their characters, which reads as spaces between them.
        text = _clean(
            re.sub(rf"(?<=[{_CJK}\d])\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+(?=\d)", "", line["text"])
        )
        if text:
            sizes = sorted(char["size"] for char in line["chars"]) or [10.0]
            lines.append(_PdfLine(text, line["x0"], line["x1"], sizes[len(sizes) // 2]))
    return lines


def _drop_running_lines(pages: list[list[_PdfLine]]) -> list[_PdfLine]:
    """The lines of all pages in order, without page numbers and without the headers and
    footers (among the top or bottom two lines of a page) that repeat on most pages."""

    def key(line: _PdfLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s", "", line.text))

    def edges(lines: list[_PdfLine]) -> tuple[list[_PdfLine], list[_PdfLine]]:
        return lines[:2], lines[2:][-2:]

    counts: dict[str, int] = {}
    for lines in pages:
        for edge_key in {key(line) for edge in edges(lines) for line in edge}:
            counts[edge_key] = counts.get(edge_key, 0) + 1
    running = {k for k, n in counts.items() if len(pages) > 1 and n > len(pages) / 2}
    kept = []
    for lines in pages:
        dropped = set()
        for edge in edges(lines):
            seen = set()  # once per edge: the title under a header that repeats it stays
            for line in edge:
                if _PAGE_NUMBER_RE.fullmatch(line.text) or key(line) in running - seen:
                    dropped.add(id(line))
                    seen.add(key(line))
        kept += [line for line in lines if id(line) not in dropped]
    return kept


def _join_wrapped_lines(lines: list[_PdfLine]) -> list[str]:
    """Paragraphs from lines: a line that fills the width and ends no sentence goes on in the
    next line, unless that one is indented as a paragraph's first line is. Where the document
    indents every paragraph, the indent alone decides, so a sentence that ends just at the
    right margin does not end its paragraph (section labels still start one)."""
    if not lines:
        return []
    right = sorted(line.x1 for line in lines)[int(len(lines) * 0.9)]
    left = sorted(line.x0 for line in lines)[len(lines) // 10]

    def fills(line: _PdfLine) -> bool:
        # Up to 3.5 characters short: "、" or "。" may not start a line nor "“" end one, so
        # the characters around them move down together and leave a gap (kinsoku).
        return line.x1 >= right - line.size * 3.5

    def indented(line: _PdfLine) -> bool:
        return line.x0 >= left + line.size * 0.8

    pairs = list(zip(lines, lines[1:], strict=False))
    after_ends = [line for previous, line in pairs if not fills(previous)]
    by_indent = bool(after_ends) and sum(map(indented, after_ends)) >= 0.8 * len(after_ends)
    paragraphs = [lines[0].text]
    for previous, line in pairs:
        ends_sentence = previous.text.endswith(tuple(_SENTENCE_END))
        if by_indent and _SECTION_LABEL_RE.match(line.text):
            ends_sentence = True
        if fills(previous) and not indented(line) and (by_indent or not ends_sentence):
            ascii_seam = re.search(r"\w$", previous.text, re.A) and re.match(r"\w", line.text, re.A)
            paragraphs[-1] += (" " if ascii_seam else "") + line.text
        else:
            paragraphs.append(line.text)
    return paragraphs
