from django import forms
from django.db import connections, router
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from pilotis.core.validators import validate_multiline, validate_one_line

# The filters of a list (dashboards, network) that do not validate are ignored, and the page says
# so in its `notices` (shown by the layout for that response only).
INVALID_FILTERS = gettext_lazy("Certains filtres n'étaient pas valides : ils ont été ignorés.")


class PilotisFormMixin:
    """DSFR rendering; optional fields are marked (the DSFR's current advice), not required ones."""

    def get_context(self):
        # DsfrBaseForm.get_context warns on every render about a transitional setting;
        # we adopt its future behaviour directly.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def _clean_fields(self):
        # Django's loop, but an id that no column could hold (99999999999999999999999, 2**63) is
        # an invalid choice before its model choice field queries it (which raised OverflowError
        # on SQLite, DataError on PostgreSQL: a 500).
        for name, bf in self._bound_items():
            field = bf.field
            try:
                if isinstance(field, forms.ModelChoiceField) and (wrong := id_out_of_range(field, bf.data)):
                    raise forms.ValidationError(
                        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": wrong}
                    )
                self.cleaned_data[name] = field._clean_bound_field(bf)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)


def id_out_of_range(field: forms.ModelChoiceField, data) -> str:
    """The first submitted value that reads as an integer the column it is looked up in cannot
    hold, or "" (other values are left to the field, which refuses them as it always did)."""
    if field.queryset is None:
        return ""
    model = field.queryset.model
    column = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    ops = connections[router.db_for_read(model)].ops
    try:
        low, high = ops.integer_field_range(column.get_internal_type())
    except KeyError:  # not an integer column
        return ""
    values = data if isinstance(data, (list, tuple)) else [data]
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue
        if (low is not None and number < low) or (high is not None and number > high):
            return str(value)
    return ""


class PilotisForm(PilotisFormMixin, DsfrBaseForm):
    pass


def reject_control_characters(value: str, *, multiline: bool = False) -> str:
    """No control or format character reaches the database (the rule is `core.validators`)."""
    (validate_multiline if multiline else validate_one_line)(value)
    return value


class CleanCharField(forms.CharField):
    """A text field under `core.validators`' rule: one line (a name, a title, a label) unless
    `multiline` (by default, when its widget is a textarea), which keeps line feeds only. A
    browser sends a textarea's line ends as CR LF: they become LF first."""

    def __init__(self, *, multiline=None, **kwargs):
        super().__init__(**kwargs)
        self.multiline = isinstance(self.widget, forms.Textarea) if multiline is None else multiline

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if self.multiline and value else value

    def clean(self, value):
        value = super().clean(value)
        return reject_control_characters(value, multiline=self.multiline) if value else value


class CleanEmailField(forms.EmailField):
    def clean(self, value):
        value = super().clean(value)
        return reject_control_characters(value).lower() if value else value


# The largest value a PositiveIntegerField holds on every database (PostgreSQL's integer).
MAX_POSITIVE_INTEGER = 2**31 - 1


class RevisionField(forms.IntegerField):
    """The revision a page showed (compare-and-set): a number its column can hold, or invalid —
    never a number that overflows the query (a 500)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_POSITIVE_INTEGER)
        super().__init__(**kwargs)


def typed_again(make_form, data, revision: int, error):
    """The form to show back when a save found a newer revision than the page's: what the person
    typed, now carrying the current `revision` (saving it again, after comparing, is a knowing
    choice), with the refusal as its message. `make_form(data)` builds the view's form."""
    typed = data.copy()
    typed["seen_revision"] = str(revision)
    form = make_form(typed)
    form.is_valid()
    form.add_error(None, error)
    return form


class FlatSelect(forms.Select):
    """Django's Select for long flat lists (a territory's hundred départements): its options are
    written by `format_html_join`, which escapes every value and label, rather than by one
    template include per option, which costs a dashboard several times more (benchmarks/README.md).
    Flat choices only (no optgroups); the markup is Django's."""

    template_name = "core/widgets/flat_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = next(iter(context["widget"]["value"]), None)  # format_value: a list of strings
        context["widget"]["options_html"] = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) == selected else "", label) for key, label in self.choices),
        )
        return context


class InstanceChoiceField(forms.ChoiceField):
    """A choice among model instances the view already holds, cleaned to the instance.

    A ModelChoiceField would query its queryset again to render its options and again to clean
    the value, building an instance per row each time: a page that already holds the list (a
    territory's départements) reuses it. Rendered by `FlatSelect`. Any value outside
    `instances` is an invalid choice.
    """

    widget = FlatSelect

    def __init__(self, *, instances=(), empty_label="---------", **kwargs):
        super().__init__(**kwargs)
        self._empty_label, self._by_key = empty_label, {}
        self.instances = instances

    @property
    def instances(self):
        return list(self._by_key.values())

    @instances.setter
    def instances(self, objects):
        self._by_key = {str(obj.pk): obj for obj in objects}
        self._set_choices()

    @property
    def empty_label(self):
        return self._empty_label

    @empty_label.setter
    def empty_label(self, label):
        self._empty_label = label
        self._set_choices()

    def _set_choices(self):
        self.choices = [("", self._empty_label), *((key, str(obj)) for key, obj in self._by_key.items())]

    def prepare_value(self, value):
        return str(value.pk) if hasattr(value, "pk") else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._by_key[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def validate(self, value):
        forms.Field.validate(self, value)  # to_python has checked the choice

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")
