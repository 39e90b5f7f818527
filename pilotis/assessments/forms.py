from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.enums import AnswerStatus
from pilotis.core.forms import CleanCharField, PilotisForm, RevisionField
from pilotis.core.school_years import is_school_year
from pilotis.referential.models import ReferentialVersion
from pilotis.territories.models import Academy


class AnswerForm(forms.Form):
    """Parses the autosave's post; never rendered (the domain page writes its own inputs), so it
    skips the DSFR form's per-field set-up."""

    status = forms.ChoiceField(choices=[("", _("Non renseigné"))] + AnswerStatus.choices, required=False)
    comment = CleanCharField(label=_("Commentaire"), required=False, max_length=2000, strip=True, multiline=True)
    seen_revision = RevisionField(required=False)


class CampaignForm(PilotisForm):
    school_year = CleanCharField(label=_("Année scolaire"), help_text=_("Par exemple 2026-2027"), max_length=9)
    referential = forms.ModelChoiceField(
        label=_("Version du référentiel"), queryset=ReferentialVersion.objects.all(), empty_label=None
    )
    opens_on = forms.DateField(label=_("Ouverture"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Clôture prévue"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies = list(academies)
        if len(self.academies) > 1:
            self.fields["academy"] = forms.ModelChoiceField(
                label=_("Académie"), queryset=Academy.objects.filter(pk__in=[a.pk for a in self.academies])
            )

    def clean_school_year(self):
        value = self.cleaned_data["school_year"]
        if not is_school_year(value):
            raise forms.ValidationError(_("Écrivez l'année scolaire sous la forme 2026-2027."))
        return value

    def clean(self):
        data = super().clean()
        if len(self.academies) == 1:
            data["academy"] = self.academies[0]
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        return data


class CampaignDatesForm(PilotisForm):
    opens_on = forms.DateField(
        label=_("Ouverture"),
        help_text=_("Pendant l’année scolaire de la campagne (du 1er septembre au 31 août)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    closes_on = forms.DateField(label=_("Clôture prévue"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, campaign, **kwargs):
        kwargs.setdefault("initial", {"opens_on": campaign.opens_on, "closes_on": campaign.closes_on})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        return data
