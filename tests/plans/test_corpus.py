"""The importer against a corpus of real plans (``tests/plans/corpus``, cited in its
SOURCES.md): every plan's sections, and the targets a person checked by hand. The run prints
how many of the checked targets come out right (recall) and how many of the targets taken
where a person looked are right (precision)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from planvoice.plans.importer import parse_plan

CORPUS = Path(__file__).resolve().parent / "corpus"
FIELDS = ("value", "unit", "subject", "comparator", "deadline")
# The aim: at least 95 % of the checked targets right (61 of 64 at the last run).
RIGHT_AT_LEAST = 0.95


def _expectations() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CORPUS / "expected").glob("*.json"))
    ]


EXPECTED = _expectations()


@pytest.fixture(scope="module")
def parsed() -> dict:
    return {e["file"]: parse_plan((CORPUS / e["file"]).read_bytes(), e["file"]) for e in EXPECTED}


def _targets(plan) -> list:
    return [t for s in plan.sections for m in s.measures for t in m.targets]


def _differences(found, checked: dict) -> dict:
    wrong = {
        name: (getattr(found, name), checked[name])
        for name in FIELDS
        if getattr(found, name) != checked[name]
    }
    if (found.low, found.high) != (checked.get("low"), checked.get("high")):
        wrong["range"] = ((found.low, found.high), (checked.get("low"), checked.get("high")))
    return wrong


@dataclass
class Tally:
    checked: int = 0
    right: int = 0
    taken_where_checked: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)


def _tally(parsed) -> Tally:
    tally = Tally()
    for expected in EXPECTED:
        found = _targets(parsed[expected["file"]])
        for checked in expected["targets"]:
            tally.checked += 1
            match = next(
                (t for t in found if checked["text"] in t.text or t.text in checked["text"]), None
            )
            if match is None:
                tally.missed.append((expected["file"], checked["text"]))
                continue
            tally.taken_where_checked += 1
            if wrong := _differences(match, checked):
                tally.wrong.append((expected["file"], checked["text"], wrong))
            else:
                tally.right += 1
    return tally


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_plan_gives_its_sections(parsed, expected):
    assert [s.title for s in parsed[expected["file"]].sections] == expected["sections"]


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_no_look_back_figure_or_name_becomes_a_target(parsed, expected):
    taken = [
        (span, t.text)
        for t in _targets(parsed[expected["file"]])
        for span in expected["not_targets"]
        if t.text in span or span in t.text
    ]
    assert taken == []


def test_the_checked_targets_come_out_right(parsed, capsys):
    tally = _tally(parsed)
    recall = tally.right / tally.checked
    precision = tally.right / tally.taken_where_checked
    with capsys.disabled():
        print(
            f"\ncorpus: {len(EXPECTED)} plans, {tally.checked} checked targets: "
            f"{tally.right} right (recall {recall:.0%}), {len(tally.wrong)} with a wrong field, "
            f"{len(tally.missed)} missed; precision where checked {precision:.0%}"
        )
        for file, text, wrong in tally.wrong:
            print(f"  wrong  {file}: {text} {wrong}")
        for file, text in tally.missed:
            print(f"  missed {file}: {text}")
    assert recall >= RIGHT_AT_LEAST
