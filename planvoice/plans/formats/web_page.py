"""A plan page saved from a government website: its article body as paragraphs, without the
site's navigation, footers, share buttons and related links; h1–h6 give heading levels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from planvoice.plans.formats.text import _CJK, PlanText, _clean

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
