"""The fiche's form. It says in French what it can before the services check again; its lists of
choices (vocabularies, the referential's indicators, the school's members and actions) are the ones
the view already holds."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm, RevisionField
from pilotis.fiches import services
from pilotis.fiches.enums import FicheState, Licence, Organisation, TermKind, Visibility
from pilotis.fiches.vocabulary import vocabulary
from pilotis.plans.forms import InstanceMultipleChoiceField


def year_choices(current: str) -> list[tuple[str, str]]:
    """The current school year and the four before it: a fiche tells what was done."""
    start = int(current[:4])
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in range(start, start - 5, -1)]


def _flat(grouped) -> list:
    return [choice for _group, items in grouped for choice in items]


class FicheForm(PilotisForm):
    title = CleanCharField(label=_("Titre"), max_length=200)
    summary = CleanCharField(
        label=_("Résumé"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En deux ou trois phrases : ce que les élèves font, avec quoi, pour apprendre quoi."),
    )
    school_year = forms.ChoiceField(label=_("Année scolaire"))
    levels = forms.MultipleChoiceField(label=_("Niveaux"), required=False, widget=forms.CheckboxSelectMultiple)
    disciplines = forms.MultipleChoiceField(label=_("Disciplines"), required=False, widget=forms.CheckboxSelectMultiple)
    competences = forms.MultipleChoiceField(
        label=_("Compétences numériques des élèves (CRCN)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tools = CleanCharField(
        label=_("Outils et services utilisés"),
        max_length=600,
        required=False,
        help_text=_("Séparés par des virgules, dix au plus. Par exemple : ENT, tablettes, Pix, LaboMEP."),
    )
    organisation = forms.ChoiceField(
        label=_("Organisation"), required=False, choices=[("", _("— Non précisée —")), *Organisation.choices]
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée d'une séance (en minutes)"),
        required=False,
        min_value=5,
        max_value=600,
        error_messages={
            "min_value": _("Une séance dure au moins 5 minutes."),
            "max_value": _("Une séance dure au plus 600 minutes (10 heures)."),
            "invalid": _("Indiquez un nombre entier de minutes."),
        },
    )
    sessions = forms.IntegerField(
        label=_("Nombre de séances"),
        required=False,
        min_value=1,
        max_value=200,
        error_messages={
            "min_value": _("Indiquez au moins une séance."),
            "max_value": _("Indiquez au plus 200 séances."),
            "invalid": _("Indiquez un nombre entier de séances."),
        },
    )
    pupils = forms.IntegerField(
        label=_("Nombre d'élèves"),
        required=False,
        min_value=1,
        max_value=2000,
        error_messages={
            "min_value": _("Indiquez au moins un élève."),
            "max_value": _("Indiquez au plus 2 000 élèves."),
            "invalid": _("Indiquez un nombre entier d'élèves."),
        },
    )
    course = CleanCharField(
        label=_("Déroulement de l'activité"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Texte mis en forme en Markdown : **gras**, *italique*, listes avec « - », titres avec « # », liens "
            "[texte](https://…). Le HTML n'est pas interprété."
        ),
    )
    effects = CleanCharField(
        label=_("Effets observés"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown, comme le déroulement."),
    )
    difficulties = CleanCharField(
        label=_("Difficultés rencontrées"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown, comme le déroulement."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=Licence.choices,
        initial=Licence.CC_BY_SA,
        help_text=_(
            "Ce que d'autres peuvent faire de la fiche. CC BY-SA : la reprendre et l'adapter en citant ses auteurs, sous la même licence."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Diffusion souhaitée une fois publiée"),
        choices=[
            (Visibility.SCHOOL, _("L'équipe de l'établissement")),
            (Visibility.ACADEMY, _("Tous les utilisateurs de l'académie (catalogue des fiches)")),
        ],
        initial=Visibility.SCHOOL,
        widget=forms.RadioSelect,
        help_text=_("La direction ou le RUPN publie la fiche ; cette diffusion est celle proposée par ses auteurs."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicateurs SCHÉMATIC servis"), required=False, widget=forms.CheckboxSelectMultiple
    )
    seen_revision = RevisionField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, school, members, actions, indicators, current_year, fiche=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiche = fiche
        vocab = vocabulary()
        self.grouped = {
            "levels": vocab.choices(TermKind.LEVEL),
            "disciplines": vocab.choices(TermKind.DISCIPLINE),
            "competences": vocab.choices(TermKind.COMPETENCE),
        }
        for name, grouped in self.grouped.items():
            self.fields[name].choices = _flat(grouped)
        years = year_choices(current_year)
        if fiche is not None and fiche.school_year not in dict(years):
            years.append((fiche.school_year, fiche.school_year))
        self.fields["school_year"].choices = years
        self.fields["school_year"].initial = current_year
        self.indicator_list = list(indicators)
        self.fields["indicators"].choices = [(i.code, f"{i.code} — {i.statement}") for i in self.indicator_list]
        self.fields["authors"] = InstanceMultipleChoiceField(
            label=_("Auteurs"),
            instances=members,
            label_of=lambda membership: f"{membership.user} ({membership.get_role_display()})",
            required=True,
            error_messages={"required": _("Cochez au moins un auteur : un membre de l'établissement.")},
            help_text=_(
                "Des membres de l'établissement. Chacun accepte lui-même, sur la page de la fiche, d'être nommé "
                "en dehors de l'établissement ; sinon la fiche dit « Un membre de l'équipe »."
            ),
        )
        self.fields["actions"] = InstanceMultipleChoiceField(
            label=_("Actions du plan servies"),
            instances=actions,
            required=False,
            label_of=lambda action: action.title,
        )
        if fiche is not None and fiche.state == FicheState.PUBLISHED:
            self.fields["visibility"].help_text = _(
                "Pour changer qui lit une fiche publiée, la direction ou le RUPN la publie à nouveau."
            )
            self.fields["visibility"].disabled = True
            # The DSFR form has bound its fields already: the hint is read from the bound field.
            self._bound_fields_cache.pop("visibility", None)

    def clean_tools(self):
        try:
            return services.parse_tools(self.cleaned_data.get("tools") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def boxes(self, name):
        """[(legend, [(value, label, checked)])] for a field rendered as groups of checkboxes."""
        chosen = {str(value) for value in (self[name].value() or ())}
        return [
            (legend, [(value, label, value in chosen) for value, label in items])
            for legend, items in self.grouped[name]
        ]

    def level_boxes(self):
        return self.boxes("levels")

    def discipline_boxes(self):
        return self.boxes("disciplines")

    def competence_boxes(self):
        return self.boxes("competences")

    def indicator_boxes(self):
        chosen = set(self["indicators"].value() or ())
        groups: dict = {}
        for indicator in self.indicator_list:
            legend = f"{indicator.domain.code} — {indicator.domain.title}"
            groups.setdefault(legend, []).append(
                (indicator.code, f"{indicator.code} — {indicator.statement}", indicator.code in chosen)
            )
        return list(groups.items())

    def has_indicators(self) -> bool:
        return bool(self["indicators"].value())

    def instance_boxes(self, name):
        chosen = {str(value) for value in (self[name].value() or ())}
        return [(key, label, key in chosen) for key, label in self.fields[name].choices]

    def author_boxes(self):
        return self.instance_boxes("authors")

    def action_boxes(self):
        return self.instance_boxes("actions")

    def to_input(self) -> services.FicheInput:
        data = self.cleaned_data
        return services.FicheInput(
            title=data["title"],
            summary=data.get("summary") or "",
            school_year=data["school_year"],
            visibility=self.fiche.visibility
            if self.fiche is not None and self.fields["visibility"].disabled
            else data.get("visibility") or Visibility.SCHOOL,
            organisation=data.get("organisation") or "",
            duration_minutes=data.get("duration_minutes"),
            sessions=data.get("sessions"),
            pupils=data.get("pupils"),
            course=data.get("course") or "",
            effects=data.get("effects") or "",
            difficulties=data.get("difficulties") or "",
            licence=data["licence"],
            levels=data.get("levels") or [],
            disciplines=data.get("disciplines") or [],
            competences=data.get("competences") or [],
            tools=data.get("tools") or [],
            indicators=data.get("indicators") or [],
            authors=[] if data.get("authors") is None else [membership.user for membership in data["authors"]],
            actions=list(data.get("actions") or []),
        )


def initial_of(fiche, memberships) -> dict:
    """The form's values for a fiche as saved."""
    terms: dict = {}
    for term in fiche.terms.all():
        terms.setdefault(term.kind, []).append(term.code)
    by_user = {membership.user_id: membership.pk for membership in memberships}
    return {
        **{name: getattr(fiche, name) for name in services.CONTENT_FIELDS},
        "levels": terms.get(TermKind.LEVEL, []),
        "disciplines": terms.get(TermKind.DISCIPLINE, []),
        "competences": terms.get(TermKind.COMPETENCE, []),
        "tools": ", ".join(terms.get(TermKind.TOOL, [])),
        "indicators": terms.get(TermKind.INDICATOR, []),
        "authors": [by_user[a.user_id] for a in fiche.authors.all() if a.user_id in by_user],
        "actions": [action.pk for action in fiche.actions.all()],
        "seen_revision": fiche.revision,
    }
