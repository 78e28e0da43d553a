"""`flask users create`."""

from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data


def test_create_a_moderator_serving_two_streets(runner):
    load_reference_data()
    db.session.commit()
    result = runner.invoke(
        args=["users", "create", "--email", "w@example.org", "--password", "long enough pw",
              "--role", "moderator", "--area", "dongsheng", "--area", "rongguang"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.role == "moderator"
    assert [a.name for a in user.areas] == ["东盛街道", "荣光街道"]


def test_create_bureau_staff_with_email_and_phone(runner):
    load_reference_data()
    db.session.commit()
    result = runner.invoke(
        args=["users", "create", "--email", "b@example.org", "--phone", "13900001111",
              "--password", "long enough pw", "--role", "bureau", "--bureau", "housing"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.phone, user.bureau.name) == ("13900001111", "区住房和城乡建设局")


def test_bad_options_are_refused_and_nothing_is_created(runner):
    load_reference_data()
    db.session.commit()
    for args in (
        ["--password", "x" * 10],
        ["--email", "a@example.org", "--password", "x" * 10, "--role", "bureau"],
        ["--email", "a@example.org", "--password", "x" * 10, "--area", "atlantis"],
        ["--email", "not-an-address", "--password", "x" * 10],
        ["--email", "a@example.org", "--password", "x" * 10, "--role", "king"],
    ):
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0, args
    assert db.session.scalar(select(User)) is None
