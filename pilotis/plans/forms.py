"""The plan's forms. Each validates what it can say in French before the services check again; the
lists of choices (indicators, members, objectives) are the ones the view already holds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.enums import AnswerStatus
from pilotis.core.forms import CleanCharField, InstanceChoiceField, PilotisForm, RevisionField
from pilotis.plans.enums import MAX_PLAN_YEARS, ActionStatus, AdoptingBody, Payer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DURATIONS = [
    (n, _("%(n)d année scolaire") % {"n": n} if n == 1 else _("%(n)d années scolaires") % {"n": n})
    for n in range(1, MAX_PLAN_YEARS + 1)
]


def year_choices(current: str) -> list[tuple[str, str]]:
    """The school year before the current one, the current one and the next."""
    start = int(current[:4])
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in (start - 1, start, start + 1)]


class InstanceMultipleChoiceField(forms.MultipleChoiceField):
    """Several of the instances the view holds (checkboxes), cleaned to the instances."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, instances=(), label_of=str, **kwargs):
        super().__init__(**kwargs)
        self.by_key = {str(obj.pk): obj for obj in instances}
        self.choices = [(key, label_of(obj)) for key, obj in self.by_key.items()]

    def clean(self, value):
        keys = super().clean(value)
        return [self.by_key[key] for key in keys]

    def prepare_value(self, value):
        return [str(getattr(item, "pk", item)) for item in value or ()]


class DurationField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Durée du plan"),
            choices=DURATIONS,
            coerce=int,
            error_messages={
                "invalid_choice": _("Un plan d'actions couvre une, deux ou trois années scolaires, pas davantage.")
            },
            **kwargs,
        )


class PlanYearsMixin:
    def _set_years(self, current):
        self.fields["first_year"].choices = year_choices(current)


