from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm
from pilotis.evidence.enums import PieceKind, Target
from pilotis.evidence.files import accepted_labels


class TargetForm(PilotisForm):
    """What the piece is attached to, carried by hidden fields and checked by the view against the
    school of the URL (another school's thing is a 404), and where to come back."""

    kind = forms.ChoiceField(choices=PieceKind.choices, required=False, widget=forms.HiddenInput)
    target = forms.ChoiceField(choices=Target.choices, widget=forms.HiddenInput)
    target_id = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    next = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class FileForm(TargetForm):
    file = forms.FileField(
        label=_("Fichier"),
        help_text="",
        allow_empty_file=True,  # an empty file gets the evidence's own sentence (files.check_upload)
        max_length=1000,
        error_messages={"required": _("Choisissez un fichier.")},
    )

    def __init__(self, *args, max_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s ; %(max)s au plus.") % {
            "types": accepted_labels(),
            "max": max_label,
        }
        self._bound_fields_cache.pop("file", None)  # bound before the hint was known


class LinkForm(TargetForm):
    url = forms.CharField(
        label=_("Adresse du lien"),
        max_length=1000,
        help_text=_("Commençant par https:// ou http://"),
        error_messages={"required": _("Indiquez l'adresse du lien.")},
    )
    title = CleanCharField(label=_("Titre du lien"), max_length=150, required=False)
