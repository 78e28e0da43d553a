"""A client app discovers the endpoint and reads the services (report categories) it offers."""

import pytest

SPEC_SERVICE_ELEMENTS = [
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_this_endpoint(open311, live_server, reference_data, fmt):
    reply = open311.get(f"discovery.{fmt}")

    assert reply.status == 200
    if fmt == "json":
        found = reply.json()
        endpoint = found["endpoints"][0]
        assert found["contact"] and found["key_service"] and found["changeset"]
    else:
        root = reply.xml()
        assert root.tag == "discovery"
        assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
        element = root.find("endpoints/endpoint")
        endpoint = {child.tag: child.text for child in element} | {
            "formats": [f.text for f in element.findall("formats/format")]
        }
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"{live_server}/open311/v2"
    assert endpoint["type"] == "production"
    assert sorted(endpoint["formats"]) == ["application/json", "text/xml"]


def test_services_are_the_report_categories_in_the_readers_language(open311, reference_data):
    chinese = open311.get("services.json", language="zh-CN").json()
    english = open311.get("services.json", {"locale": "en_US"}).json()

    assert [s["service_code"] for s in chinese][:3] == ["bare_ground", "pocket_park", "dust"]
    assert [s["service_code"] for s in english] == [s["service_code"] for s in chinese]
    bare_zh, bare_en = chinese[0], english[0]
    assert bare_zh["service_name"] == "裸露地面"
    assert bare_zh["description"] == "没有绿化或硬化的黄土地面,刮风起土。"
    assert bare_zh["group"] == "区城市管理执法局"
    assert bare_en["service_name"] == "Bare ground"
    assert bare_en["group"] == "Urban Management and Law Enforcement Bureau"
    assert bare_en["metadata"] is True and bare_en["type"] == "realtime"
    assert "裸露地面" in bare_en["keywords"] and "Bare ground" in bare_en["keywords"]


def test_the_locale_parameter_wins_over_accept_language(open311, reference_data):
    services = open311.get("services.json", {"locale": "zh_CN"}, language="en").json()

    assert services[0]["service_name"] == "裸露地面"


def test_services_in_xml_use_the_specifications_elements(open311, reference_data):
    root = open311.get("services.xml", {"locale": "en"}).xml()

    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == SPEC_SERVICE_ELEMENTS
    assert first.findtext("service_name") == "Bare ground"
    assert first.findtext("metadata") == "true"


def test_a_retired_category_is_no_longer_offered(open311, reference_data, app):
    from planvoice.core.extensions import db
    from planvoice.reports.queries import get_category

    get_category("dust").is_active = False
    db.session.commit()

    codes = [s["service_code"] for s in open311.get("services.json").json()]
    assert "dust" not in codes and "bare_ground" in codes
    assert open311.get("services/dust.json").status == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_offers_the_areas_as_a_list(open311, reference_data, fmt):
    reply = open311.get(f"services/bare_ground.{fmt}", {"locale": "en"})

    assert reply.status == 200
    if fmt == "json":
        definition = reply.json()
        assert definition["service_code"] == "bare_ground"
        (attribute,) = definition["attributes"]
        values = {v["key"]: v["name"] for v in attribute.pop("values")}
    else:
        root = reply.xml()
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == "bare_ground"
        (element,) = root.findall("attributes/attribute")
        values = {v.findtext("key"): v.findtext("name") for v in element.findall("values/value")}
        attribute = {child.tag: child.text for child in element if child.tag != "values"}
        assert list(attribute) == [
            "variable", "code", "datatype", "required", "datatype_description", "order",
            "description",
        ]  # fmt: skip
        attribute = {
            k: {"true": True, "false": False, "1": 1}.get(v, v) for k, v in attribute.items()
        }
    assert attribute["code"] == "area"
    assert attribute["datatype"] == "singlevaluelist"
    assert attribute["variable"] is True and attribute["required"] is False
    assert attribute["order"] == 1
    assert attribute["description"] == "Street or town, community"
    assert values["dongsheng"] == "东盛街道" and values["sijia"] == "四家乡"
    assert len(values) == 11


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_specifications_shape(open311, reference_data, fmt):
    reply = open311.get(f"services/potholes.{fmt}", language="en")

    assert reply.status == 404
    if fmt == "json":
        assert reply.json() == [
            {"code": 404, "description": "There is no service with this service_code."}
        ]
    else:
        root = reply.xml()
        assert root.tag == "errors"
        assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
            ("404", "There is no service with this service_code.")
        ]


def test_an_unknown_resource_or_format_is_a_404_in_the_specifications_shape(open311, app):
    for path in ("services.csv", "nothing.xml"):
        reply = open311.get(path, language="en")
        assert reply.status == 404
        fmt_is_xml = path.endswith(".xml")
        errors = (
            [{"code": int(e.findtext("code"))} for e in reply.xml()] if fmt_is_xml else reply.json()
        )
        assert errors[0]["code"] == 404
