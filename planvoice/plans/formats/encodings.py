"""Which encoding a plan's bytes are in: a BOM, the page's own ``<meta charset>``, UTF-8, else
``charset-normalizer``; binary junk is refused."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
from flask_babel import lazy_gettext as _l

from planvoice.plans.errors import PlanFormatError

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
