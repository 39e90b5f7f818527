from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, InstanceChoiceField, PilotisForm
from pilotis.territories.enums import SchoolKind, Sector


class SchoolFilterForm(PilotisForm):
    q = CleanCharField(label=_("Rechercher"), help_text=_("Nom, UAI ou commune"), required=False, max_length=100)
    department = InstanceChoiceField(label=_("Département"), required=False, empty_label=_("Tous"))
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Tous"))] + SchoolKind.choices, required=False)
    sector = forms.ChoiceField(label=_("Secteur"), choices=[("", _("Tous"))] + Sector.choices, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].instances = departments

    def filter(self, schools):
        if not self.is_valid():
            return schools.none()
        data = self.cleaned_data
        schools = schools.search(data["q"])
        if data["department"]:
            schools = schools.filter(department=data["department"])
        if data["kind"]:
            schools = schools.filter(kind=data["kind"])
        if data["sector"]:
            schools = schools.filter(sector=data["sector"])
        return schools
