from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.accompaniment.enums import ContactKind
from pilotis.core.forms import CleanCharField, InstanceChoiceField, PilotisForm, RevisionField
from pilotis.plans.models import Action

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionChoiceField(forms.ModelMultipleChoiceField):
    """The school's actions, by title and state: an entry says which of them it concerns."""

    def label_from_instance(self, action):
        return f"{action.title} ({action.get_status_display()})"


class EntryForm(PilotisForm):
    """An entry of the log; `seen_revision` is the optimistic lock of an entry being changed."""

    happened_on = forms.DateField(label=_("Date de l'échange"), widget=DATE)
    kind = forms.ChoiceField(label=_("Nature"), choices=[("", _("— Choisir —")), *ContactKind.choices])
    participants = CleanCharField(
        label=_("Participants"),
        required=False,
        max_length=500,
        help_text=_("Qui a pris part à l'échange, par exemple « M. Dupuy (principal), Mme Labat (RUPN) »."),
    )
    notes = CleanCharField(label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    next_steps = CleanCharField(
        label=_("Prochaines étapes"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step_on = forms.DateField(
        label=_("Date de la prochaine étape"),
        required=False,
        widget=DATE,
        help_text=_("Le suivi du territoire liste les établissements dont la prochaine étape arrive à échéance."),
    )
    actions = ActionChoiceField(
        label=_("Actions du plan concernées"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_with_school = forms.BooleanField(
        label=_("Partagé avec l'établissement"),
        required=False,
        help_text=_(
            "La direction et le RUPN de l'établissement liront cette entrée (sans pouvoir la modifier). "
            "Sinon, elle reste interne à l'équipe territoriale."
        ),
    )
    seen_revision = RevisionField(required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        actions = Action.objects.filter(school=school).order_by("due_on", "position", "pk")
        if actions.exists():
            self.fields["actions"].queryset = actions
        else:  # a school without a plan yet: no empty list to tick
            del self.fields["actions"]

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("La date de l'échange ne peut pas être à venir : notez un rendez-vous prévu en prochaine étape.")
            )
        return value

    def clean(self):
        data = super().clean()
        happened_on, next_step_on = data.get("happened_on"), data.get("next_step_on")
        if happened_on and next_step_on and next_step_on < happened_on:
            self.add_error("next_step_on", _("La date de la prochaine étape ne peut pas précéder celle de l'échange."))
        if next_step_on and not (data.get("next_steps") or "").strip() and "next_steps" not in self.errors:
            self.add_error("next_steps", _("Dites quelle est la prochaine étape prévue à cette date."))
        return data

    def chosen_actions(self) -> list:
        return list(self.cleaned_data.get("actions") or [])

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name not in ("actions", "seen_revision")}


class DeleteForm(PilotisForm):
    seen_revision = RevisionField()


LISTS = [
    ("due", _("Prochaine étape à échéance")),
    ("quiet", _("Sans contact cette année")),
]


class TerritoryFilterForm(PilotisForm):
    """The département filter and which of the two lists to show. A value that does not validate is
    ignored, and the page says so."""

    department = InstanceChoiceField(label=_("Département"), required=False, empty_label=_("Tous"))
    list = forms.ChoiceField(label=_("Liste"), choices=LISTS, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].instances = departments

    def value(self, name, default=None):
        """A filter's value if it validated (another one's error leaves it standing), else `default`."""
        if self.is_bound:
            self.is_valid()
            return self.cleaned_data.get(name) or default
        return default
