"""Text as people typed it, cleaned once where forms read it (``filters=[clean_text]``)."""

import re

# Control characters other than tab and line breaks have no place in text (and PostgreSQL
# refuses NUL outright).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str | None:
    """Text as people meant it: one kind of line break, no control characters, no edges."""
    if value is None:
        return None
    return _CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
