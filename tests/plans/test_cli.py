"""`flask plan import`: the command an administrator runs."""

import json

from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.models import Measure, Plan


def _plan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Plan))


def test_dry_run_prints_the_parsed_plan_as_json_and_writes_nothing(runner):
    result = runner.invoke(args=["plan", "import", str(BUNDLED_PLAN), "--dry-run", "--json"])

    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert list(parsed) == ["title", "published", "source", "intro", "sections"]
    assert parsed["published"] == "2021-09-30"
    section = parsed["sections"][3]
    assert list(section) == ["number", "title", "measures"]
    measure = section["measures"][0]
    assert list(measure) == ["key", "group", "title", "text", "targets"]
    assert measure["group"] == "向深化改革要红利" and measure["title"] == "推进经济改革攻坚"
    targets = [t for s in parsed["sections"] for m in s["measures"] for t in m["targets"]]
    assert list(targets[0]) == ["text", "value", "unit", "subject", "comparator", "deadline"]
    assert _plan_count() == 0


def test_import_reports_what_it_added_and_then_that_nothing_changed(runner):
    first = runner.invoke(args=["plan", "import"])
    assert first.exit_code == 0, first.output
    assert "30" in first.output and "“绣花功夫”管理城市" in first.output

    second = runner.invoke(args=["plan", "import"])
    assert second.exit_code == 0
    assert "“erdao-2021”" in second.output and "+" not in second.output
    assert db.session.scalar(select(func.count()).select_from(Measure)) == 30


def test_an_edited_file_is_reported_as_changed(runner, tmp_path):
    runner.invoke(args=["plan", "import"])
    edited = tmp_path / "erdao-2021.txt"
    edited.write_text(
        BUNDLED_PLAN.read_text(encoding="utf-8").replace("10个“口袋公园”", "12个“口袋公园”"),
        encoding="gb18030",
    )

    result = runner.invoke(args=["plan", "import", str(edited)])

    assert result.exit_code == 0, result.output
    assert "~ “绣花功夫”管理城市" in result.output


def test_bad_files_get_a_clear_error_and_write_nothing(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    prose = tmp_path / "prose.txt"
    prose.write_text("这只是一段没有任何章节的文字,不是规划。", encoding="utf-8")

    for path in (empty, binary, prose, tmp_path / "missing.txt"):
        result = runner.invoke(args=["plan", "import", str(path)])
        assert result.exit_code == 1, (path, result.output)
        assert "Error:" in result.output and "Traceback" not in result.output
    assert _plan_count() == 0
