from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, CleanEmailField, PilotisForm, RevisionField
from pilotis.equipment import states
from pilotis.equipment.enums import Funder, NeedCategory, NeedState
from pilotis.equipment.services import INFRASTRUCTURE, MAX_QUANTITY, NeedInput

COST_ERROR = _("Indiquez un montant en euros, par exemple 1250 ou 312,50.")


def indicator_label(indicator) -> str:
    return f"{indicator.code} — {indicator.statement[:140]}"


class NeedForm(PilotisForm):
    """A need: what, how many, where, why, which indicators, what it costs, who pays."""

    seen_revision = RevisionField(required=False)
    category = forms.ChoiceField(label=_("Catégorie"), choices=[("", _("— Choisir —")), *NeedCategory.choices])
    object = CleanCharField(
        label=_("Objet"), max_length=200, help_text=_("En une ligne, par exemple « Vidéoprojecteur interactif ».")
    )
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=MAX_QUANTITY)
    place = CleanCharField(
        label=_("Lieu"), max_length=200, required=False, help_text=_("Par exemple « Salle 12, bâtiment B ».")
    )
    why = CleanCharField(
        label=_("Justification"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("À quels usages il servira, ce qu’il remplace, ce qui bloque aujourd’hui."),
    )
    infrastructure = forms.MultipleChoiceField(
        label=_("Indicateurs du domaine Infrastructure que ce besoin permettrait d’atteindre"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Un des indicateurs choisis n’est pas dans le référentiel.")},
    )
    other_indicators = forms.MultipleChoiceField(
        label=_("Indicateurs d’autres domaines"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Plusieurs choix possibles (Ctrl ou Cmd + clic)."),
        error_messages={"invalid_choice": _("Un des indicateurs choisis n’est pas dans le référentiel.")},
    )
    estimated_cost = CleanCharField(
        label=_("Coût estimé (en euros)"),
        max_length=20,
        required=False,
        help_text=_("Toutes taxes comprises, pour la quantité demandée. Par exemple 1250 ou 312,50."),
    )
    funder = forms.ChoiceField(label=_("Financeur"), choices=Funder.choices)
    # fmt: skip

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        infra = [(i.code, indicator_label(i)) for i in indicators if i.domain.code == INFRASTRUCTURE]
        other = [(i.code, indicator_label(i)) for i in indicators if i.domain.code != INFRASTRUCTURE]
        self.fields["infrastructure"].choices = infra
        self.fields["other_indicators"].choices = other

    def clean_estimated_cost(self):
        text = (self.cleaned_data.get("estimated_cost") or "").replace("\u00a0", "").replace(" ", "")
        text = text.removesuffix("€").replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(COST_ERROR) from None
        if not amount.is_finite():
            raise forms.ValidationError(COST_ERROR)
        if amount < 0:
            raise forms.ValidationError(_("Le coût estimé ne peut pas être négatif."))
        return amount

    def need_input(self) -> NeedInput:
        data = self.cleaned_data
        return NeedInput(
            category=data["category"],
            object=data["object"],
            quantity=data["quantity"],
            funder=data["funder"],
            place=data.get("place") or "",
            why=data.get("why") or "",
            indicator_codes=[*data.get("infrastructure", []), *data.get("other_indicators", [])],
            estimated_cost=data.get("estimated_cost"),
        )

    @staticmethod
    def initial_of(need) -> dict:
        codes = list(need.indicator_codes)
        return {
            "seen_revision": need.revision,
            "category": need.category,
            "object": need.object,
            "quantity": need.quantity,
            "place": need.place,
            "why": need.why,
            "infrastructure": [c for c in codes if c.split(".", 1)[0] == INFRASTRUCTURE],
            "other_indicators": [c for c in codes if c.split(".", 1)[0] != INFRASTRUCTURE],
            "estimated_cost": str(need.estimated_cost).replace(".", ",") if need.estimated_cost is not None else "",
            "funder": need.funder,
        }


class StateForm(PilotisForm):
    """One step of a need's life, with a dated note."""

    seen_revision = RevisionField(required=False)
    target = forms.ChoiceField(label=_("Nouvel état"), choices=NeedState.choices)
    note = CleanCharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple la réponse de la collectivité, la date de livraison prévue."),
    )  # fmt: skip

    def __init__(self, *args, need=None, rank=False, **kwargs):
        super().__init__(*args, **kwargs)
        if need is not None and not self.is_bound:
            # Offer the next states only; a posted one is checked by the services (`states`).
            offered = [s for s in states.next_states(need.state) if rank or s != NeedState.PRIORITISED]
            self.fields["target"].choices = [(s, NeedState(s).label) for s in offered]


class RankForm(PilotisForm):
    """The direction's order: a number per need (1 first), blank for a need not prioritised."""

    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = list(needs)
        for need in self.needs:
            self.fields[f"rank_{need.pk}"] = forms.IntegerField(
                label=_("Rang de « %(object)s »") % {"object": need.object},
                min_value=1,
                max_value=999,
                required=False,
            )

    def rank_fields(self):
        return [(need, self[f"rank_{need.pk}"]) for need in self.needs]

    def ranks(self) -> dict:
        return {need.pk: self.cleaned_data.get(f"rank_{need.pk}") for need in self.needs}


class CollectivityForm(PilotisForm):
    name = CleanCharField(label=_("Nom de la collectivité"), max_length=200)
    email = CleanEmailField(
        label=_("Adresse électronique de réception des demandes"), required=False,
        help_text=_("Laissée vide, les établissements téléchargent leur demande et l’envoient eux-mêmes."),
    )  # fmt: skip


class TerritoryFilterForm(PilotisForm):
    """The territory view's filters; a value that does not validate is ignored, and said."""

    department = forms.ChoiceField(label=_("Département"), required=False)
    category = forms.ChoiceField(
        label=_("Catégorie"), required=False, choices=[("", _("Toutes")), *NeedCategory.choices]
    )
    state = forms.ChoiceField(label=_("État"), required=False, choices=[("", _("Tous")), *NeedState.choices])
    # fmt: skip

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.code: d for d in departments}
        self.fields["department"].choices = [("", _("Tous"))] + [(d.code, f"{d.code} — {d.name}") for d in departments]

    def value(self, name):
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None
