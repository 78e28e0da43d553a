"""A measure page and the report form stay light for phones on slow networks: HTML + CSS + JS
under 40 KB gzipped, and nothing fetched from another host (no CDN, no web fonts)."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.plans.models import Measure

BUDGET_BYTES = 40 * 1024
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


class Resources(HTMLParser):
    """Collects linked stylesheets and scripts, and every URL-valued attribute."""

    def __init__(self):
        super().__init__()
        self.linked = []
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value:
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.linked.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.linked.append(attrs["src"])


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "mailto", "tel", "data")


def gzipped_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def test_measure_page_with_its_css_and_js_weighs_under_40_kb_gzipped(client, plan):
    measure_id = db.session.scalar(select(Measure.id).where(Measure.title == "“绣花功夫”管理城市"))
    assert_light(client, f"/measures/{measure_id}")


def test_the_report_form_with_its_css_and_js_weighs_under_40_kb_gzipped(client, plan):
    load_reference_data()
    db.session.commit()
    assert_light(client, "/reports/new")


def assert_light(client, page_url: str) -> None:
    """The page, its stylesheets and scripts weigh under the budget; nothing comes from
    another host."""
    response = client.get(page_url)
    assert response.status_code == 200
    parser = Resources()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    assert parser.linked, "the page links no stylesheet at all?"

    sizes = {page_url: gzipped_size(response.data)}
    external = [url for url in parser.urls if is_external(url)]
    for url in parser.linked:
        if is_external(url):
            continue
        linked = client.get(url)
        assert linked.status_code == 200, url
        sizes[url] = gzipped_size(linked.data)
        if url.split("?")[0].endswith(".css"):
            css = linked.get_data(as_text=True)
            assert "@font-face" not in css, f"{url} declares a web font"
            for match in CSS_URL.finditer(css):
                reference = match.group(1) or match.group(2)
                if is_external(reference):
                    external.append(f"{reference} (in {url})")
        linked.close()

    assert not external, f"external URLs referenced: {external}"
    total = sum(sizes.values())
    assert total < BUDGET_BYTES, f"{total} bytes gzipped > {BUDGET_BYTES}: {sizes}"
