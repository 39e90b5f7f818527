"""The dashboards' filters. Each form validates its GET parameters; invalid ones are ignored
with a message rather than answered with an error page (a stale bookmark stays usable)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import InstanceChoiceField, PilotisForm
from pilotis.territories.enums import PriorityEducation
from pilotis.territories.forms import SchoolFilterForm

PROGRESS_STATES = [
    ("not_started", _("Non commencés")),
    ("filling", _("En cours de saisie")),
    ("validated", _("Validés")),
]


class BoardForm(PilotisForm):
    """The département, among those the user follows."""

    department = InstanceChoiceField(label=_("Département"), required=False, empty_label=_("Tout le territoire"))

    def __init__(self, data=None, *, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].instances = departments


class ProgressForm(BoardForm):
    state = forms.ChoiceField(label=_("État"), choices=PROGRESS_STATES, required=False)


# Over which self-assessments the distribution of levels is computed (`figures.OVER_*`).
DISTRIBUTION_OVER = [
    ("validated", _("Autodiagnostics validés")),
    ("filling", _("Autodiagnostics en cours de saisie")),
]


class MaturityForm(SchoolFilterForm):
    """The heat map's filters: the school list's, plus éducation prioritaire and the sort; and
    over which self-assessments the distribution is computed (`over`, not a filter of the map)."""

    priority = forms.ChoiceField(
        label=_("Éducation prioritaire"),
        choices=[("", _("Tous")), ("none", _("Hors éducation prioritaire"))] + PriorityEducation.choices[1:],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Trier par"), required=False)
    over = forms.ChoiceField(label=_("Répartition calculée sur"), choices=DISTRIBUTION_OVER, required=False)

    def __init__(self, data=None, *, departments, domains, priority_known=True, **kwargs):
        super().__init__(data, departments=departments, **kwargs)
        self.fields["department"].empty_label = _("Tout le territoire")
        if not priority_known:
            # The directory says nothing of éducation prioritaire for this territory: the filter
            # would find no school at all, so it is not offered (the page says why).
            del self.fields["priority"]
        choices = [("name", _("Nom (A → Z)")), ("-name", _("Nom (Z → A)"))]
        for domain in domains:
            choices += [
                (f"-{domain.code}", _("%(domain)s, niveau décroissant") % {"domain": domain.title}),
                (domain.code, _("%(domain)s, niveau croissant") % {"domain": domain.title}),
            ]
        self.fields["sort"].choices = choices

    def narrows(self) -> bool:
        """Whether a filter other than the département (the territory's own) is set."""
        return self.is_valid() and any(self.cleaned_data.get(name) for name in ("q", "kind", "sector", "priority"))

    def filter(self, schools):
        schools = super().filter(schools)
        priority = self.cleaned_data.get("priority") if self.is_valid() else ""
        if priority == "none":
            schools = schools.filter(priority_education="")
        elif priority:
            schools = schools.filter(priority_education=priority)
        return schools


INDICATOR_SORTS = [
    ("code", _("Ordre du référentiel")),
    ("-done", _("Part « Réalisé », décroissante")),
    ("done", _("Part « Réalisé », croissante")),
    ("-in_progress", _("Part « En cours », décroissante")),
    ("-not_done", _("Part « Non réalisé », décroissante")),
    ("-unanswered", _("Part sans réponse, décroissante")),
]


class IndicatorsForm(BoardForm):
    sort = forms.ChoiceField(label=_("Trier par"), choices=INDICATOR_SORTS, required=False)


TREND_SHARES = [
    ("done", _("« Réalisé »")),
    ("in_progress", _("« En cours »")),
    ("not_done", _("« Non réalisé »")),
    ("unanswered", _("Sans réponse")),
]


class TrendsForm(BoardForm):
    # The page shows one of the four shares per indicator (81 × 4 lines would drown the table);
    # the export has them all.
    share = forms.ChoiceField(label=_("Part affichée par indicateur"), choices=TREND_SHARES, required=False)


class ReminderForm(BoardForm):
    target = forms.ChoiceField(
        label=_("Qui relancer ?"),
        choices=[
            ("not_started", _("Les établissements qui n'ont pas commencé")),
            ("not_validated", _("Les établissements qui n'ont pas validé (commencés ou non)")),
        ],
        widget=forms.RadioSelect,
        initial="not_started",
    )
