from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, CleanEmailField, PilotisForm, RevisionField
from pilotis.newsletters.enums import Rhythm
from pilotis.newsletters.services import MAX_BODY


class NewsletterForm(PilotisForm):
    seen_revision = RevisionField()
    title = CleanCharField(label=_("Titre"), max_length=200)
    body = CleanCharField(
        label=_("Texte"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "En Markdown : « ## » devant un titre de rubrique, « - » devant chaque élément d’une liste, "
            "**gras**, *italique*, [texte du lien](https://…)."
        ),
    )


class ProofreadForm(PilotisForm):
    seen_revision = RevisionField()
    comment = CleanCharField(
        label=_("Commentaire pour le RUPN"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RhythmForm(PilotisForm):
    rhythm = forms.ChoiceField(
        label=_("Rythme de parution"),
        choices=Rhythm.choices,
        help_text=_("Pilotis rappelle au RUPN qu’un flash'infos est attendu, à ce rythme."),
    )


class ListAddressForm(PilotisForm):
    email = CleanEmailField(label=_("Adresse électronique"), max_length=254)
    label = CleanCharField(
        label=_("Libellé"), required=False, max_length=200, help_text=_("Par exemple : association de parents, CDI.")
    )
