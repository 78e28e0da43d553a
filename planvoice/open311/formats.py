"""The two formats of GeoReport v2: JSON, and XML with the specification's element names.

Views build plain data (dicts, lists, strings, numbers, booleans, None); ``respond`` writes it
in the format the URL asks for. In XML each list is an element holding one element per item,
named as the specification names it (``<services><service>…``), and None is an empty element.
"""

import re
from xml.etree import ElementTree

from flask import Response, current_app

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def respond(data, fmt: str, *, root: str, status: int = 200) -> Response:
    """``data`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = current_app.json.dumps(data)
    return Response(body, status, content_type=CONTENT_TYPES[fmt])


def to_xml(root: str, data) -> str:
    element = ElementTree.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ElementTree.tostring(element, encoding="unicode")


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(ElementTree.SubElement(element, name), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, XML_ITEMS[element.tag]), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML_RE.sub("", str(value))
