"""Helpers for the stories of residents reporting local problems."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from planvoice.core import storage
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Category

# A point in Dongsheng street, inside the district's box.
NEAR_DONGSHENG = ("43.8712", "125.3520")


@pytest.fixture
def categories(plan, no_rate_limits) -> dict[str, Category]:
    """The seeded categories (with areas and bureaus), by code."""
    load_reference_data()
    db.session.commit()
    return {c.code: c for c in db.session.scalars(select(Category))}


def jpeg_bytes(size=(1200, 900), colour="sienna", exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.save(buffer, "JPEG", **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def form_tokens(client, url="/reports/new") -> dict:
    """What a real browser sends with the report form: its CSRF and one-time tokens."""
    page = client.get(url).text
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
    }


def report_data(**fields) -> dict:
    data = {
        "category": "bare_ground",
        "description": "小区东门外的空地一直是黄土,一刮风就起尘。",
        "area": "dongsheng",
        "address": "东盛大街 100 号东门",
        "lat": NEAR_DONGSHENG[0],
        "lng": NEAR_DONGSHENG[1],
        "name": "王阿姨",
        "contact": "13800138000",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_report(client, *, photos=(), tokens=None, **fields):
    """Send the report form as a browser does; ``photos`` are ``(bytes, filename)`` pairs."""
    fields = MultiDict((tokens or form_tokens(client)) | report_data(**fields))
    for content, name in photos:
        fields.add("photos", FileStorage(io.BytesIO(content), filename=name))
    # Encoded in memory: the test client would spool a large body to an unclosed temp file.
    boundary, body = encode_multipart(fields)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post("/reports/new", data=body, content_type=content_type)


def stored_files(where) -> list:
    """The files kept in a folder (their paths) or in a store (``photo_storage``: their keys)."""
    if isinstance(where, storage.S3Storage):
        pages = where.client.get_paginator("list_objects_v2").paginate(Bucket=where.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
    if isinstance(where, storage.LocalStorage):
        return [path.relative_to(where.folder).as_posix() for path in stored_files(where.folder)]
    return sorted(p for p in where.rglob("*") if p.is_file()) if where.exists() else []
