"""Pure helpers for reports: tracking codes, coordinates and distances (no app needed)."""

import math
import re
import secrets
from dataclasses import dataclass

# No 0/O, 1/I/L or U/V: a code read aloud over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
_CODE_RE = re.compile(rf"^([A-Z]{{2,5}})([{CODE_ALPHABET}]{{4}})([{CODE_ALPHABET}]{{2}})$")
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE_LAT = 111_320


def new_tracking_code(prefix: str) -> str:
    """A short, unguessable code such as ``EDQ-7K3M-2P`` (29⁶ ≈ 600 million per prefix)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def normalise_code(text: str | None) -> str | None:
    """The canonical form of a code as someone typed it (any case, spaces or dashes), or None."""
    compact = re.sub(r"[\s\-_·.]", "", (text or "").upper())
    match = _CODE_RE.match(compact)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


@dataclass(frozen=True)
class Bounds:
    """A latitude/longitude box (WGS84 degrees): the district a report must lie in."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lng: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lng <= self.east


def parse_coordinate(text: str | None) -> float | None:
    """A decimal degree from a form field ("43.87", "43,87", " 125.3 "), or None if not one."""
    cleaned = (text or "").strip().replace(",", ".").replace("°", "")
    if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{1,12})?", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box_around(lat: float, lng: float, radius_m: float) -> Bounds:
    """The smallest latitude/longitude box holding every point within ``radius_m``."""
    d_lat = radius_m / METRES_PER_DEGREE_LAT
    d_lng = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return Bounds(lat - d_lat, lng - d_lng, lat + d_lat, lng + d_lng)
