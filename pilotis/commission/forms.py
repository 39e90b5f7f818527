import datetime

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.accounts.models import SchoolMembership
from pilotis.commission.enums import MemberGroup, Presence
from pilotis.core.forms import CleanCharField, CleanEmailField, PilotisForm, RevisionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return f"{membership.user} — {membership.get_role_display()}"


class MemberForm(PilotisForm):
    """A member: a person of the school with an account (chosen in the list), or someone without one."""

    membership = AccountChoiceField(
        label=_("Personne de l'établissement ayant un compte"),
        queryset=SchoolMembership.objects.none(),
        required=False,
        empty_label=_("— Personne sans compte Pilotis (parent, élève, collectivité…) —"),
        help_text=_("Son nom et son adresse électronique sont ceux de son compte."),
    )
    name = CleanCharField(
        label=_("Nom de la personne sans compte"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « Mme Dupuy, représentante des parents »."),
    )
    email = CleanEmailField(
        label=_("Adresse électronique de la personne sans compte"),
        required=False,
        help_text=_("Pour lui envoyer les convocations ; facultative."),
    )
    group = forms.ChoiceField(label=_("Collège"), choices=[("", "—"), *MemberGroup.choices])
    from_date = forms.DateField(label=_("Membre depuis le"), widget=DATE)
    to_date = forms.DateField(
        label=_("Jusqu'au"), widget=DATE, required=False, help_text=_("Pour mettre fin à sa participation.")
    )

    def __init__(self, *args, school, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member is None:
            self.fields["membership"].queryset = (
                SchoolMembership.objects.filter(school=school)
                .select_related("user")
                .order_by("user__last_name", "user__first_name", "pk")
            )
        else:
            del self.fields["membership"]
            if member.user_id:
                del self.fields["name"]
                del self.fields["email"]
            else:
                self.fields["name"].label = _("Nom")
                self.fields["name"].required = True
                self.fields["email"].label = _("Adresse électronique")

    def clean(self):
        data = super().clean()
        if self.member is None and not data.get("membership") and not (data.get("name") or "").strip():
            self.add_error(
                "name", _("Choisissez une personne ayant un compte, ou indiquez le nom d'une personne sans compte.")
            )
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", _("La date de fin doit suivre la date d'entrée dans la commission."))
        return data


class MeetingForm(PilotisForm):
    seen_revision = RevisionField(required=False)
    starts_at = forms.DateTimeField(
        label=_("Date et heure"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_time = forms.TimeField(label=_("Heure de fin"), widget=TIME, required=False)
    place = CleanCharField(
        label=_("Lieu"), max_length=300, required=False, help_text=_("Par exemple « Salle du conseil ».")
    )
    visio_url = forms.URLField(
        label=_("Lien de visioconférence"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Si la réunion se tient (aussi) à distance."),
    )

    def clean(self):
        data = super().clean()
        starts, end = data.get("starts_at"), data.get("ends_time")
        data["ends_at"] = None
        if starts and end:
            ends_at = datetime.datetime.combine(
                timezone.localtime(starts).date(), end, tzinfo=timezone.get_current_timezone()
            )
            if ends_at < starts:
                self.add_error("ends_time", _("La fin de la réunion doit suivre son début."))
            data["ends_at"] = ends_at
        return data


class ItemForm(PilotisForm):
    item = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    title = CleanCharField(label=_("Intitulé du point"), max_length=300)
    notes = CleanCharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    indicators = forms.TypedMultipleChoiceField(
        label=_("Indicateurs SCHÉMATIC concernés"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Ceux du référentiel de la campagne en cours ; Ctrl ou Cmd pour en choisir plusieurs."),
    )
    actions = forms.TypedMultipleChoiceField(
        label=_("Actions du plan concernées"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, indicator_choices=(), action_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicator_choices
        self.fields["actions"].choices = action_choices


# absolute_max: a posted form count beyond the most an agenda holds builds no more forms than that
# (Django's default builds a thousand more, a page of megabytes for one forged request).
ItemFormSet = formset_factory(ItemForm, extra=1, can_delete=True, max_num=40, absolute_max=40, validate_max=True)


class DecisionForm(PilotisForm):
    decision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    text = CleanCharField(label=_("Décision"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


DecisionFormSet = formset_factory(
    DecisionForm, extra=1, can_delete=True, max_num=60, absolute_max=60, validate_max=True
)


class MinutesForm(PilotisForm):
    seen_revision = RevisionField(required=False)
    minutes = CleanCharField(
        label=_("Compte rendu"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"presence_{member.pk}"] = forms.ChoiceField(
                label=member.name, required=False, choices=[("", _("— non renseigné —")), *Presence.choices]
            )

    def attendance(self) -> dict:
        return {member.pk: self.cleaned_data.get(f"presence_{member.pk}") or "" for member in self.members}

    def presence_fields(self):
        return [(member, self[f"presence_{member.pk}"]) for member in self.members]


class RevisionForm(forms.Form):
    seen_revision = RevisionField(required=False)
