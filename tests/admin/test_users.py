"""An administrator gives people roles, within the rules every role's scope follows."""

import pytest

from planvoice.accounts.models import User
from planvoice.accounts.services import AccountError, change_role
from planvoice.bureaus.queries import get_bureau
from planvoice.core.extensions import db
from tests.admin.conftest import audit_actions
from tests.factories import UserFactory


def _reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_users_are_found_by_email_phone_or_name(client, signed_in_admin):
    UserFactory(email="wang@example.org", display_name="王小明")
    UserFactory(email="li@example.org", phone="13800138000", display_name="李")
    page = client.get("/admin/users?q=wang").text
    assert "wang@example.org" in page and "li@example.org" not in page
    assert "li@example.org" in client.get("/admin/users?q=138001").text
    assert "wang@example.org" in client.get("/admin/users?q=小明").text
    assert "No accounts match." in client.get("/admin/users?q=nobody%25").text


def test_a_resident_becomes_a_community_worker_of_two_areas(client, signed_in_admin, areas,
                                                            submit):  # fmt: skip
    resident = UserFactory()
    url = f"/admin/users/{resident.id}"
    chosen = [areas["dongsheng"].id, areas["rongguang"].id]
    response = submit(url, {"role": "moderator", "bureau_id": "", "area_ids": chosen})
    assert response.status_code == 302
    user = _reload(resident)
    assert user.role == "moderator"
    assert sorted(a.code for a in user.areas) == ["dongsheng", "rongguang"]
    assert audit_actions() == ["user.role"]


def test_a_community_worker_without_an_area_is_refused(client, signed_in_admin, areas, submit):
    resident = UserFactory()
    response = submit(f"/admin/users/{resident.id}", {"role": "moderator", "bureau_id": ""})
    assert response.status_code == 422
    assert "A community worker serves at least one area" in response.text
    assert _reload(resident).role == "resident"
    assert audit_actions() == []


def test_bureau_staff_need_a_bureau(client, signed_in_admin, areas, submit):
    resident = UserFactory()
    url = f"/admin/users/{resident.id}"
    response = submit(url, {"role": "bureau", "bureau_id": ""})
    assert "Bureau staff need a bureau" in response.text
    assert _reload(resident).role == "resident"
    housing = get_bureau("housing")
    assert submit(url, {"role": "bureau", "bureau_id": str(housing.id)}).status_code == 302
    assert _reload(resident).bureau_id == housing.id


def test_the_last_administrator_cannot_demote_themselves(client, signed_in_admin, submit):
    response = submit(f"/admin/users/{signed_in_admin.id}", {"role": "resident"})
    assert response.status_code == 422
    assert "You cannot take away your own administrator role." in response.text
    assert _reload(signed_in_admin).role == "admin"


def test_the_last_administrator_cannot_be_demoted_by_anyone(app, signed_in_admin):
    other = UserFactory(admin=True)
    change_role(other, role="resident", bureau=None, areas=[], actor=signed_in_admin)
    with pytest.raises(AccountError, match="这是最后一位管理员"):
        change_role(signed_in_admin, role="resident", bureau=None, areas=[], actor=other)
    assert _reload(signed_in_admin).role == "admin"


def test_another_administrator_can_be_demoted(client, signed_in_admin, submit):
    other = UserFactory(admin=True)
    assert submit(f"/admin/users/{other.id}", {"role": "resident"}).status_code == 302
    assert _reload(other).role == "resident"


def test_the_list_of_users_costs_the_same_few_queries_however_long(
    client, signed_in_admin, areas, count_queries
):
    def cost() -> int:
        with count_queries as counter:
            assert client.get("/admin/users").status_code == 200
        return counter.count

    UserFactory(moderator=True, areas=[areas["dongsheng"]])
    few = cost()
    for _ in range(10):
        UserFactory(moderator=True, areas=[areas["dongsheng"], areas["rongguang"]])
        UserFactory(bureau_staff=True, bureau=get_bureau("housing"))
    assert cost() == few
