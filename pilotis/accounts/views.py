import json
import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.accounts import proconnect, services
from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.accounts.forms import (
    ChangeRoleForm,
    InviteMemberForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    TerritoryRoleForm,
)
from pilotis.accounts.middleware import CURRENT_SCHOOL_KEY
from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.core import personal_data
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.exporters import attachment_response
from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.territories.guards import school_view
from pilotis.territories.models import Academy
from pilotis.territories.perms import follows_territory, is_dane


@require_GET
def home(request):
    """Each role lands on its work: the school's page, or the territory's schools."""
    if request.current_school:  # a lazy object: test its truth, not its identity
        return redirect("territories:school_detail", request.current_school.uai)
    if follows_territory(request.user):
        return redirect("schools:list")
    return render(request, "accounts/no_role.html")


# --- Sign-in and passwords (Django's views, our forms and templates) --------------------------


class LoginView(auth_views.LoginView):
    """The password form, ProConnect's button, or both (accounts.proconnect.login_context)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | proconnect.login_context()

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_ACCOUNTS_ENABLED:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)


login = login_not_required(LoginView.as_view())
_logout = auth_views.LogoutView.as_view()


@require_POST
def logout(request):
    """Signing out of Pilotis ends the ProConnect session it was opened with, too."""
    end_session = proconnect.end_session_url(request)  # before the session is flushed
    response = _logout(request)
    return redirect(end_session) if end_session else response


password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=PasswordResetForm,
        email_template_name="accounts/emails/password_reset.txt",
        subject_template_name="accounts/emails/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=SetPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    form_class=PasswordChangeForm,
    success_url=reverse_lazy("accounts:profile"),
)


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=429)


# --- The user's own space ------------------------------------------------------------------


@require_GET
def profile(request):
    memberships = request.user.school_memberships.select_related("school__department")
    territory_roles = request.user.territory_roles.select_related("department", "academy")
    return render(request, "accounts/profile.html", {"memberships": memberships, "territory_roles": territory_roles})


@require_GET
def my_data(request):
    """Everything Pilotis holds about the signed-in person, as one JSON file (their right of access). Their
    own rows only: every section reads by `user`, never by a parameter of the request."""
    data = personal_data.gather(request.user)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
    filename = f"pilotis-mes-donnees-{timezone.now():%Y-%m-%d}.json"
    return attachment_response(content, filename)


@require_http_methods(["GET", "POST"])
def my_schools(request):
    """The schools where the user holds a role; choosing one makes it the current school."""
    if request.method == "POST":
        uai = request.POST.get("uai", "")
        chosen = next((s for s in request.my_schools if s.uai == uai), None)
        if chosen is None:
            refuse(request, what=f"switch school {uai[:8]}")
        request.session[CURRENT_SCHOOL_KEY] = chosen.pk
        messages.success(request, _("Vous travaillez maintenant pour %(school)s.") % {"school": chosen.name})
        return redirect("territories:school_detail", chosen.uai)
    return render(request, "accounts/my_schools.html", {"schools": request.my_schools})


# --- A school's members (managed by its direction) -------------------------------------------


def _sort_key(membership):
    """By name, accent- and case-insensitive, then by id: a row stays where it is when its role changes."""
    user = membership.user

    def plain(text):
        return "".join(c for c in unicodedata.normalize("NFD", text or "") if not unicodedata.combining(c)).casefold()

    return (plain(user.last_name), plain(user.first_name), plain(user.email), membership.pk)


def _members_page(request, school, *, invite_form=None, status=200):
    memberships = sorted(SchoolMembership.objects.filter(school=school).select_related("user"), key=_sort_key)
    manage = request.abilities.get("manage_members")
    pending = [m for m in memberships if services.invitation_pending(m.user)]
    sent_at = services.invitations_sent_at(pending) if pending else {}
    rows = [
        {
            "membership": m,
            "form": ChangeRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"),
            "invited_on": sent_at.get(m.pk),
        }
        for m in memberships
    ]
    return render(
        request,
        "accounts/members.html",
        {
            "school": school,
            "abilities": request.abilities,
            "rows": rows,
            "manage": manage,
            "invite_form": invite_form or InviteMemberForm(),
        },
        status=status,
    )


@require_GET
@school_view("see_members", guard="member:read")
def members(request, school):
    return _members_page(request, school)


@require_POST
@school_view("manage_members", guard="member:manage")
def member_invite(request, school):
    form = InviteMemberForm(request.POST)
    if form.is_valid():
        try:
            membership = services.invite_member(school, **form.cleaned_data, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request,
                _("%(name)s a été ajouté(e) à l'équipe et a reçu un courriel d'invitation.")
                % {"name": services.person_label(membership.user)},
            )
            return redirect("members:list", school.uai)
    return _members_page(request, school, invite_form=form, status=400)


def _membership_or_404(request, school, pk):
    return get_or_refuse(
        request, SchoolMembership.objects.select_related("user").filter(school=school), what="membership", pk=pk
    )


@require_POST
@school_view("manage_members", guard="member:manage")
def member_change_role(request, school, pk):
    membership = _membership_or_404(request, school, pk)
    form = ChangeRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle dans la liste."))
        return redirect("members:list", school.uai)
    try:
        services.change_member_role(membership, role=form.cleaned_data["role"], by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Le rôle de %(name)s est maintenant : %(role)s.")
            % {"name": membership.user, "role": SchoolRole(form.cleaned_data["role"]).label},
        )
    return redirect("members:list", school.uai)


@require_http_methods(["GET", "POST"])
@school_view("manage_members", guard="member:manage")
def member_remove(request, school, pk):
    """GET: who leaves, what they lose; the POST removes them."""
    membership = _membership_or_404(request, school, pk)
    if request.method == "GET":
        return confirmation_page(request, _remove_confirmation(request, school, membership))
    try:
        services.remove_member(membership, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s ne fait plus partie de l'équipe.") % {"name": membership.user})
    return redirect("members:list", school.uai)


def _remove_confirmation(request, school, membership) -> Confirmation:
    user = membership.user
    name = str(user)
    others = SchoolMembership.objects.filter(user=user).exclude(pk=membership.pk).count()
    consequences = [
        _("%(name)s ne pourra plus accéder à l'établissement %(school)s.") % {"name": name, "school": school.name},
        _("Son rôle « %(role)s » lui est retiré.") % {"role": membership.get_role_display()},
    ]
    if others:
        consequences.append(
            ngettext(
                "Son autre établissement ne change pas ; son compte reste ouvert.",
                "Ses %(count)s autres établissements ne changent pas ; son compte reste ouvert.",
                others,
            )
            % {"count": others}
        )
    else:
        consequences.append(_("Son compte reste ouvert, mais sans établissement."))
    consequences.append(_("Ses contributions (réponses, historique) restent à l'établissement."))
    refusal = ""
    if (
        membership.role in SchoolRole.direction()
        and not (
            SchoolMembership.objects.filter(school=school, role__in=SchoolRole.direction()).exclude(pk=membership.pk)
        ).exists()
    ):
        refusal = _("L'établissement doit garder au moins un membre de l'équipe de direction.")
    return Confirmation(
        title=_("Retirer %(name)s de l'équipe") % {"name": name},
        action_label=_("Retirer de l'équipe"),
        cancel_url=reverse("members:list", args=[school.uai]),
        consequences=consequences,
        warnings_title=_("Sa mission de RUPN"),
        warnings=services.removal_warnings(membership),
        danger=True,
        refusal=refusal,
    )


@require_POST
@school_view("manage_members", guard="member:manage")
def member_resend(request, school, pk):
    membership = _membership_or_404(request, school, pk)
    try:
        services.resend_invitation(membership, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("L'invitation est envoyée à nouveau à %(name)s, avec un nouveau lien pour choisir son mot de passe.")
            % {"name": services.person_label(membership.user)},
        )
    return redirect("members:list", school.uai)


# --- Territory roles (managed by the DANE) -------------------------------------------------


def _territory_roles_page(request, form=None, status=200):
    roles = (
        TerritoryRole.objects.for_user(request.user)
        .select_related("user", "department", "academy")
        .order_by("kind", "department__code", "user__last_name")
    )
    academies = Academy.objects.led_by(request.user)
    return render(
        request,
        "accounts/territory_roles.html",
        {"roles": roles, "form": form or TerritoryRoleForm(academies=academies)},
        status=status,
    )


@require_GET
@guarded("territory_role:manage", is_dane)
def territory_roles(request):
    return _territory_roles_page(request)


@require_POST
@guarded("territory_role:manage", is_dane)
def territory_role_add(request):
    form = TerritoryRoleForm(request.POST, academies=Academy.objects.led_by(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_territory_role(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                kind=data["kind"],
                department=data["department"] if data["kind"] == TerritoryRoleKind.CORRESPONDANT else None,
                academy=data.get("academy") if data["kind"] == TerritoryRoleKind.DANE else None,
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("Le rôle a été attribué à %(email)s.") % {"email": data["email"]})
            return redirect("accounts:territory_roles")
    return _territory_roles_page(request, form=form, status=400)


@require_POST
@guarded("territory_role:manage", is_dane)
def territory_role_remove(request, pk):
    role = get_or_refuse(
        request, TerritoryRole.objects.for_user(request.user).select_related("user"), what="territory_role", pk=pk
    )
    if role.user_id == request.user.pk and role.kind == TerritoryRoleKind.DANE:
        messages.error(request, _("Vous ne pouvez pas retirer votre propre rôle DANE."))
    else:
        services.revoke_territory_role(role, by=request.user, request=request)
        messages.success(request, _("Le rôle de %(name)s a été retiré.") % {"name": role.user})
    return redirect(reverse("accounts:territory_roles"))
