"""« Mon compte » › « Jetons d’accès à l’API »: a person's own tokens. The list, the creation (the
token shown once, on the page that answers the creation, never again), the revocation (a
confirmation page first)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.api import services
from pilotis.api.forms import TokenForm
from pilotis.api.models import AccessToken
from pilotis.api.perms import can_use_api
from pilotis.core.confirm import Confirmation, carry_out, confirmation_page
from pilotis.core.formats import day
from pilotis.core.guards import get_or_refuse, guarded

GUARD = "api_token:manage"


@require_GET
@guarded(GUARD, can_use_api)
def token_list(request):
    tokens = AccessToken.objects.for_user(request.user)
    return render(request, "api/tokens.html", {"tokens": tokens})


@require_http_methods(["GET", "POST"])
@guarded(GUARD, can_use_api)
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(
            request.user, name=form.cleaned_data["name"], expires_on=form.cleaned_data["expires_on"], request=request
        )
        response = render(request, "api/token_created.html", {"token": token, "secret": secret})
        add_never_cache_headers(response)  # the secret must not stay in a cache
        return response
    return render(request, "api/token_form.html", {"form": form}, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@guarded(GUARD, can_use_api)
def token_revoke(request, pk):
    token = get_or_refuse(request, AccessToken.objects.for_user(request.user), what="api_token", pk=pk)
    back = reverse("api_tokens:list")
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Révoquer le jeton « %(name)s » ?") % {"name": token.name},
                action_label=_("Révoquer le jeton"),
                cancel_url=back,
                consequences=[
                    _("Les outils qui s’en servent ne pourront plus lire l’API, dès leur prochain appel."),
                    _("Un jeton révoqué ne peut pas être rétabli : il faudra en créer un autre."),
                ],
                danger=True,
                refusal=_("Ce jeton est déjà révoqué.") if token.is_revoked else "",
            ),
        )
    if token.is_revoked:
        messages.info(request, _("Ce jeton est déjà révoqué."))
        return redirect(back)
    return carry_out(
        request,
        lambda: services.revoke_token(token, by=request.user, request=request),
        success=_("Le jeton « %(name)s » est révoqué (il expirait le %(day)s).")
        % {"name": token.name, "day": day(token.valid_until)},
        then=back,
    )
