from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.core.forms import CleanCharField, CleanEmailField, PilotisForm, RevisionField
from pilotis.core.school_years import school_year_of
from pilotis.missions.enums import MissionHeading, MissionPriority, RupnFunction
from pilotis.missions.services import imp_rates, school_year_bounds
from pilotis.territories.models import Academy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RadioSelect(forms.RadioSelect):
    """Radio buttons in the DSFR's markup (`fr-radio-group`): Django's own option template, found first
    among the apps, would otherwise draw the browser's bare buttons. Keeps the name `RadioSelect`, which
    django-dsfr reads to lay the choices out as a fieldset."""

    option_template_name = "missions/widgets/radio_option.html"


# The IMP's annual rates are fractions and multiples of a reference rate (arrêté du 27 avril 2015): each
# choice says which, so that nobody picks an amount without knowing what it stands for.
IMP_REFERENCE_RATE = Decimal("1250.00")
IMP_RATE_NAMES = {
    Decimal("0.25"): _("quart de taux"),
    Decimal("0.5"): _("demi-taux"),
    Decimal("1"): _("taux de référence"),
    Decimal("2"): _("double taux"),
    Decimal("3"): _("triple taux"),
}


def imp_label(rate: Decimal) -> str:
    amount = f"{number_format(rate, 2, force_grouping=True)} €"
    name = IMP_RATE_NAMES.get((rate / IMP_REFERENCE_RATE).normalize())
    return f"{amount} — {name}" if name else amount


def imp_choices():
    return [(str(rate), imp_label(rate)) for rate in imp_rates()]


def year_choices(today):
    current = school_year_of(today)
    start = int(current[:4])
    following = f"{start + 1}-{start + 2}"
    return [(current, current), (following, following)]


