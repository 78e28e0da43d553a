"""Read a plan file, in whatever format it arrives, into its paragraphs of text.

Plans are published as plain text in the office's encoding, as pages saved from a government
website, as PDF and as Word documents. Each reader returns the same ``PlanText`` (one
paragraph per line, and heading levels where the file states them), so the structure parser
in ``importer`` knows nothing of formats. Pure functions; no app.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import charset_normalizer
from flask_babel import lazy_gettext as _l

from planvoice.plans.errors import PlanFormatError

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class PlanText:
    """The paragraphs of a plan file: stripped, none empty, in reading order.

    ``headings`` maps a line index to its heading level (1 is the top) where the file says so
    itself: Word heading styles or outline levels, HTML h1–h6. Text and PDF files state none.
    """

    lines: tuple[str, ...]
    headings: dict[int, int] = field(default_factory=dict)
    format: str = "text"

    def headings_for(self, kept: list[str]) -> dict[int, int]:
        """The heading levels re-indexed for ``kept``: these lines with some left out, as the
        importer leaves out site chrome."""
        result, position = {}, 0
        for index, line in enumerate(self.lines):
            if position < len(kept) and kept[position] == line:
                if index in self.headings:
                    result[position] = self.headings[index]
                position += 1
        return result


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps and .xls before 2007
_HTML_RE = re.compile(r"<\s*(?:!doctype|html|body|p|div|h[1-6]|br|span|table)\b", re.I)
_HTML_EXTENSIONS = frozenset({"htm", "html", "shtml", "xhtml", "mht"})


def read_plan_file(data: bytes, filename: str | None = None) -> PlanText:
    """The paragraphs of a plan file: text in any encoding, an HTML page, a PDF or a .docx.

    The format comes from the bytes; the file name's extension only breaks ties (a page saved
    as .html with few tags) and explains a file that is not what its name says.
    Raises PlanFormatError, with a message for the administrator, for anything unreadable.
    """
    extension = filename.rpartition(".")[2].lower() if filename and "." in filename else ""
    if not data.strip():
        raise PlanFormatError(_l("The plan file is empty."))
    if b"%PDF-" in data[:1024]:
        plan = read_pdf(data)
    elif data.startswith(b"PK\x03\x04"):
        plan = read_docx(data)
    elif data.startswith(_OLE_MAGIC):
        raise PlanFormatError(
            _l("Old Word (.doc) and WPS files cannot be read; save the plan as .docx or PDF.")
        )
    elif extension in ("pdf", "docx"):
        raise PlanFormatError(
            _l(
                "The file is named .%(extension)s but is not in that format; it may be damaged.",
                extension=extension,
            )
        )
    else:
        text = decode_plan(data)
        is_page = extension in _HTML_EXTENSIONS or _HTML_RE.search(text)
        plan = read_html(text) if is_page else read_text(text)
    if not plan.lines:
        raise PlanFormatError(_l("The plan file has no readable paragraphs."))
    return plan


def _clean(line: str) -> str:
    return line.strip().strip("\ufeff\u200b").strip()


def read_text(text: str) -> PlanText:
    """A plain-text copy: every non-empty line is a paragraph."""
    return PlanText(tuple(line for line in map(_clean, text.splitlines()) if line))


# --- text encodings ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# Pages that declare GB2312 or GBK routinely use characters only GB18030 has.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


def decode_plan(data: bytes) -> str:
    """The text of a text or HTML file: by its BOM, else its ``<meta charset>``, else UTF-8,
    else what charset-normalizer finds (GB18030, Big5, UTF-16 without BOM, …).

    Raises PlanFormatError for bytes that are not text (images, archives).
    """
    if bom_encoding := next((name for bom, name in _BOMS if data.startswith(bom)), None):
        candidates = [bom_encoding]
    else:
        declared = _META_CHARSET_RE.search(data[:4096])
        candidates = [_codec(declared[1].decode("ascii")) if declared else None, "utf-8", ""]
    for encoding in candidates:
        if encoding == "":  # the detector last: it is slow, and unsure on a few dozen bytes
            encoding = _guess_encoding(data)
        try:
            text = data.decode(encoding) if encoding else None
        except (UnicodeDecodeError, LookupError):
            continue
        if text is not None and not _looks_binary(text):
            return text
    raise PlanFormatError(
        _l("The file is not a plan we can read; save it as text, HTML, PDF or Word (.docx).")
    )


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _guess_encoding(data: bytes) -> str | None:
    match = charset_normalizer.from_bytes(data).best()
    # On a few dozen bytes the detector has no evidence (coherence 0) and picks any CJK codec;
    # a mainland plan is then the better bet, as GB18030 was the only fallback before.
    if match is None or not match.coherence:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            return "gb18030"
    return match.encoding if match else None


def _looks_binary(text: str) -> bool:
    # GB18030 decodes many byte soups, so also refuse text full of control characters.
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return "\x00" in text or controls > len(text) / 100


# --- HTML pages -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 header "
    "hr li main ol p pre section table tbody td th thead tr ul".split()
)
_SKIPPED_TAGS = frozenset(
    "button footer head iframe nav noscript script select style svg template".split()
)
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Parts of a page template by their id or class: share buttons, related links, breadcrumbs.
_CHROME_NAME_RE = re.compile(
    r"share|fenxiang|related|relevant|xgwz|xgxx|crumb|(?:^|[\s_-])(?:nav|menu|footer|foot|print"
    r"|close|position|location|toolbar)(?:$|[\s_-])",
    re.I,
)
# Containers that site systems (TRS, UCAP, gov.cn) give the article body; a bonus, not a rule.
_ARTICLE_NAME_RE = re.compile(
    r"TRS_Editor|UCAP-CONTENT|pages_content|zoom|article|content|Custom_UnionStyle", re.I
)
_TITLE_NAME_RE = re.compile(r"title|biaoti", re.I)
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_MAX_DEPTH = 200  # deeper markup is flattened, so junk cannot exhaust the recursion limit


@dataclass(eq=False)
class _Element:
    tag: str
    names: str  # its id and class, where site templates name their parts
    parent: _Element | None
    children: list[_Element | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """The visible part of a page as a tree; scripts, styles, nav and named chrome left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", "", None)
        self.title = ""
        self._open = self.root
        self._depth = 0
        self._skipping: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._in_title = tag == "title"
        names = " ".join(value or "" for name, value in attrs if name in ("id", "class"))
        if self._skipping or tag in _SKIPPED_TAGS or _CHROME_NAME_RE.search(names):
            if tag not in _VOID_TAGS:
                self._skipping.append(tag)
            return
        # A new paragraph or item closes an open one, as browsers do with unclosed <p>.
        current = self._open.tag
        if (current == "p" and tag in _BLOCK_TAGS) or (current == tag and tag in ("li", "td")):
            self._close(self._open)
        element = _Element(tag, names, self._open)
        self._open.children.append(element)
        if tag not in _VOID_TAGS and self._depth < _MAX_DEPTH:
            self._open, self._depth = element, self._depth + 1

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if self._skipping:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
            return
        element = self._open
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self._close(element)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self._open.children.append(data)

    def _close(self, element: _Element) -> None:
        while self._open is not element.parent:
            self._open, self._depth = self._open.parent, self._depth - 1


