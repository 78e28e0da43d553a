"""Read a plan file, in whatever format it arrives, into its paragraphs of text.

Plans are published as plain text in the office's encoding, as pages saved from a government
website, as PDF and as Word documents. Each reader returns the same ``PlanText`` (one
paragraph per line, and heading levels where the file states them), so the structure parser
in ``importer`` knows nothing of formats. One module per format (``encodings``, ``web_page``,
``pdf``, ``word``) and ``text`` for what they share. Pure functions; no app.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from planvoice.plans.errors import PlanFormatError
from planvoice.plans.formats.encodings import decode_plan
from planvoice.plans.formats.pdf import read_pdf
from planvoice.plans.formats.text import PlanText, read_text
from planvoice.plans.formats.web_page import html_to_lines, read_html
from planvoice.plans.formats.word import read_docx

__all__ = [
    "PlanText", "decode_plan", "html_to_lines", "read_docx", "read_html", "read_pdf",
    "read_plan_file", "read_text",
]  # fmt: skip

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
