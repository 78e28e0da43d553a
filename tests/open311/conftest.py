"""An Open311 client's view: the app served over HTTP with the district's reference data, and
a key issued to the client app."""

import json
from dataclasses import dataclass
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.open311.services import issue_key
from planvoice.reports.areas import Area


@pytest.fixture
def reference_data(plan):
    """The plan, areas, bureaus and report categories, committed; Dongsheng street has a box
    (made up for the tests) holding the point the requests give, so they are filed there."""
    load_reference_data()
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    dongsheng.south, dongsheng.west, dongsheng.north, dongsheng.east = 43.86, 125.34, 43.88, 125.36
    db.session.commit()


@pytest.fixture
def api_key(reference_data) -> str:
    """A key an administrator issued to a client app (the key itself, as the app holds it)."""
    _api_key, key = issue_key("城市服务 App")
    db.session.commit()
    return key


@dataclass
class Reply:
    status: int
    content_type: str
    text: str

    def json(self):
        assert self.content_type == "application/json; charset=utf-8", self.content_type
        return json.loads(self.text)

    def xml(self) -> ElementTree.Element:
        """The XML document, parsed (so well-formed), after its UTF-8 declaration."""
        assert self.content_type == "text/xml; charset=utf-8", self.content_type
        assert self.text.startswith('<?xml version="1.0" encoding="UTF-8"?>'), self.text[:60]
        return ElementTree.fromstring(self.text.encode())


class Open311Client:
    """A client app speaking HTTP to the served app, as any Open311 app would."""

    def __init__(self, base_url: str, *, language: str | None = None):
        self.base_url = base_url + "/open311/v2/"
        self.language = language

    def get(self, path: str, params: dict | None = None, *, language: str | None = None):
        url = self.base_url + path + ("?" + urlencode(params) if params else "")
        return self._send(Request(url, headers=self._headers(language)))

    def post(self, path: str, data: dict):
        body = urlencode(data).encode()
        headers = self._headers(None) | {"Content-Type": "application/x-www-form-urlencoded"}
        return self._send(Request(self.base_url + path, data=body, headers=headers))

    def _headers(self, language: str | None) -> dict:
        language = language or self.language
        return {"Accept-Language": language} if language else {}

    @staticmethod
    def _send(request: Request) -> Reply:
        try:
            with urlopen(request, timeout=10) as response:  # noqa: S310 -- loopback only
                return Reply(
                    response.status, response.headers["Content-Type"], response.read().decode()
                )
        except HTTPError as error:
            return Reply(error.code, error.headers["Content-Type"], error.read().decode())


@pytest.fixture
def open311(live_server) -> Open311Client:
    return Open311Client(live_server)
