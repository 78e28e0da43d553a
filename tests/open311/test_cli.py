"""An operator issues, lists and revokes client apps' keys from the command line."""

import re

import pytest
from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.open311.models import ApiKey
from planvoice.open311.services import authenticate

ISSUED_RE = re.compile(r"^Issued key (\d+) for ")


def _keys(runner, *args):
    return runner.invoke(args=["open311", "keys", *args])


def _create(runner, name: str = "Some App") -> tuple[int, str]:
    """Issue a key; its id and the key as printed."""
    result = _keys(runner, "create", name)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    return int(ISSUED_RE.match(lines[0]).group(1)), lines[-1]


def _key_count() -> int:
    return db.session.scalar(select(func.count(ApiKey.id)))


def test_create_prints_a_key_that_files_reports(runner):
    result = _keys(runner, "create", "Some App")
    assert result.exit_code == 0, result.output
    assert "it is not shown again" in result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("pv311_")
    db.session.expire_all()
    assert authenticate(key).name == "Some App"


def test_list_shows_each_key_without_the_key_itself(runner):
    key_id, key = _create(runner, "Some App")
    _create(runner, "Other App")
    result = _keys(runner, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{key_id}\tSome App\t{key[:12]}…\tissued ")
    assert "never used" in lines[0] and lines[0].endswith("active")
    assert key not in result.output


def test_revoke_stops_the_key(runner):
    key_id, key = _create(runner)
    result = _keys(runner, "revoke", str(key_id))
    assert result.exit_code == 0, result.output
    assert f"Revoked key {key_id} (Some App)." in result.output
    db.session.expire_all()
    assert authenticate(key) is None
    assert "\trevoked " in _keys(runner, "list").output


def test_revoking_an_unknown_key_fails(runner):
    result = _keys(runner, "revoke", "999")
    assert result.exit_code == 1
    assert "There is no key 999." in result.output


def test_revoking_a_key_twice_fails(runner):
    key_id, _key = _create(runner)
    assert _keys(runner, "revoke", str(key_id)).exit_code == 0
    result = _keys(runner, "revoke", str(key_id))
    assert result.exit_code == 1
    assert f"Key {key_id} (Some App) was already revoked." in result.output


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_create_needs_a_name_of_1_to_80_characters(runner, name):
    result = _keys(runner, "create", name)
    assert result.exit_code == 2
    assert "give the app a name of 1 to 80 characters" in result.output
    assert _key_count() == 0