class PrepareForm(PlanYearsMixin, PilotisForm):
    """The priorities chosen among the indicators not yet Réalisé; the plan's years when it is new."""

    title = CleanCharField(label=_("Intitulé du plan"), max_length=300, required=False)
    first_year = forms.ChoiceField(label=_("Première année scolaire du plan"))
    duration = DurationField()
    priorities = forms.MultipleChoiceField(
        label=_("Priorités retenues"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins une priorité : une action suggérée ou « action à rédiger »."),
            "invalid_choice": _("Cette priorité n'est pas proposée pour cet autodiagnostic."),
        },
    )

    def __init__(self, *args, rows, new_plan, current_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_plan = new_plan
        self.by_key = {}
        for row in rows:
            indicator = row["indicator"]
            for suggestion in row["suggestions"]:
                self.by_key[f"{indicator.pk}-{suggestion.pk}"] = (indicator, suggestion)
            self.by_key[f"{indicator.pk}-0"] = (indicator, None)
        self.fields["priorities"].choices = [(key, key) for key in self.by_key]
        if new_plan:
            self._set_years(current_year)
            self.fields["first_year"].initial = current_year
            self.fields["duration"].initial = 2
        else:
            for name in ("title", "first_year", "duration"):
                del self.fields[name]

    def chosen(self):
        return [self.by_key[key] for key in self.cleaned_data["priorities"]]

    def indicator_count(self) -> int:
        return len({indicator.pk for indicator, _suggestion in self.chosen()})


class PlanForm(PlanYearsMixin, PilotisForm):
    title = CleanCharField(label=_("Intitulé du plan"), max_length=300)
    first_year = forms.ChoiceField(label=_("Première année scolaire"))
    duration = DurationField()

    def __init__(self, *args, current_year, first_year, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices(current_year)
        if first_year not in dict(choices):
            choices.insert(0, (first_year, first_year))  # an older plan keeps its start
        self.fields["first_year"].choices = choices


TARGET_STATUSES = [
    (AnswerStatus.IN_PROGRESS, AnswerStatus.IN_PROGRESS.label),
    (AnswerStatus.DONE, AnswerStatus.DONE.label),
]


class ObjectiveForm(PilotisForm):
    """An objective and its targets: a few rows of (indicator, status aimed, by year), the empty ones
    ignored; without JavaScript, more rows come with the next save."""

    title = CleanCharField(label=_("Objectif"), max_length=300)
    description = CleanCharField(
        label=_("Description"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators, years, rows=3, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for n in range(rows):
            self.fields[f"target_{n}_indicator"] = InstanceChoiceField(
                label=_("Indicateur visé"),
                instances=indicators,
                required=False,
                empty_label=_("— Aucun —"),
                error_messages={"invalid_choice": _("Cet indicateur n'est pas dans le référentiel du plan.")},
            )
            self.fields[f"target_{n}_indicator"].choices = [
                ("", _("— Aucun —")),
                *((str(i.pk), f"{i.code} — {i.statement[:90]}") for i in indicators),
            ]
            self.fields[f"target_{n}_status"] = forms.ChoiceField(
                label=_("État visé"), choices=TARGET_STATUSES, initial=AnswerStatus.DONE, required=False
            )
            self.fields[f"target_{n}_year"] = forms.ChoiceField(
                label=_("D'ici l'année scolaire"),
                choices=[(y, y) for y in years],
                initial=years[-1],
                required=False,
                error_messages={"invalid_choice": _("L'échéance doit être une des années du plan.")},
            )

    def target_rows(self):
        return [
            (n + 1, self[f"target_{n}_indicator"], self[f"target_{n}_status"], self[f"target_{n}_year"])
            for n in range(self.rows)
        ]

    def clean(self):
        data = super().clean()
        targets, seen = [], set()
        for n in range(self.rows):
            indicator = data.get(f"target_{n}_indicator")
            if indicator is None:
                continue
            if indicator.pk in seen:
                self.add_error(f"target_{n}_indicator", _("Cet indicateur est déjà visé par une autre ligne."))
                continue
            seen.add(indicator.pk)
            status = data.get(f"target_{n}_status") or AnswerStatus.DONE
            year = data.get(f"target_{n}_year")
            if not year:
                self.add_error(f"target_{n}_year", _("Dites d'ici quelle année."))
                continue
            targets.append((indicator, status, year))
        data["targets"] = targets
        return data

    @staticmethod
    def initial_for(objective, targets) -> dict:
        initial = {"title": objective.title, "description": objective.description}
        for n, target in enumerate(targets):
            initial[f"target_{n}_indicator"] = target.indicator
            initial[f"target_{n}_status"] = target.status
            initial[f"target_{n}_year"] = target.by_year
        return initial


class ActionForm(PilotisForm):
    title = CleanCharField(label=_("Action"), max_length=300)
    description = CleanCharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    objective = InstanceChoiceField(
        label=_("Objectif"),
        required=False,
        empty_label=_("— Sans objectif —"),
        error_messages={"invalid_choice": _("Cet objectif n'est pas un objectif de ce plan.")},
    )
    responsible = InstanceChoiceField(
        label=_("Responsable (membre de l'équipe)"),
        required=False,
        empty_label=_("— Personne de l'équipe —"),
        error_messages={"invalid_choice": _("Le responsable doit être un membre de l'établissement.")},
    )
    responsible_label = CleanCharField(
        label=_("Ou fonction du responsable"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « gestionnaire », quand personne de l'équipe n'est nommé."),
    )
    contributors = InstanceMultipleChoiceField(
        label=_("Contributeurs de l'équipe"),
        required=False,
        error_messages={"invalid_choice": _("Les contributeurs cochés doivent être membres de l'établissement.")},
    )
    contributors_text = CleanCharField(
        label=_("Autres contributeurs"),
        required=False,
        max_length=500,
        help_text=_("Les personnes ou partenaires sans compte : « parents délégués », « collectivité »…"),
    )
    starts_on = forms.DateField(label=_("Début"), required=False, widget=DATE)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DATE)
    means = CleanCharField(
        label=_("Moyens et ressources"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    cost = forms.DecimalField(
        label=_("Coût estimé (€)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": _("Le coût estimé ne peut pas être négatif.")},
    )
    payer = forms.ChoiceField(
        label=_("Financement"), required=False, choices=[("", _("— Non précisé —")), *Payer.choices]
    )
    success_criteria = CleanCharField(
        label=_("Critères de réussite"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicateurs servis"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cet indicateur n'est pas dans le référentiel du plan.")},
    )
    seen_revision = RevisionField(required=False)

    CONTENT = (
        "title",
        "description",
        "objective",
        "responsible",
        "responsible_label",
        "contributors_text",
        "starts_on",
        "due_on",
        "means",
        "cost",
        "payer",
        "success_criteria",
    )

    def __init__(self, *args, objectives, members, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].instances = objectives
        self.fields["responsible"].instances = members
        contributors = self.fields["contributors"]
        contributors.by_key = {str(person.pk): person for person in members}
        contributors.choices = [(key, str(person)) for key, person in contributors.by_key.items()]
        self.indicator_list = list(indicators)
        self.indicators_by_key = {str(i.pk): i for i in self.indicator_list}
        self.fields["indicators"].choices = [(key, i.code) for key, i in self.indicators_by_key.items()]

    def clean(self):
        data = super().clean()
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("L'échéance doit suivre la date de début."))
        data["indicators"] = [self.indicators_by_key[key] for key in data.get("indicators") or ()]
        return data

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTENT}

    def indicator_groups(self):
        """[(domain title, [(indicator, checked)])] in the referential's order."""
        chosen = {str(v) for v in (self["indicators"].value() or ())}
        groups = {}
        for indicator in self.indicator_list:
            groups.setdefault(indicator.domain.title, []).append((indicator, str(indicator.pk) in chosen))
        return list(groups.items())

    def contributor_boxes(self):
        chosen = {str(v) for v in (self["contributors"].value() or ())}
        return [(key, person, key in chosen) for key, person in self.fields["contributors"].by_key.items()]

    @staticmethod
    def initial_for(action) -> dict:
        initial = {name: getattr(action, name) for name in ActionForm.CONTENT}
        if action.responsible_id:
            initial["responsible_label"] = ""  # the label is then the person's name, not a role
        initial["indicators"] = [str(i.pk) for i in action.indicators.all()]
        initial["contributors"] = [str(p.pk) for p in action.contributors.all()]
        initial["seen_revision"] = action.revision
        return initial


class StatusForm(PilotisForm):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=ActionStatus.choices)
    note = CleanCharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui a été fait, ce qui bloque : la note reste dans le journal de l'action."),
    )
    seen_revision = RevisionField()


class CarryOverForm(PilotisForm):
    POSTPONE, ABANDON = "postpone", "abandon"

    decision = forms.ChoiceField(choices=[(POSTPONE, _("Reporter")), (ABANDON, _("Abandonner"))])
    due_on = forms.DateField(label=_("Nouvelle échéance"), required=False, widget=DATE)
    note = CleanCharField(label=_("Note"), max_length=2000, error_messages={"required": _("Une note est demandée.")})
    seen_revision = RevisionField()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.POSTPONE and not data.get("due_on"):
            self.add_error("due_on", _("Donnez la nouvelle échéance pour reporter l'action."))
        return data


class AdoptForm(PilotisForm):
    body = forms.ChoiceField(label=_("Instance qui a adopté le plan"), choices=AdoptingBody.choices)
    adopted_on = forms.DateField(label=_("Date de l'instance"), widget=DATE)
    seen_revision = RevisionField()
