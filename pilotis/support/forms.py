from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm, RevisionField
from pilotis.evidence.files import accepted_labels
from pilotis.support.enums import ChannelWay, RequestCategory, Urgency
from pilotis.support.services import ChannelInput, RequestInput
from pilotis.territories.enums import SchoolKind


class RequestForm(PilotisForm):
    """A request: what, how urgent, where; the channel follows from the category."""

    seen_revision = RevisionField(required=False)
    subject = CleanCharField(
        label=_("Objet"),
        max_length=150,
        help_text=_("En une ligne, par exemple « Le wifi de la salle B ne marche plus »."),
    )
    category = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[("", _("— Choisir une catégorie —")), *RequestCategory.choices],
        help_text=_("Elle décide de l'assistance qui reçoit la demande."),
    )
    urgency = forms.ChoiceField(label=_("Urgence"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = CleanCharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qui se passe, depuis quand, ce qui a déjà été essayé."),
    )
    place = CleanCharField(label=_("Lieu"), max_length=200, required=False)
    equipment = CleanCharField(
        label=_("Équipement concerné"),
        max_length=200,
        required=False,
        help_text=_("Par exemple un numéro d'inventaire ou « vidéoprojecteur de la salle 12 »."),
    )
    action = forms.TypedChoiceField(label=_("Action du plan liée"), coerce=int, required=False, empty_value=None)
    indicator_code = CleanCharField(
        label=_("Indicateur SCHÉMATIC lié"), max_length=20, required=False, help_text=_("Par exemple PIL.1.06.")
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("— Aucune —")), *[(a.pk, a.title) for a in actions]]

    def request_input(self) -> RequestInput:
        data = self.cleaned_data
        return RequestInput(
            subject=data["subject"],
            description=data["description"],
            category=data["category"],
            urgency=data["urgency"],
            place=data.get("place") or "",
            equipment=data.get("equipment") or "",
            action_id=data.get("action"),
            indicator_code=data.get("indicator_code") or "",
        )

    @staticmethod
    def initial_of(request) -> dict:
        return {
            "seen_revision": request.revision,
            "subject": request.subject,
            "category": request.category,
            "urgency": request.urgency,
            "description": request.description,
            "place": request.place,
            "equipment": request.equipment,
            "action": request.action_id,
            "indicator_code": request.indicator_code,
        }


class AttachmentForm(PilotisForm):
    file = forms.FileField(
        label=_("Fichier à joindre"),
        allow_empty_file=True,
        max_length=1000,
        error_messages={"required": _("Choisissez un fichier.")},
    )

    def __init__(self, *args, max_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s ; %(max)s au plus.") % {
            "types": accepted_labels(),
            "max": max_label,
        }


class PortalDoneForm(PilotisForm):
    reference = CleanCharField(
        label=_("Référence donnée par le portail"),
        max_length=100,
        required=False,
        help_text=_("Facultatif : le numéro de la demande sur le portail."),
    )


class ChannelForm(PilotisForm):
    name = CleanCharField(label=_("Nom"), max_length=120)
    way = forms.ChoiceField(label=_("Voie"), choices=ChannelWay.choices)
    email = forms.CharField(label=_("Adresse électronique (voie courriel)"), max_length=254, required=False)
    glpi_url = forms.CharField(
        label=_("Adresse de l'API GLPI (voie GLPI)"),
        max_length=300,
        required=False,
        help_text=_("Par exemple https://assistance.departement.fr/apirest.php"),
    )
    glpi_credentials = forms.CharField(
        label=_("Nom des identifiants GLPI (voie GLPI)"),
        max_length=40,
        required=False,
        help_text=_(
            "Le nom sous lequel l'hébergeur de Pilotis a configuré les jetons ; les jetons ne se saisissent pas ici."
        ),
    )
    portal_url = forms.CharField(label=_("Adresse du portail (voie lien)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in RequestCategory.choices:
            self.fields[f"glpi_category_{code}"] = forms.IntegerField(
                label=_("Catégorie GLPI n° pour « %(label)s »") % {"label": label},
                min_value=1,
                max_value=10**9,
                required=False,
            )

    def category_fields(self):
        return [self[f"glpi_category_{code}"] for code in RequestCategory.values]

    def channel_input(self) -> ChannelInput:
        data = self.cleaned_data
        return ChannelInput(
            name=data["name"],
            way=data["way"],
            email=data.get("email") or "",
            glpi_url=data.get("glpi_url") or "",
            glpi_credentials=data.get("glpi_credentials") or "",
            portal_url=data.get("portal_url") or "",
            glpi_categories={code: data.get(f"glpi_category_{code}") for code in RequestCategory.values},
        )

    @staticmethod
    def initial_of(channel) -> dict:
        return {
            "name": channel.name,
            "way": channel.way,
            "email": channel.email,
            "glpi_url": channel.glpi_url,
            "glpi_credentials": channel.glpi_credentials,
            "portal_url": channel.portal_url,
            **{f"glpi_category_{code}": value for code, value in (channel.glpi_categories or {}).items()},
        }


class RouteForm(PilotisForm):
    category = forms.ChoiceField(label=_("Catégorie"), choices=RequestCategory.choices)
    department = forms.TypedChoiceField(label=_("Département"), coerce=int, required=False, empty_value=None)
    school_kind = forms.ChoiceField(
        label=_("Type d'établissement"), choices=[("", _("Tous les types")), *SchoolKind.choices], required=False
    )
    channel = forms.TypedChoiceField(label=_("Canal"), coerce=int)

    def __init__(self, *args, departments=(), channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Tous les départements")), *[(d.pk, d.name) for d in departments]]
        self.fields["channel"].choices = [(c.pk, c.name) for c in channels]
