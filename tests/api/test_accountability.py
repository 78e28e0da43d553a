"""The open data of accountability keeps its contract: the scorecard's rows and the targets
with their progress, with the keys other software reads."""

from datetime import date, timedelta

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Target
from planvoice.progress.services import record_progress
from tests.factories import UserFactory
from tests.performance.cases import at, make_case

ROW_KEYS = {
    "code", "name", "cases", "response_rate", "on_time_reply_rate", "on_time_resolution_rate",
    "resolution_rate", "satisfaction_rate", "reopen_rate", "median_days_to_accept",
    "median_days_to_reply", "median_days_to_resolve", "overdue_now", "n",
}  # fmt: skip
RATES = {key for key in ROW_KEYS if key.endswith("_rate")}
TARGET_KEYS = {
    "id", "measure", "subject", "value", "unit", "comparator", "deadline", "owner",
    "baseline", "latest", "state",
}  # fmt: skip
STATES = {"not_started", "on_track", "behind", "achieved", "overdue"}


def test_every_scorecard_row_has_every_figure_with_its_n(client, places):
    for _ in range(5):
        make_case(places, "urban_management", ("accepted", at(9, 25)), ("resolved", at(9, 28)),
                  ("closed", at(9, 29), "basically_satisfied", True))  # fmt: skip
    for group in ("bureau", "area"):
        document = client.get(f"/api/v1/performance?group={group}&window=2026-09").json
        assert {"window", "group", "rows"} <= set(document)
        for row in document["rows"]:
            assert ROW_KEYS <= set(row)
            assert set(row["n"]) == {"response", "reply", "resolution", "answers", "resolved"}
            for key in RATES:
                assert row[key] is None or 0 <= row[key] <= 1
    urban = next(
        r for r in client.get("/api/v1/performance?window=2026-09").json["rows"]
        if r["code"] == "urban_management"
    )  # fmt: skip
    assert urban["satisfaction_rate"] == 1.0 and urban["n"]["answers"] == 5


def test_a_target_lists_its_entries_and_corrections(client, plan):
    target = db.session.scalar(select(Target).where(Target.subject.contains("口袋公园")))
    admin = UserFactory(admin=True)
    first = record_progress(target, author=admin, on=date.today() - timedelta(days=9),
                            value=2, note="两处建成。")  # fmt: skip
    record_progress(target, author=admin, on=date.today() - timedelta(days=9), value=3,
                    note="更正:三处建成。", supersedes=first,
                    evidence_url="https://example.gov.cn/parks")  # fmt: skip
    db.session.commit()

    listed = client.get("/api/v1/targets").json["targets"]
    summary = next(t for t in listed if t["id"] == target.id)
    assert TARGET_KEYS <= set(summary) and summary["history_url"].endswith(f"/targets/{target.id}")
    assert summary["latest"]["value"] == 3 and summary["state"] in STATES

    detail = client.get(f"/api/v1/targets/{target.id}").json
    assert TARGET_KEYS <= set(detail) and detail["measure"] == target.measure_id
    assert detail["value"] == 10 and detail["deadline"] == 2025
    assert [(e["value"], e["supersedes"]) for e in detail["progress"]] == [(2, None), (3, first.id)]
    assert detail["progress"][1]["evidence_url"] == "https://example.gov.cn/parks"
    assert set(detail["progress"][0]) >= {"date", "value", "note", "evidence_url", "author",
                                          "supersedes"}  # fmt: skip
    assert client.get("/api/v1/targets/999999").status_code == 404
