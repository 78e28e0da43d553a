"""An administrator keeps the bureaus, categories, areas and routing rules up to date."""

from sqlalchemy import func, select

from planvoice.bureaus.models import Bureau
from planvoice.bureaus.queries import get_bureau, suggest_bureau
from planvoice.core.extensions import db
from planvoice.reports.areas import Area, Category, RoutingRule
from planvoice.reports.queries import get_area, get_category
from tests.admin.conftest import audit_actions
from tests.factories import ReportFactory


def _bureau_count() -> int:
    return db.session.scalar(select(func.count(Bureau.id)))


def test_a_new_bureau_can_be_chosen_when_routing(client, signed_in_admin, areas, submit):
    response = submit("/admin/bureaus", {"code": "water_affairs", "name": "区水利局",
                                         "name_en": "Water Affairs Bureau",
                                         "email": "water@example.gov.cn"})  # fmt: skip
    assert response.status_code == 302
    assert "区水利局" in client.get("/admin/bureaus").text
    report = ReportFactory(
        category=get_category("bare_ground"), area=areas["dongsheng"], published=True
    )
    assert 'value="water_affairs"' in client.get(f"/reports/{report.code}").text
    assert audit_actions() == ["bureau.create"]


def test_a_bad_bureau_code_is_refused_and_nothing_is_stored(client, signed_in_admin, submit):
    before = _bureau_count()
    response = submit("/admin/bureaus", {"code": "Water Affairs", "name": "区水利局"})
    assert response.status_code == 422
    assert "A code is 2 to 40 lowercase letters" in response.text
    response = submit("/admin/bureaus", {"code": "water", "name": "区水利局", "email": "nope"})
    assert "Enter a valid e-mail address" in response.text
    assert _bureau_count() == before
    assert audit_actions() == []


def test_a_bureau_code_is_unique_and_never_changes(client, signed_in_admin, areas, submit):
    response = submit("/admin/bureaus", {"code": "housing", "name": "重复"})
    assert "The code housing is already taken." in response.text
    bureau = get_bureau("housing")
    url = f"/admin/bureaus/{bureau.id}"
    response = submit(
        url, {"code": "hacked", "name": "区住建局", "name_en": "Housing", "email": ""}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert get_bureau("housing").name == "区住建局"
    assert get_bureau("hacked") is None
    assert audit_actions() == ["bureau.update"]


def test_an_administrator_adds_and_retires_a_category(client, signed_in_admin, areas, submit):
    housing = get_bureau("housing")
    response = submit("/admin/categories", {
        "code": "snow_clearing", "position": "30", "name_zh": "积雪清理", "name_en": "Snow",
        "hint_zh": "", "hint_en": "", "default_bureau_id": str(housing.id), "measure_id": "",
        "is_active": "y",
    })  # fmt: skip
    assert response.status_code == 302
    category = get_category("snow_clearing")
    assert category.default_bureau == housing and category.is_active
    url = f"/admin/categories/{category.id}"
    assert 'value="snow_clearing"' not in client.get(url).text  # the code is not a field
    response = submit(url, {"position": "30", "name_zh": "积雪清理", "name_en": "Snow clearing",
                            "default_bureau_id": str(housing.id), "measure_id": ""})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    category = get_category("snow_clearing")
    assert (category.name_en, category.is_active) == ("Snow clearing", False)
    assert "retired" in client.get("/admin/categories").text
    assert audit_actions() == ["category.create", "category.update"]


def test_a_category_without_names_is_refused(client, signed_in_admin, areas, submit):
    before = db.session.scalar(select(func.count(Category.id)))
    response = submit("/admin/categories", {"code": "snow", "position": "x", "name_zh": ""})
    assert response.status_code == 422
    assert "Give the Chinese name." in response.text
    assert db.session.scalar(select(func.count(Category.id))) == before


def test_a_community_is_added_under_its_street_and_renamed(client, signed_in_admin, areas,
                                                           submit):  # fmt: skip
    street = areas["dongsheng"]
    response = submit("/admin/areas", {"parent": str(street.id), "code": "xinyuan",
                                       "name": "新苑社区"})  # fmt: skip
    assert response.status_code == 302
    community = get_area("xinyuan")
    assert (community.kind, community.parent_id) == ("community", street.id)
    assert "新苑社区" in client.get("/admin/areas").text
    response = submit(f"/admin/areas/{community.id}", {"name": "新苑新村社区"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_area("xinyuan").name == "新苑新村社区"
    assert audit_actions() == ["area.create", "area.update"]


def test_a_community_cannot_hold_another_community(client, signed_in_admin, areas, submit):
    community = Area(code="xinyuan", name="新苑社区", kind="community", parent=areas["dongsheng"])
    db.session.add(community)
    db.session.commit()
    before = db.session.scalar(select(func.count(Area.id)))
    response = submit("/admin/areas", {"parent": str(community.id), "code": "inner",
                                       "name": "内"})  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Area.id))) == before


def test_a_routing_rule_changes_the_suggested_bureau(client, signed_in_admin, areas, submit):
    bare = get_category("bare_ground")
    report = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    assert suggest_bureau(report) == bare.default_bureau
    housing = get_bureau("housing")
    data = {"category": str(bare.id), "area": str(areas["dongsheng"].id),
            "bureau": str(housing.id)}  # fmt: skip
    assert submit("/admin/rules", data).status_code == 302
    db.session.expire_all()
    assert suggest_bureau(db.session.merge(report)) == get_bureau("housing")
    page = client.get("/admin/rules").text
    assert housing.name_en in page
    response = submit("/admin/rules", data)
    assert "There is already a rule for this category and area" in response.text
    rule = db.session.scalar(select(RoutingRule))
    assert submit(f"/admin/rules/{rule.id}/delete", form_page="/admin/rules").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 0
    assert audit_actions() == ["routing_rule.create", "routing_rule.delete"]


def test_deleting_a_rule_needs_the_form_token(client, signed_in_admin, areas):
    rule = RoutingRule(category_id=get_category("bare_ground").id,
                       area_id=areas["dongsheng"].id, bureau=get_bureau("housing"))  # fmt: skip
    db.session.add(rule)
    db.session.commit()
    assert client.post(f"/admin/rules/{rule.id}/delete").status_code == 400
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 1


def test_an_administrator_places_a_street_and_point_reports_go_there(
    client, signed_in_admin, areas, submit
):
    from planvoice.reports.services import submit_report

    street = areas["dongsheng"]
    box = {"south": "43.86", "west": "125.34", "north": "43.88", "east": "125.36"}
    for bad, message in (
        ({**box, "east": ""}, "Give all four edges, or none."),
        ({**box, "north": "43.80"}, "South must be below north"),
        ({**box, "south": "40.0"}, "The box must lie inside the district."),
        ({**box, "west": "east"}, "Not a valid float value."),
    ):
        response = submit(f"/admin/areas/{street.id}", {"name": street.name, **bad})
        assert response.status_code == 422 and message in response.text, bad
        db.session.expire_all()
        assert get_area("dongsheng").box is None
    assert submit(f"/admin/areas/{street.id}", {"name": street.name, **box}).status_code == 302
    db.session.expire_all()
    assert get_area("dongsheng").box == (43.86, 125.34, 43.88, 125.36)
    assert audit_actions() == ["area.update"]

    report = submit_report(
        category=get_category("dust"),
        description="路口扬尘严重,请洒水。",
        point=(43.87, 125.35),
        submission_token="t",
        author_key="guest:x",
    )
    assert report.area_id == street.id
