"""Sanity-check the hand-written expectations in tests/plans/corpus/expected/.

Standalone (not a test, does not run the importer); prints one line per problem
and exits 1 if there is any:

    .venv/bin/python tests/plans/corpus/check_expected.py

Checked for every expected/<slug>.json:
- the corpus file exists; its source text is the file itself (.txt/.html) or the
  "source_text" it was built from (.docx/.pdf, under build/);
- every target "text" and every "not_targets" entry is an exact substring of
  that source text, and no not_target contains a target's text;
- each target's subject and unit occur in its text, its value is written in the
  text (Arabic digits, or Chinese numerals for the few that use them), the
  comparator is a known one, ranges have value == low <= high, deadline is a
  year or null;
- metadata_lines are whole lines of the source text, sections occur in it;
- for the .docx, its paragraphs are exactly the source lines.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPARATORS = {"at_least", "reach", "at_most", "about", "annual_growth", "increase", "decrease"}
KEYS = {"text", "value", "unit", "subject", "comparator", "deadline", "low", "high"}
CHINESE_DIGITS = dict(zip("〇一二两三四五六七八九", (0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


def _number_written(value: float, text: str) -> bool:
    as_text = f"{value:g}"
    if as_text in text.replace(",", ""):
        return True
    # Chinese numerals such as 十件, 两千, 三百 (small integers only).
    for run in re.findall(r"[〇一二两三四五六七八九十百千]+", text):
        if _chinese_to_int(run) == value:
            return True
    return False


def _chinese_to_int(run: str) -> int | None:
    total, current = 0, 0
    for char in run:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def _source_text(slug: str, data: dict, problems: list[str]) -> str | None:
    corpus_file = HERE / data["file"]
    if not corpus_file.exists():
        problems.append(f"{slug}: corpus file {data['file']} is missing")
        return None
    if corpus_file.suffix in {".txt", ".html"}:
        return corpus_file.read_text(encoding="utf-8")
    source = HERE / data.get("source_text", f"build/{slug}.txt")
    if not source.exists():
        problems.append(f"{slug}: source text {source.name} for {data['file']} is missing")
        return None
    return source.read_text(encoding="utf-8")


def _check_docx(slug: str, data: dict, text: str, problems: list[str]) -> None:
    try:
        import docx  # python-docx, in the project venv
    except ImportError:
        return
    paragraphs = [p.text for p in docx.Document(str(HERE / data["file"])).paragraphs]
    if paragraphs != text.splitlines():
        problems.append(f"{slug}: {data['file']} paragraphs differ from its source text")


def check_one(path: Path, problems: list[str]) -> tuple[int, int]:
    slug = path.stem
    data = json.loads(path.read_text(encoding="utf-8"))
    text = _source_text(slug, data, problems)
    if text is None:
        return 0, 0
    if data["file"].endswith(".docx"):
        _check_docx(slug, data, text, problems)
    lines = {line.strip() for line in text.splitlines()}
    for line in data["metadata_lines"]:
        if line.strip() not in lines:
            problems.append(f"{slug}: metadata line is not a whole line of the text: {line!r}")
    for section in data["sections"]:
        if section not in text:
            problems.append(f"{slug}: section not in text: {section!r}")
    if not isinstance(data["measure_count"], int) or not data.get("measure_rule"):
        problems.append(f"{slug}: measure_count must be an int with a measure_rule")
    for target in data["targets"]:
        label = f"{slug}: target {target.get('text')!r}"
        if set(target) != KEYS:
            problems.append(f"{label}: keys {sorted(set(target) ^ KEYS)} wrong")
            continue
        if target["text"] not in text:
            problems.append(f"{label}: not an exact substring of the source text")
        if target["subject"] not in target["text"]:
            problems.append(f"{label}: subject {target['subject']!r} not in its text")
        if target["unit"] not in target["text"]:
            problems.append(f"{label}: unit {target['unit']!r} not in its text")
        if not _number_written(target["value"], target["text"]):
            problems.append(f"{label}: value {target['value']} not written in its text")
        if target["comparator"] not in COMPARATORS:
            problems.append(f"{label}: unknown comparator {target['comparator']!r}")
        deadline = target["deadline"]
        if deadline is not None and not (isinstance(deadline, int) and 2000 <= deadline <= 2050):
            problems.append(f"{label}: deadline {deadline!r} is not a year")
        low, high = target["low"], target["high"]
        if (low is None) != (high is None):
            problems.append(f"{label}: give both low and high, or neither")
        elif low is not None and not (target["value"] == low <= high):
            problems.append(f"{label}: a range needs value == low <= high")
    for span in data["not_targets"]:
        if span not in text:
            problems.append(f"{slug}: not_target is not an exact substring: {span!r}")
        for target in data["targets"]:
            if target["text"] in span:
                problems.append(f"{slug}: not_target {span!r} contains target {target['text']!r}")
    return len(data["targets"]), len(data["not_targets"])


def main() -> int:
    problems: list[str] = []
    files = sorted((HERE / "expected").glob("*.json"))
    totals = [check_one(path, problems) for path in files]
    for problem in problems:
        print(problem)
    targets = sum(t for t, _ in totals)
    not_targets = sum(n for _, n in totals)
    print(
        f"{len(files)} expectation files, {targets} targets, {not_targets} not_targets, "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
