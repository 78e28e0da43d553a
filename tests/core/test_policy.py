"""Who may do what, decided in one place."""

from types import SimpleNamespace

import pytest

from planvoice.core import policy


def person(role: str | None):
    if role is None:
        return SimpleNamespace(is_authenticated=False)
    return SimpleNamespace(is_authenticated=True, role=role)


@pytest.mark.parametrize(
    ("role", "moderates", "reads_audit_log"),
    [
        (None, False, False),
        ("resident", False, False),
        ("bureau", False, False),
        ("moderator", True, False),
        ("admin", True, True),
    ],
)
def test_roles_decide_moderation_and_the_audit_log(role, moderates, reads_audit_log):
    assert policy.can_moderate_comments(person(role)) is moderates
    assert policy.can_read_audit_log(person(role)) is reads_audit_log


def test_replies_go_one_level_deep_and_only_under_published_comments():
    assert policy.can_reply_to(SimpleNamespace(parent_id=None, status="published"))
    assert not policy.can_reply_to(SimpleNamespace(parent_id=7, status="published"))
    assert not policy.can_reply_to(SimpleNamespace(parent_id=None, status="pending"))


def test_anyone_but_the_author_may_flag_a_published_comment():
    comment = SimpleNamespace(status="published", author_key="guest:a")
    assert policy.can_flag_comment("guest:b", comment)
    assert not policy.can_flag_comment("guest:a", comment)
    assert not policy.can_flag_comment("guest:b", SimpleNamespace(status="hidden", author_key="x"))