class ImpField(forms.TypedChoiceField):
    """One of the annual rates, as radio buttons: no rate is chosen for the person."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Les taux annuels de l'arrêté du 27 avril 2015 : un quart, la moitié, une, deux ou trois fois "
                "le taux de référence de 1 250 €."
            ),
        )
        super().__init__(
            label=_("IMP annuelle"),
            choices=imp_choices,
            coerce=Decimal,
            widget=RadioSelect,
            error_messages={"required": _("Choisissez le taux annuel de l'IMP.")},
            **kwargs,
        )


class MemberChoiceField(forms.ModelChoiceField):
    """« Julien Larrieu — RUPN »: the name, then the role in the school, in words."""

    ROLE_WORDS = {SchoolRole.RUPN: _("RUPN"), SchoolRole.MEMBRE: _("membre de l'équipe")}

    def label_from_instance(self, membership):
        return f"{membership.user} — {self.ROLE_WORDS.get(membership.role, membership.get_role_display())}"


class DesignationForm(PilotisForm):
    WHO_MEMBER, WHO_INVITE = "membre", "inviter"

    who = forms.ChoiceField(
        label=_("Qui désignez-vous ?"),
        choices=[
            (WHO_MEMBER, _("Un membre de l'équipe, choisi dans la liste")),
            (WHO_INVITE, _("Une personne qui n'en fait pas encore partie : elle sera invitée par courriel")),
        ],
        widget=RadioSelect,
        required=False,
    )
    member = MemberChoiceField(
        label=_("Membre de l'équipe"),
        queryset=None,
        required=False,
        empty_label=_("— Choisir un membre de l'équipe —"),
        help_text=_("Un enseignant de l'équipe ; la direction ne peut pas être désignée."),
    )
    email = CleanEmailField(label=_("Adresse électronique de la personne à inviter"), required=False)
    first_name = CleanCharField(label=_("Prénom de la personne à inviter"), required=False, max_length=150)
    last_name = CleanCharField(label=_("Nom de la personne à inviter"), required=False, max_length=150)
    school_year = forms.ChoiceField(label=_("Année scolaire"))
    starts_on = forms.DateField(
        label=_("Début"), required=False, widget=DATE, help_text=_("Par défaut, le 1er septembre.")
    )
    ends_on = forms.DateField(label=_("Fin"), required=False, widget=DATE, help_text=_("Par défaut, le 31 août."))
    imp_amount = ImpField()

    def __init__(self, *args, school, today, **kwargs):
        super().__init__(*args, **kwargs)
        # Only teachers: the direction cannot also be the school's RUPN (one role per person and school).
        self.fields["member"].queryset = (
            SchoolMembership.objects.filter(school=school, role__in=[SchoolRole.MEMBRE, SchoolRole.RUPN])
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        self.fields["school_year"].choices = year_choices(today)

    def clean(self):
        data = super().clean()
        who = data.get("who") or (self.WHO_INVITE if data.get("email") and not data.get("member") else "")
        who = who or (self.WHO_MEMBER if data.get("member") else "")
        if who == self.WHO_MEMBER:
            data["email"] = data["first_name"] = data["last_name"] = ""
            if not data.get("member") and "member" not in self.errors:
                self.add_error("member", _("Choisissez un membre de l'équipe dans la liste."))
        elif who == self.WHO_INVITE:
            data["member"] = None
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Donnez l'adresse électronique de la personne à inviter."))
        elif "member" not in self.errors and "email" not in self.errors:
            self.add_error(
                "member", _("Choisissez un membre de l'équipe ou donnez l'adresse d'une personne à inviter.")
            )
        year = data.get("school_year")
        if year:
            first, last = school_year_bounds(year)
            data["starts_on"] = data.get("starts_on") or first
            data["ends_on"] = data.get("ends_on") or last
        return data


class DesignationChangeForm(PilotisForm):
    starts_on = forms.DateField(label=_("Début"), widget=DATE)
    ends_on = forms.DateField(label=_("Fin prévue"), widget=DATE)
    imp_amount = ImpField()


class DesignationEndForm(PilotisForm):
    ends_on = forms.DateField(label=_("Date de fin de la désignation"), widget=DATE)


class RevisionForm(PilotisForm):
    """Every move of a letter says which version of it the page showed (a stale page is refused)."""

    seen_revision = RevisionField()


class SendBackForm(RevisionForm):
    comment = CleanCharField(label=_("Ce qui doit changer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class PresentationsForm(RevisionForm):
    pedagogical_council_on = forms.DateField(
        label=_("Présentée au conseil pédagogique le"), required=False, widget=DATE
    )
    board_on = forms.DateField(label=_("Présentée au conseil d'administration le"), required=False, widget=DATE)


PRIORITY_CHOICES = [("", _("Non retenue")), *MissionPriority.choices]


class LetterForm(RevisionForm):
    """The letter's content. One field per catalogue entry (`mission_<pk>`: not kept, main, secondary)
    and one checkbox list of indicators; the template lays them out by heading and by domain."""

    means_time = CleanCharField(
        label=_("Temps dégagé"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : une heure hebdomadaire inscrite à l'emploi du temps."),
    )
    means_equipment = CleanCharField(
        label=_("Équipement mis à disposition"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    means_room = CleanCharField(label=_("Salle ou espace de travail"), required=False, max_length=300)
    training = CleanCharField(
        label=_("Formations que suivra le RUPN"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pedagogical_council = forms.BooleanField(label=_("Membre du conseil pédagogique"), required=False)
    digital_commission = forms.BooleanField(label=_("Membre de la commission numérique"), required=False)
    free_text = CleanCharField(
        label=_("Texte libre"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicateurs SCHÉMATIC suivis"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    CONTENT = [
        "means_time",
        "means_equipment",
        "means_room",
        "training",
        "pedagogical_council",
        "digital_commission",
        "free_text",
    ]

    def __init__(self, *args, entries, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"mission_{entry.pk}"] = forms.ChoiceField(
                label=entry.text, choices=PRIORITY_CHOICES, required=False
            )
        self.fields["indicators"].queryset = indicators

    def mission_groups(self):
        """[(heading label, [(entry, bound field, function label)])] in the seed's order."""
        groups = []
        for heading in MissionHeading:
            rows = [
                (entry, self[f"mission_{entry.pk}"], RupnFunction(entry.function).label)
                for entry in self.entries
                if entry.heading == heading
            ]
            if rows:
                groups.append((heading.label, rows))
        return groups

    def indicator_groups(self):
        """[(domain title, [checkbox])], checkboxes in the referential's order."""
        groups, by_pk = {}, {i.pk: i for i in self.fields["indicators"].queryset}
        for checkbox in self["indicators"]:
            value = checkbox.data["value"]
            indicator = by_pk[int(getattr(value, "value", value))]
            groups.setdefault(indicator.domain.title, []).append((indicator, checkbox))
        return list(groups.items())

    def chosen_missions(self):
        return [
            (entry, self.cleaned_data[f"mission_{entry.pk}"])
            for entry in self.entries
            if self.cleaned_data.get(f"mission_{entry.pk}")
        ]

    def content(self):
        return {name: self.cleaned_data[name] for name in self.CONTENT}


class CatalogueEntryForm(PilotisForm):
    heading = forms.ChoiceField(label=_("Rubrique"), choices=MissionHeading.choices)
    function = forms.ChoiceField(label=_("Fonction du RUPN"), choices=RupnFunction.choices)
    text = CleanCharField(label=_("Mission"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), multiline=False)


class CatalogueEntryAddForm(CatalogueEntryForm):
    """Adds to the académie the DANE serves; the administrator (every académie) chooses which."""

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies = list(academies)
        if len(self.academies) > 1:
            self.fields["academy"] = forms.ModelChoiceField(
                label=_("Académie"), queryset=Academy.objects.filter(pk__in=[a.pk for a in self.academies])
            )

    def clean(self):
        data = super().clean()
        if len(self.academies) == 1:
            data["academy"] = self.academies[0]
        return data


class CatalogueEntryChangeForm(CatalogueEntryForm):
    is_active = forms.BooleanField(label=_("Proposée dans les nouvelles lettres"), required=False)
