"""Comment text is plain text: escaped first, then http(s) links made clickable."""

import pytest

from planvoice.feedback.views import linkify


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("见 https://example.com/a。", '见 <a href="https://example.com/a" rel="nofollow ugc">https://example.com/a</a>。'),
        ("(http://a.cn/x).", '(<a href="http://a.cn/x" rel="nofollow ugc">http://a.cn/x</a>).'),
        ("line one\nline two", "line one<br>\nline two"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("ftp://example.com", "ftp://example.com"),
        ("https://", "https://"),
    ],
)  # fmt: skip
def test_text_becomes_safe_html(text, html):
    assert str(linkify(text)) == html


@pytest.mark.parametrize(
    "hostile",
    [
        'https://x.com/"onmouseover="alert(1)',
        "https://x.com/'onmouseover='alert(1)",
        "https://x.com/<script>alert(1)</script>",
        'https://x.com/"><img src=x onerror=alert(1)>',
        "https://x.com/&quot;onmouseover=alert(1)",
    ],
)
def test_hostile_links_cannot_break_out_of_the_attribute(hostile):
    html = str(linkify(hostile))
    assert html.count('"') == 4  # the href's two quotes and rel's two
    assert "<script" not in html and "<img" not in html
    assert html.startswith('<a href="https://x.com/')
