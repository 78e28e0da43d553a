"""Who may open or do what: every protected route × role × scope, allowed or refused.

Refused means 403 for someone signed in, and a redirect to sign-in for a guest. Allowed means
the page opens (200) or the action goes through (302 back to the page it came from)."""

import pytest
from flask import current_app
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import ReportPhoto
from tests.conftest import csrf_from
from tests.factories import CommentFactory, ReportFactory, UserFactory
from tests.reports.conftest import jpeg_bytes

ROLES = ["guest", "resident", "worker_here", "worker_elsewhere", "clerk_here", "clerk_elsewhere",
         "admin"]  # fmt: skip


@pytest.fixture
def world(plan):
    """Reference data, and one report in each state the routes act on, in Dongsheng."""
    load_reference_data()
    db.session.commit()
    areas = {a.code: a for a in db.session.scalars(select(Area))}
    bureaus = {b.code: b for b in db.session.scalars(select(Bureau))}
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    here = {"category": bare, "area": areas["dongsheng"]}
    routed = {"bureau": bureaus["urban_management"], "routed_at": utcnow()}
    published = ReportFactory(**here, published=True)
    return {
        "areas": areas,
        "bureaus": bureaus,
        "submitted": ReportFactory(**here),
        "published": published,
        "routed": ReportFactory(**here, status="routed", **routed),
        "accepted": ReportFactory(**here, status="accepted", **routed),
        "comment": CommentFactory(measure=bare.measure),
        "photo": _photo_of(published),
    }


def _photo_of(report) -> ReportPhoto:
    processed = photo_files.process_photo(jpeg_bytes((400, 300)), "door.jpg")
    path, thumbnail = photo_files.store_photo(processed, current_app.config["UPLOAD_FOLDER"])
    photo = ReportPhoto(report_id=report.id, position=1, path=path, thumbnail_path=thumbnail,
                        width=processed.width, height=processed.height)  # fmt: skip
    db.session.add(photo)
    db.session.commit()
    return photo


def _user(role, world):
    areas, bureaus = world["areas"], world["bureaus"]
    return {
        "resident": lambda: UserFactory(),
        "worker_here": lambda: UserFactory(moderator=True, areas=[areas["dongsheng"]]),
        "worker_elsewhere": lambda: UserFactory(moderator=True, areas=[areas["jilin"]]),
        "clerk_here": lambda: UserFactory(bureau_staff=True, bureau=bureaus["urban_management"]),
        "clerk_elsewhere": lambda: UserFactory(bureau_staff=True, bureau=bureaus["housing"]),
        "admin": lambda: UserFactory(admin=True),
    }[role]()


# (method, url built from the world, data (or data built from the world), the roles allowed)
ROUTES = {
    "moderation queue": ("GET", lambda w: "/moderation", {},
                         {"worker_here", "worker_elsewhere", "admin"}),
    "publish a report": ("POST", lambda w: f"/moderation/reports/{w['submitted'].code}/publish",
                         {}, {"worker_here", "admin"}),
    "reject a report": ("POST", lambda w: f"/moderation/reports/{w['submitted'].code}/reject",
                        {"reason": "重复"}, {"worker_here", "admin"}),
    "route a report": ("POST", lambda w: f"/moderation/reports/{w['published'].code}/route",
                       {"bureau": "housing"}, {"worker_here", "admin"}),
    "publish a comment": ("POST", lambda w: f"/moderation/comments/{w['comment'].id}/publish",
                          {}, {"worker_here", "worker_elsewhere", "admin"}),
    "prepared reasons": ("GET", lambda w: "/moderation/reasons", {},
                         {"worker_here", "worker_elsewhere", "admin"}),
    "mark a duplicate": ("POST", lambda w: f"/moderation/reports/{w['submitted'].code}/duplicate",
                         lambda w: {"original": w["published"].code}, {"worker_here", "admin"}),
    "redact the text": ("POST", lambda w: f"/moderation/reports/{w['published'].code}/redact",
                        {"description": "门口堆满垃圾。"}, {"worker_here", "admin"}),
    "redact a photo": ("POST", lambda w: f"/moderation/reports/{w['published'].code}/photos/"
                       f"{w['photo'].id}/redact", {"whole": "y"}, {"worker_here", "admin"}),
    "remove a photo link": ("POST", lambda w: f"/moderation/reports/{w['published'].code}/"
                            "media-link/remove", {}, {"worker_here", "admin"}),
    "note on a report": ("POST", lambda w: f"/moderation/reports/{w['published'].code}/notes",
                         {"body": "已电话联系"}, {"worker_here", "admin"}),
    "bureau's note": ("POST", lambda w: f"/bureau/reports/{w['routed'].code}/notes",
                      {"body": "下周派人"}, {"clerk_here"}),
    "administration": ("GET", lambda w: "/admin", {}, {"admin"}),
    "bureaus": ("GET", lambda w: "/admin/bureaus", {}, {"admin"}),
    "add a bureau": ("POST", lambda w: "/admin/bureaus",
                     {"code": "water", "name": "区水利局", "name_en": "Water Bureau"}, {"admin"}),
    "categories": ("GET", lambda w: "/admin/categories", {}, {"admin"}),
    "areas": ("GET", lambda w: "/admin/areas", {}, {"admin"}),
    "routing rules": ("GET", lambda w: "/admin/rules", {}, {"admin"}),
    "users and roles": ("GET", lambda w: "/admin/users", {}, {"admin"}),
    "time limits": ("GET", lambda w: "/admin/time-limits", {}, {"admin"}),
    "failed e-mails": ("GET", lambda w: "/admin/emails", {}, {"admin"}),
    "audit log": ("GET", lambda w: "/admin/audit", {}, {"admin"}),
    "bureau inbox": ("GET", lambda w: "/bureau", {}, {"clerk_here", "clerk_elsewhere"}),
    "accept a report": ("POST", lambda w: f"/bureau/reports/{w['routed'].code}/accept", {},
                        {"clerk_here"}),
    "return a report": ("POST", lambda w: f"/bureau/reports/{w['routed'].code}/return",
                        {"body": "不归本局"}, {"clerk_here"}),
    "reply to a report": ("POST", lambda w: f"/bureau/reports/{w['accepted'].code}/reply",
                          {"body": "已安排"}, {"clerk_here"}),
    "resolve a report": ("POST", lambda w: f"/bureau/reports/{w['accepted'].code}/resolve",
                         {"body": "已处理"}, {"clerk_here"}),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_every_protected_route_allows_exactly_its_roles(client, sign_in, world, route, role):
    method, url_of, data, allowed = ROUTES[route]
    if role != "guest":
        sign_in(_user(role, world))
    url = url_of(world)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_from(client, "/reports/new")
        data = data(world) if callable(data) else data
        response = client.post(url, data={"csrf_token": token, **data})
    if role in allowed:
        assert response.status_code == (200 if method == "GET" else 302), response.text[:300]
        if method == "POST":
            assert "/login" not in response.headers["Location"]
    elif role == "guest":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_a_reporters_contact_is_seen_only_by_the_workers_of_the_area_and_the_bureau(
    client, sign_in, world, role
):
    for name in ("submitted", "routed"):
        world[name].contact = "13800138000"
    db.session.commit()
    if role != "guest":
        sign_in(_user(role, world))
    seen = any(
        "13800138000" in client.get(url).text
        for url in ("/moderation", "/bureau", f"/reports/{world['routed'].code}",
                    f"/reports/{world['submitted'].code}", "/reports",
                    f"/api/v1/reports/{world['routed'].code}")
    )  # fmt: skip
    assert seen == (role in {"worker_here", "clerk_here", "admin"})
