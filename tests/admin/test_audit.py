"""An administrator reads the audit log, narrowed to what they are looking for."""

from datetime import UTC, datetime

from planvoice.bureaus.queries import get_bureau
from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.reports.queries import get_category
from tests.factories import ReportFactory, UserFactory


def _event(action, subject, *, actor=None, when=None, note=None):
    event = record_event(action, subject, actor=actor, before={"status": "published"},
                         after={"status": "routed"}, note=note)  # fmt: skip
    if when is not None:
        event.created_at = when
    db.session.commit()
    return event


def _rows(client, query: str) -> str:
    return client.get(f"/admin/audit?{query}").text


def test_the_log_is_filtered_by_action_and_report_code(client, signed_in_admin, areas):
    worker = UserFactory(moderator=True, email="worker@example.org")
    bare = get_category("bare_ground")
    first = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    second = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    _event("report.route", first, actor=worker, note="请尽快处理")
    _event("report.reject", second, actor=worker)
    _event("bureau.update", get_bureau("housing"), actor=signed_in_admin)

    page = _rows(client, "action=report.route")
    assert first.code in page and second.code not in page and "请尽快处理" in page
    assert f'href="/reports/{first.code}"' in page
    page = _rows(client, f"subject={second.code.lower()}")
    assert second.code in page and first.code not in page
    page = _rows(client, f"report={first.code}")
    assert 'data-action="report.route"' in page and second.code not in page
    page = _rows(client, "actor=worker@example.org")
    assert first.code in page and second.code in page and "bureaus #" not in page
    page = _rows(client, "subject_type=bureaus")
    assert "bureau.update" in page and first.code not in page
    assert "Nothing matches these filters." in _rows(client, "actor=nobody@example.org")


def test_the_log_is_filtered_by_day_in_the_districts_time(client, signed_in_admin, areas):
    bureau = get_bureau("housing")
    # 2026-03-01 23:30 in Changchun is 15:30 UTC; 2026-03-02 00:30 there is 16:30 UTC.
    _event("bureau.update", bureau, when=datetime(2026, 3, 1, 15, 30, tzinfo=UTC), note="note-one")
    _event("bureau.update", bureau, when=datetime(2026, 3, 1, 16, 30, tzinfo=UTC), note="note-two")
    page = _rows(client, "date_from=2026-03-02")
    assert "note-two" in page and "note-one" not in page
    page = _rows(client, "date_to=2026-03-01")
    assert "note-one" in page and "note-two" not in page
    page = _rows(client, "date_from=2026-03-01&date_to=2026-03-02")
    assert "note-one" in page and "note-two" in page


def test_the_log_pages_backwards_keeping_the_filters(client, signed_in_admin, areas):
    bureau = get_bureau("housing")
    for n in range(51):
        _event("bureau.update", bureau, note=f"change-{n}.")
    _event("category.update", get_category("bare_ground"))
    page = _rows(client, "action=bureau.update")
    assert "change-50." in page and "change-0." not in page
    assert "action=bureau.update" in page and "before=" in page
    older = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    page = client.get(older).text
    assert "change-0." in page and "change-1." not in page and "Older entries" not in page


def test_every_admin_change_is_in_the_log(client, signed_in_admin, areas, submit):
    submit("/admin/bureaus", {"code": "water_affairs", "name": "区水利局"})
    submit("/admin/time-limits", {"accept_days": "2", "reply_days": "3", "resolve_days": "9"})
    page = client.get("/admin/audit").text
    assert "bureau.create" in page and "time_limits.update" in page
    assert "区水利局" in page and "管理员" in page


def test_every_action_and_subject_the_code_writes_has_words():
    from planvoice.core.audit import ACTION_LABELS, ACTIONS, SUBJECT_LABELS, SUBJECT_TYPES

    assert set(ACTION_LABELS) == set(ACTIONS) and set(SUBJECT_LABELS) == set(SUBJECT_TYPES)


def test_the_log_reads_in_plain_words_in_the_readers_language(client, signed_in_admin, areas):
    report = ReportFactory(category=get_category("bare_ground"), area=areas["dongsheng"],
                           published=True)  # fmt: skip
    record_event("report.route", report, actor=signed_in_admin,
                 before={"status": "published"},
                 after={"status": "routed", "bureau": "urban_management"})  # fmt: skip
    db.session.commit()

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = _rows(client, f"report={report.code}")
    assert "已转交部门" in page and "状态: 已发布 → 已转交部门" in page
    assert "部门: 区城市管理执法局" in page
    assert '{"' not in page and "{&#34;" not in page and ">report.route" not in page
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = _rows(client, f"report={report.code}")
    assert "status: published → sent to a bureau" in page
    assert "bureau: Urban Management and Law Enforcement Bureau" in page
