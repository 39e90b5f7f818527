from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm, RevisionField
from pilotis.digital_services.enums import ServiceKind
from pilotis.digital_services.services import MAX_ADMINISTRATORS, ServiceInput


def member_label(membership) -> str:
    return f"{membership.user} — {membership.get_role_display()}"


class ServiceForm(PilotisForm):
    """A service of the register: what it is, who administers it, since when, who helps."""

    seen_revision = RevisionField(required=False)
    kind = forms.ChoiceField(label=_("Nature"), choices=[("", _("— Choisir —")), *ServiceKind.choices])
    name = CleanCharField(label=_("Nom du service"), max_length=120, help_text=_("Par exemple « Pronote », « Éléa »."))
    address = CleanCharField(
        label=_("Adresse"),
        max_length=500,
        required=False,
        help_text=_("L’adresse web complète, par exemple https://ent.example.fr."),
    )
    administrators = forms.TypedMultipleChoiceField(
        label=_("Administré à l’établissement par"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les membres de l’établissement qui ont les droits d’administration (%(n)d au plus).")
        % {"n": MAX_ADMINISTRATORS},
        error_messages={"invalid_choice": _("Un des administrateurs cochés n’est pas membre de l’établissement.")},
    )
    outside_administrator = CleanCharField(
        label=_("Administré hors de l’établissement par"),
        max_length=120,
        required=False,
        help_text=_("Une ligne, par exemple « Prestataire » ou « Collectivité »."),
    )
    since = CleanCharField(
        label=_("En service depuis"),
        max_length=10,
        required=False,
        help_text=_("Une année (2019) ou une date (15/09/2021)."),
    )
    support_channel = CleanCharField(
        label=_("Assistance"),
        max_length=120,
        required=False,
        help_text=_("À qui s’adresser en cas de problème : AMÉRANA, Lycée connecté, Département, Éditeur…"),
    )
    note = CleanCharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people=(), **kwargs):
        """`people`: (user id, label) of whom may be ticked."""
        super().__init__(*args, **kwargs)
        self.fields["administrators"].choices = list(people)
        self.fields["support_channel"].widget.attrs["list"] = "support-channels"

    def service_input(self) -> ServiceInput:
        data = self.cleaned_data
        return ServiceInput(
            kind=data["kind"],
            name=data["name"],
            address=data.get("address") or "",
            administrator_ids=list(data.get("administrators") or []),
            outside_administrator=data.get("outside_administrator") or "",
            since=data.get("since") or "",
            support_channel=data.get("support_channel") or "",
            note=data.get("note") or "",
        )

    @staticmethod
    def initial_of(service, administrator_ids) -> dict:
        return {
            "seen_revision": service.revision,
            "kind": service.kind,
            "name": service.name,
            "address": service.address,
            "administrators": administrator_ids,
            "outside_administrator": service.outside_administrator,
            "since": service.since_input,
            "support_channel": service.support_channel,
            "note": service.note,
        }


class KindFilterForm(forms.Form):
    """The register's filter (`?nature=ent`); an unknown value shows everything."""

    nature = forms.ChoiceField(label=_("Nature"), choices=[("", _("Toutes")), *ServiceKind.choices], required=False)