def read_html(page: str) -> PlanText:
    """The article of a saved page: title, date line and body, without the site around it."""
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    sizes: dict[int, tuple[int, bool]] = {}
    _measure(builder.root, sizes)
    region, needs_title = _article(builder.root, sizes)
    renderer = _Renderer()
    if needs_title and (title := re.split(r"\s*[_|｜–—]\s*|\s+-\s+", builder.title.strip())[0]):
        renderer.lines.append(title)
        renderer.headings[0] = 1
    renderer.render(region)
    renderer.flush()
    return PlanText(tuple(renderer.lines), renderer.headings, "html")


def html_to_lines(page: str) -> list[str]:
    """The article of an HTML page as lines (see ``read_html``)."""
    return list(read_html(page).lines)


def _measure(element: _Element, sizes: dict[int, tuple[int, bool]]) -> tuple[int, bool]:
    """Record, for every element, its text length outside links and whether it holds blocks."""
    length, has_blocks = 0, False
    for child in element.children:
        if isinstance(child, str):
            length += len("".join(child.split()))
        else:
            child_length, child_blocks = _measure(child, sizes)
            length += 0 if child.tag == "a" else child_length
            has_blocks = has_blocks or child_blocks or child.tag in _BLOCK_TAGS
    sizes[id(element)] = (length, has_blocks)
    return length, has_blocks


