"""Control and format characters (Unicode Cc and Cf) never name a person or a thing: they forge
e-mail headers, reverse names on screen and in CSV cells. Free text keeps its line feeds only.
The annuaire import applies the same rule (`core.validators`)."""

import pytest
from django import forms
from django.urls import reverse

from pilotis.accounts.forms import InviteMemberForm, LoginForm, TerritoryRoleForm
from pilotis.accounts.models import User
from pilotis.assessments.forms import AnswerForm
from pilotis.core.validators import first_forbidden_character, validate_multiline, validate_one_line
from pilotis.missions.forms import CatalogueEntryForm, DesignationForm, LetterForm, SendBackForm
from pilotis.territories.forms import SchoolFilterForm

HEADER_INJECTION = "Eve\r\nBcc: victime@example.org"
RIGHT_TO_LEFT_OVERRIDE = "Eve\u202eftp.exe"
BYTE_ORDER_MARK = "\ufeffEve"
ATTACKS = [HEADER_INJECTION, RIGHT_TO_LEFT_OVERRIDE, BYTE_ORDER_MARK]
MESSAGE = "Ce champ contient des caractères non autorisés."

ONE_LINE_FIELDS = [
    (InviteMemberForm, "first_name"),
    (InviteMemberForm, "last_name"),
    (TerritoryRoleForm, "first_name"),
    (TerritoryRoleForm, "last_name"),
    (DesignationForm, "first_name"),
    (DesignationForm, "last_name"),
    (CatalogueEntryForm, "text"),
    (LetterForm, "means_time"),
    (LetterForm, "means_room"),
    (LoginForm, "username"),
    (SchoolFilterForm, "q"),
]
MULTILINE_FIELDS = [
    (AnswerForm, "comment"),
    (SendBackForm, "comment"),
    (LetterForm, "means_equipment"),
    (LetterForm, "training"),
    (LetterForm, "free_text"),
]


def clean(form_class, name, value):
    return form_class.base_fields[name].clean(value)


@pytest.mark.parametrize("value", ATTACKS)
@pytest.mark.parametrize(("form_class", "name"), ONE_LINE_FIELDS)
def test_one_line_fields_refuse_control_and_format_characters(form_class, name, value):
    with pytest.raises(forms.ValidationError) as error:
        clean(form_class, name, value)
    assert MESSAGE in error.value.messages


@pytest.mark.parametrize("value", ["Eve\tMartin", "Eve\nMartin", "Eve\u200bMartin", "E\x85ve", "Eve\u2066"])
@pytest.mark.parametrize(("form_class", "name"), ONE_LINE_FIELDS[:2])
def test_tabs_newlines_and_other_invisible_characters_too(form_class, name, value):
    with pytest.raises(forms.ValidationError):
        clean(form_class, name, value)


@pytest.mark.parametrize(("form_class", "name"), ONE_LINE_FIELDS[:2])
def test_real_names_are_kept(form_class, name):
    for value in ["Anne-Laure", "N’Diaye", "Éloïse", "O'Brien", "Zoé\u00a0Dupont", "Đặng", "李"]:
        assert clean(form_class, name, value) == value


@pytest.mark.parametrize(("form_class", "name"), MULTILINE_FIELDS)
def test_free_text_keeps_its_line_feeds_only(form_class, name):
    # A browser sends a textarea's line ends as CR LF: kept as line feeds.
    assert clean(form_class, name, "Voté en CA.\r\nÀ suivre.") == "Voté en CA.\nÀ suivre."
    for value in [RIGHT_TO_LEFT_OVERRIDE, BYTE_ORDER_MARK, "a\rb", "a\x1b[2Jb", "a\tb"]:
        with pytest.raises(forms.ValidationError) as error:
            clean(form_class, name, value)
        assert MESSAGE in error.value.messages
    with pytest.raises(forms.ValidationError):
        clean(form_class, name, "a\x00b")


def test_the_rule():
    assert first_forbidden_character("Camille Martin") == -1
    assert first_forbidden_character("Camille\u202f!") == -1  # espace fine insécable: a space, not Cf
    assert first_forbidden_character(RIGHT_TO_LEFT_OVERRIDE) == 3
    assert first_forbidden_character("a\nb") == 1
    assert first_forbidden_character("a\nb", multiline=True) == -1
    validate_one_line("")
    validate_multiline("a\nb")


@pytest.mark.parametrize("value", ATTACKS)
def test_an_invitation_with_such_a_name_is_refused_and_nothing_stored(client_for, world, value):
    url = reverse("members:invite", args=[world.school_a.uai])
    response = client_for("chef_a").post(
        url, {"email": "eve@example.org", "first_name": value, "last_name": "Martin", "role": "membre"}
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not User.objects.filter(email="eve@example.org").exists()
