from django import forms
from dsfr.forms import DsfrBaseForm


class PilotisFormMixin:
    """DSFR rendering; optional fields are marked (the DSFR's current advice), not required ones."""

    def get_context(self):
        # DsfrBaseForm.get_context warns on every render about a transitional setting;
        # we adopt its future behaviour directly.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class PilotisForm(PilotisFormMixin, DsfrBaseForm):
    pass


def reject_control_characters(value: str) -> str:
    """NUL and other control characters never reach the database (check 10)."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value) or "\x7f" in value:
        raise forms.ValidationError("Ce champ contient des caractères non autorisés.")
    return value


class CleanCharField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return reject_control_characters(value) if value else value


class CleanEmailField(forms.EmailField):
    def clean(self, value):
        value = super().clean(value)
        return reject_control_characters(value).lower() if value else value
