"""Text as people typed it, cleaned once where forms read it (``filters=[clean_text]``).

Invisible characters (zero-width spaces and joiners, the byte-order mark, blank look-alikes)
are dropped from the ends of a value, so a comment or a name made only of them is empty and
fails ``DataRequired`` like a blank one. Inside the text they stay: a zero-width joiner holds
an emoji sequence together.
"""

import re
import unicodedata

# Control characters other than tab and line breaks have no place in text (and PostgreSQL
# refuses NUL outright).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Characters that show nothing but are letters, symbols or marks to Unicode (so neither
# whitespace nor format characters): Hangul fillers, the blank braille pattern, the combining
# grapheme joiner and the variation selectors.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f") | frozenset(
    chr(code) for code in range(0xFE00, 0xFE10)
)


def is_invisible(char: str) -> bool:
    """Whether a character shows nothing: whitespace, a format character (Unicode Cf: U+200B,
    U+200C, U+200D, U+2060, U+FEFF, U+00AD…) or a blank look-alike."""
    return char.isspace() or char in _BLANK_LOOKALIKES or unicodedata.category(char) == "Cf"


def clean_text(value: str | None) -> str | None:
    """Text as people meant it: one kind of line break, no control characters, no invisible
    edges; "" for a value made only of blank and invisible characters."""
    if value is None:
        return None
    value = _CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    start, end = 0, len(value)
    while start < end and is_invisible(value[start]):
        start += 1
    while end > start and is_invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def optional_text(value: str | None) -> str | None:
    """``clean_text``, with None for nothing visible (a filter for optional fields that are
    stored as NULL when left empty)."""
    return clean_text(value) or None
