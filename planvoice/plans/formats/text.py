"""What every reader returns: ``PlanText``, the paragraphs of a plan file, and the
plain-text reader."""

from __future__ import annotations

from dataclasses import dataclass, field

# Chinese characters and punctuation, full-width forms included (for joining and splitting).
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"


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


def _clean(line: str) -> str:
    return line.strip().strip("\ufeff\u200b").strip()


def read_text(text: str) -> PlanText:
    """A plain-text copy: every non-empty line is a paragraph."""
    return PlanText(tuple(line for line in map(_clean, text.splitlines()) if line))
