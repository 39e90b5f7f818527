"""InstanceChoiceField: a choice among instances already in memory, rendered by Django's Select."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotis.core.forms import InstanceChoiceField, PilotisForm
from tests.factories import DepartmentFactory


class DepartmentForm(PilotisForm):
    department = InstanceChoiceField(label="Département", required=False, empty_label="Tous")

    def __init__(self, data=None, *, departments):
        super().__init__(data)
        self.fields["department"].instances = departments


class RequiredForm(PilotisForm):
    department = InstanceChoiceField(label="Département", empty_label="Choisir")

    def __init__(self, data=None, *, departments):
        super().__init__(data)
        self.fields["department"].instances = departments


@pytest.fixture
def departments(db):
    return [DepartmentFactory(code="40", name="Landes"), DepartmentFactory(code="64", name="Pyrénées-Atlantiques")]


def test_cleans_to_the_instance_without_a_query(departments):
    form = DepartmentForm({"department": str(departments[1].pk)}, departments=departments)
    with CaptureQueriesContext(connection) as queries:
        assert form.is_valid()
        html = str(form["department"].as_field_group())
    assert form.cleaned_data["department"] is departments[1]
    assert len(queries) == 0
    assert f'<option value="{departments[1].pk}" selected>' in html


def test_an_empty_value_is_none_and_a_value_outside_the_list_is_refused(departments):
    other = DepartmentFactory(code="33", name="Gironde")
    empty = DepartmentForm({"department": ""}, departments=departments)
    assert empty.is_valid()
    assert empty.cleaned_data["department"] is None
    for value in (str(other.pk), "abc", "0"):
        form = DepartmentForm({"department": value}, departments=departments)
        assert not form.is_valid()
        assert "Sélectionnez un choix valide" in str(form.errors["department"])
    required = RequiredForm({"department": ""}, departments=departments)
    assert not required.is_valid()
    assert "department" in required.errors


def test_renders_the_same_options_as_django_select(departments):
    """Same markup as Django's own select (whitespace aside), escaping included."""
    departments.append(DepartmentFactory(code="2A", name="Côte-d'<Or>"))
    ours = DepartmentForm({"department": str(departments[0].pk)}, departments=departments)
    theirs = forms.Select(choices=[("", "Tous"), *((str(d.pk), str(d)) for d in departments)])
    expected = theirs.render("department", str(departments[0].pk), attrs={"class": "fr-select", "id": "id_department"})
    rendered = ours["department"].as_widget()

    def squeeze(html):
        return "".join(html.split())

    assert squeeze(rendered) == squeeze(expected)
    assert "&lt;Or&gt;" in rendered and "<Or>" not in rendered


def test_the_empty_label_can_change_after_construction(departments):
    form = DepartmentForm(departments=departments)
    form.fields["department"].empty_label = "Tout le territoire"
    assert '<option value="" selected>Tout le territoire</option>' in form["department"].as_widget()
    assert [d.pk for d in form.fields["department"].instances] == [d.pk for d in departments]
