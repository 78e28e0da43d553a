"""Tracking codes, coordinates and distances: plain functions, no app needed."""

import re

import pytest

from planvoice.reports.places import (
    Bounds,
    box_around,
    distance_m,
    new_tracking_code,
    normalise_code,
    parse_coordinate,
)


def test_tracking_codes_are_short_readable_and_different_each_time():
    codes = {new_tracking_code("EDQ") for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"EDQ-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{2}", code)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("EDQ-7K3M-2P", "EDQ-7K3M-2P"),
        ("edq 7k3m 2p", "EDQ-7K3M-2P"),
        (" EDQ7K3M2P ", "EDQ-7K3M-2P"),
        ("EDQ-7K3M-2O", None),  # O is never used: it reads like 0
        ("EDQ-7K3M", None),
        ("", None),
        (None, None),
    ],
)
def test_codes_are_understood_however_they_are_typed(typed, code):
    assert normalise_code(typed) == code


@pytest.mark.parametrize(
    "text, value",
    [("43.8712", 43.8712), (" 125,352 ", 125.352), ("-1", -1.0), ("43.8°", 43.8),
     ("north", None), ("1e5", None), ("nan", None), ("", None), ("43.87.1", None)],
)  # fmt: skip
def test_coordinates_are_parsed_from_what_people_type(text, value):
    assert parse_coordinate(text) == value


def test_distances_and_boxes_agree():
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert distance_m(43.871, 125.352, 43.872, 125.352) == pytest.approx(111.2, abs=0.5)
    box = box_around(43.871, 125.352, 300)
    assert box.contains(43.871, 125.352)
    # A point 299 m east lies inside the box; one 400 m east does not.
    east_299 = 125.352 + 299 / (111_320 * 0.7209)
    assert box.contains(43.871, east_299) and distance_m(43.871, 125.352, 43.871, east_299) < 300
    assert not box.contains(43.871, 125.352 + 400 / (111_320 * 0.7209))


def test_the_district_box_holds_erdao_and_not_beijing():
    erdao = Bounds(43.70, 125.30, 44.05, 125.80)
    assert erdao.contains(43.8712, 125.3520)
    assert not erdao.contains(39.9042, 116.4074)
