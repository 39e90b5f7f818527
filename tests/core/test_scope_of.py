"""Whom `scope_of` gives a scope: an active, signed-in user only; anyone or anything else sees
nothing."""

from types import SimpleNamespace

from pilotis.core.scope import EMPTY_SCOPE, Scope, scope_of

FOLLOWS_LANDES = Scope(department_ids=frozenset({40}))


def person(**attributes):
    return SimpleNamespace(scope=FOLLOWS_LANDES, **attributes)


def test_an_active_signed_in_user_has_their_scope():
    assert scope_of(person(is_authenticated=True, is_active=True)) is FOLLOWS_LANDES


def test_nobody_an_anonymous_or_an_inactive_user_sees_nothing():
    assert scope_of(None) is EMPTY_SCOPE
    assert scope_of(person(is_authenticated=False, is_active=True)) is EMPTY_SCOPE
    assert scope_of(person(is_authenticated=True, is_active=False)) is EMPTY_SCOPE


def test_an_object_that_does_not_say_it_is_signed_in_sees_nothing():
    assert scope_of(person(is_active=True)) is EMPTY_SCOPE
