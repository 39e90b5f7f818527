import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.api import services
from pilotis.core.forms import CleanCharField, PilotisForm


class TokenForm(PilotisForm):
    name = CleanCharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour le reconnaître : l’outil ou l’équipe qui s’en sert (« Tableau de bord de la DSDEN »)."),
    )
    expires_on = forms.DateField(
        label=_("Valable jusqu’au"),
        help_text=_("Inclus ; un an au plus."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"expires_on": timezone.localdate() + datetime.timedelta(days=services.DEFAULT_LIFETIME_DAYS)}
        )
        super().__init__(*args, **kwargs)

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        try:
            services.check_expiry(expires_on)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return expires_on
