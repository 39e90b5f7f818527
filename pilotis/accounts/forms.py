from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.forms import CleanCharField, CleanEmailField, PilotisForm, PilotisFormMixin
from pilotis.territories.models import Department


class LoginForm(PilotisFormMixin, DsfrBaseForm, auth_forms.AuthenticationForm):
    username = CleanCharField(label=_("Identifiant ou adresse électronique"), max_length=254)
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm caps the field at the username's 150 characters; e-mails may be longer.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True, "maxlength": 254})


class PasswordResetForm(PilotisFormMixin, DsfrBaseForm, auth_forms.PasswordResetForm):
    email = CleanEmailField(label=_("Adresse électronique"), max_length=254)

    def get_users(self, email):
        # Invited users have no password yet: they set it through this same link.
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(email__iexact=email, is_active=True)


class SetPasswordForm(PilotisFormMixin, DsfrBaseForm, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit)
        audit.record(AuditAction.PASSWORD_RESET, actor=user, obj=user)
        return user


class PasswordChangeForm(PilotisFormMixin, DsfrBaseForm, auth_forms.PasswordChangeForm):
    def save(self, commit=True):
        user = super().save(commit)
        audit.record(AuditAction.PASSWORD_CHANGED, actor=user, obj=user)
        return user


class InviteMemberForm(PilotisForm):
    email = CleanEmailField(label=_("Adresse électronique"), max_length=254)
    first_name = CleanCharField(label=_("Prénom"), max_length=150)
    last_name = CleanCharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(label=_("Rôle"), choices=SchoolRole.choices, initial=SchoolRole.MEMBRE)


class ChangeRoleForm(PilotisForm):
    role = forms.ChoiceField(label=_("Nouveau rôle"), choices=SchoolRole.choices)


class TerritoryRoleForm(PilotisForm):
    email = CleanEmailField(label=_("Adresse électronique"), max_length=254)
    first_name = CleanCharField(label=_("Prénom"), max_length=150)
    last_name = CleanCharField(label=_("Nom"), max_length=150)
    kind = forms.ChoiceField(label=_("Rôle"), choices=TerritoryRoleKind.choices)
    department = forms.ModelChoiceField(
        label=_("Département (pour un correspondant)"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(academy__in=academies)
        self.academies = list(academies)
        if len(self.academies) > 1:
            self.fields["academy"] = forms.ModelChoiceField(
                label=_("Académie (pour la DANE)"), queryset=academies, required=False
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == TerritoryRoleKind.CORRESPONDANT and not data.get("department"):
            self.add_error("department", _("Choisissez le département du correspondant."))
        if data.get("kind") == TerritoryRoleKind.DANE:
            data["department"] = None
            if len(self.academies) == 1:
                data["academy"] = self.academies[0]
            elif not data.get("academy"):
                self.add_error("academy", _("Choisissez l'académie."))
        return data
