"""``flask targets progress``: an entry from the command line, or a clear refusal."""

from flask_babel import force_locale
from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.progress.models import ProgressEntry


def entries() -> int:
    return db.session.scalar(select(func.count(ProgressEntry.id)))


def run(runner, *args):
    # Commands speak the default language (Chinese); these tests read the English.
    with force_locale("en"):
        return runner.invoke(args=["targets", "progress", *map(str, args)])


def test_an_entry_is_recorded_by_the_first_administrator(runner, owned_parks, admin):
    result = run(
        runner, owned_parks.id, "--value", "3", "--date", "2024-06-01", "--note", "三个建成",
        "--bureau", "urban_management",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Recorded entry #1 on target" in result.output and ": 3 on 2024-06-01" in result.output
    assert "The target is now: overdue." in result.output  # its deadline, 2025, has passed
    entry = db.session.scalar(select(ProgressEntry))
    assert (entry.author_id, entry.note, entry.bureau.code) == (
        admin.id,
        "三个建成",
        "urban_management",
    )


def test_a_clerk_given_as_author_records_on_their_bureaus_target(runner, owned_parks, clerk):
    result = run(
        runner, owned_parks.id, "--value", "2", "--date", "2023-01-01", "--note", "",
        "--author", clerk.email,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(ProgressEntry.author_id)) == clerk.id


def test_bad_input_exits_with_1_and_writes_nothing(runner, owned_parks, admin, other_clerk):
    cases = [
        ((99999, "--value", "1", "--date", "2024-01-01"), "There is no target 99999"),
        ((owned_parks.id, "--value", "x", "--date", "2024-01-01"), "must be a number"),
        ((owned_parks.id, "--value", "1", "--date", "2024-13-01"), "YYYY-MM-DD"),
        ((owned_parks.id, "--value", "1", "--date", "2099-01-01"), "future"),
        ((owned_parks.id, "--value", "1", "--date", "2024-01-01", "--bureau", "nope"), "no bureau"),
        (
            (owned_parks.id, "--value", "1", "--date", "2024-01-01", "--author", other_clerk.email),
            "may not record progress",
        ),
    ]
    for args, message in cases:
        result = run(runner, *args, "--note", "")
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Nothing was recorded" in result.output
    assert entries() == 0
