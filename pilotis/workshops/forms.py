from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm, RevisionField
from pilotis.workshops import themes
from pilotis.workshops.enums import Audience, SessionKind
from pilotis.workshops.services import MAX_COUNT, MAX_MINUTES, WorkshopInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def member_label(membership) -> str:
    return f"{membership.user} — {membership.get_role_display()}"


class WorkshopForm(PilotisForm):
    """A session: when and where, what, for whom, who is expected."""

    seen_revision = RevisionField(required=False)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Heure de début"), widget=TIME, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Durée (en minutes)"),
        min_value=1,
        max_value=MAX_MINUTES,
        help_text=_("Par exemple 90 pour une heure et demie."),
    )
    place = CleanCharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « Salle informatique, bâtiment B »."),
    )
    title = CleanCharField(label=_("Intitulé"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature"), choices=SessionKind.choices, initial=SessionKind.WORKSHOP)
    theme = forms.ChoiceField(label=_("Thème"))
    theme_other = CleanCharField(
        label=_("Autre thème : en quelques mots"),
        max_length=120,
        required=False,
        help_text=_("Seulement si le thème choisi est « Autre thème »."),
    )
    presents_catalogue = forms.BooleanField(
        label=_("La séance présente aussi le catalogue des fiches d'usage (CARTOUN)"),
        required=False,
        help_text=_("Toujours vrai pour le thème « Présentation du catalogue des fiches d'usage »."),
    )
    tools = CleanCharField(
        label=_("Outils et services"),
        max_length=500,
        required=False,
        help_text=_("Séparés par des virgules, par exemple « ENT, Pix, tablettes »."),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Public"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un public : enseignants, élèves, parents ou personnels.")},
    )
    participants = forms.TypedMultipleChoiceField(
        label=_("Participants membres de l'établissement"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ils figurent sur la feuille d'émargement ; leur présence se coche après la séance."),
        error_messages={"invalid_choice": _("Un des participants cochés n'est pas membre de l'établissement.")},
    )
    participant_count = forms.IntegerField(
        label=_("Autres participants (élèves, parents…) : nombre"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        help_text=_("Ceux qui n'ont pas de compte dans l'établissement, comptés plutôt que nommés."),
    )
    materials = CleanCharField(
        label=_("Supports"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Diaporama, tutoriels, liens… Les fichiers se joignent ensuite sur la page de la séance."),
    )

    def __init__(self, *args, people=(), **kwargs):
        """`people`: (user id, label) of whom may be ticked."""
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("— Choisir un thème —")), *themes.choices()]
        self.fields["participants"].choices = list(people)

    def clean(self):
        data = super().clean()
        chosen = themes.theme(data.get("theme") or "")
        if chosen and chosen.other and not (data.get("theme_other") or "").strip():
            self.add_error("theme_other", _("Indiquez le thème en quelques mots, ou choisissez un thème de la liste."))
        return data

    def workshop_input(self) -> WorkshopInput:
        data = self.cleaned_data
        return WorkshopInput(
            held_on=data["held_on"],
            starts_at=data.get("starts_at"),
            place=data.get("place") or "",
            title=data["title"],
            kind=data["kind"],
            theme=data["theme"],
            theme_other=data.get("theme_other") or "",
            tools=data.get("tools") or "",
            duration_minutes=data["duration_minutes"],
            audiences=list(data["audiences"]),
            participant_count=data.get("participant_count"),
            materials=data.get("materials") or "",
            presents_catalogue=data.get("presents_catalogue") or False,
            participant_ids=list(data.get("participants") or []),
        )

    @staticmethod
    def initial_of(workshop, participant_ids) -> dict:
        return {
            "seen_revision": workshop.revision,
            "held_on": workshop.held_on,
            "starts_at": workshop.starts_at,
            "duration_minutes": workshop.duration_minutes,
            "place": workshop.place,
            "title": workshop.title,
            "kind": workshop.kind,
            "theme": workshop.theme,
            "theme_other": workshop.theme_other,
            "presents_catalogue": workshop.presents_catalogue,
            "tools": workshop.tools,
            "audiences": list(workshop.audiences),
            "participants": participant_ids,
            "participant_count": workshop.participant_count,
            "materials": workshop.materials,
        }


class AttendanceForm(PilotisForm):
    seen_revision = RevisionField(required=False)
    present = forms.TypedMultipleChoiceField(
        label=_("Présents"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Une des personnes cochées n'est pas inscrite à cette séance.")},
    )
    participant_count = forms.IntegerField(
        label=_("Autres participants présents (élèves, parents…) : nombre"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(p.user_id, str(p.user)) for p in participants]


class SchoolYearForm(forms.Form):
    """The list's year (`?annee=2026-2027`); an unknown value falls back to the current year."""

    annee = forms.RegexField(regex=r"^\d{4}-\d{4}$", required=False)