def _paragraph_score(element: _Element, sizes: dict[int, tuple[int, bool]]) -> float:
    # The text an element holds as its own paragraphs: text, inline elements and blocks with
    # no blocks inside. A page's wrappers hold blocks, its link lists hold links: both score 0.
    score = 0
    for child in element.children:
        if isinstance(child, str):
            score += len("".join(child.split()))
        elif child.tag != "a" and not sizes[id(child)][1]:
            score += sizes[id(child)][0]
    return score * 1.5 if _ARTICLE_NAME_RE.search(element.names) else score


def _article(root: _Element, sizes: dict[int, tuple[int, bool]]) -> tuple[_Element, bool]:
    """The part of the page to read, and whether it lacks the title (then <title> gives it).

    The body is the element with most paragraph text; the region grows to the nearest
    ancestor holding a title outside the body (h1, or a "title" class) unless that ancestor
    has much more text, as a whole page would. Short pages and fragments are read whole.
    """
    elements, stack = [], [root]
    while stack:
        element = stack.pop()
        elements.append(element)
        stack.extend(child for child in element.children if isinstance(child, _Element))
    body = max(elements, key=lambda element: _paragraph_score(element, sizes))
    if _paragraph_score(body, sizes) < 100:
        return root, False
    limit = sizes[id(body)][0] * 1.5 + 200
    ancestor = body.parent
    while ancestor is not None and ancestor is not root:
        if sizes[id(ancestor)][0] > limit:
            break
        if _has_title(ancestor, outside=body):
            return ancestor, False
        ancestor = ancestor.parent
    return body, not _has_title(body, outside=None)


def _has_title(element: _Element, outside: _Element | None) -> bool:
    for child in element.children:
        if isinstance(child, str) or child is outside:
            continue
        if child.tag in ("h1", "h2") or _TITLE_NAME_RE.search(child.names):
            return True
        if _has_title(child, outside):
            return True
    return False


class _Renderer:
    """The text of an element, one line per block element, with the levels of h1–h6."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: dict[int, int] = {}
        self._parts: list[str] = []

    def render(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                self._parts.append(child)
                continue
            is_block = child.tag in _BLOCK_TAGS
            if is_block:
                self.flush()
            self.render(child)
            if is_block:
                self.flush(int(child.tag[1]) if re.fullmatch(r"h[1-6]", child.tag) else None)

    def flush(self, level: int | None = None) -> None:
        text = "".join(self._parts)
        self._parts = []
        # A line break inside Chinese text is source formatting, not a space; elsewhere HTML
        # whitespace collapses to one space. &nbsp; (U+00A0) is kept, as in the .txt copy.
        text = re.sub(rf"(?<=[{_CJK},.;:!?)%])\s*\n\s*(?=[{_CJK}(])", "", text)
        if line := _clean(re.sub(r"[ \t\r\n\f]+", " ", text)):
            if level:
                self.headings[len(self.lines)] = level
            self.lines.append(line)


# --- PDF --------------------------------------------------------------------------------------

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


# --- Word documents ---------------------------------------------------------------------------

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
