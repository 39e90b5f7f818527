"""The DANE's campaigns: opening (possibly in advance), closing, reopening, deleting one no school
answered, and moving its dates — each a service with its audit row, behind a confirmation page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from pilotis.assessments.campaigns import (
    campaign_progress,
    change_campaign_dates,
    close_campaign,
    delete_campaign,
    deletion_refusal,
    open_campaign,
    reopen_campaign,
)
from pilotis.assessments.forms import CampaignDatesForm, CampaignForm
from pilotis.assessments.models import Campaign
from pilotis.core import formats
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.guards import get_or_refuse, guarded
from pilotis.territories.models import Academy
from pilotis.territories.perms import is_dane


@require_http_methods(["GET", "POST"])
@guarded("campaign:manage", is_dane)
def campaigns(request):
    academies = Academy.objects.led_by(request.user)
    form = CampaignForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            open_campaign(
                academy=data["academy"],
                school_year=data["school_year"],
                referential=data["referential"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _opened_message(request, data["school_year"], data["opens_on"])
            return redirect("campaigns:list")
    rows = Campaign.objects.managed_by(request.user).select_related("academy", "referential").order_by("-school_year")
    return render(
        request,
        "assessments/campaigns.html",
        {"campaigns": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _opened_message(request, year, opens_on):
    campaign = Campaign(school_year=year, opens_on=opens_on)
    if campaign.is_scheduled:
        messages.success(
            request,
            _("La campagne %(year)s est programmée : elle ouvrira aux établissements le %(day)s.")
            % {"year": year, "day": formats.day(opens_on)},
        )
    else:
        messages.success(request, _("La campagne %(year)s est ouverte.") % {"year": year})


def _managed_campaign(request, pk, what):
    return get_or_refuse(
        request,
        Campaign.objects.managed_by(request.user).select_related("academy"),
        what=what,
        pk=pk,
    )


def _act(request, service, campaign, done: str):
    """The confirmed POST: the service acts or says why not, and the campaigns' page tells."""
    try:
        service(campaign, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"year": campaign.school_year})
    return redirect("campaigns:list")


@require_http_methods(["GET", "POST"])
@guarded("campaign:manage", is_dane)
def campaign_close(request, pk):
    """Closing freezes every school's assessment: the page says where the schools stand first."""
    campaign = _managed_campaign(request, pk, "campaign")
    if request.method == "GET":
        progress = campaign_progress(campaign)
        refusal = _("Cette campagne est déjà close.") if campaign.is_closed else ""
        return confirmation_page(
            request,
            Confirmation(
                title=_("Clore la campagne %(year)s — %(academy)s")
                % {"year": campaign.school_year, "academy": campaign.academy.name},
                action_label=_("Clore la campagne"),
                cancel_url=reverse("campaigns:list"),
                consequences=[
                    _(
                        "Les autodiagnostics de tous les établissements seront figés : plus aucune réponse, "
                        "validation ni réouverture."
                    ),
                    ngettext(
                        "%(n)d établissement n’a pas commencé son autodiagnostic.",
                        "%(n)d établissements n’ont pas commencé leur autodiagnostic.",
                        progress.not_started,
                    )
                    % {"n": progress.not_started},
                    ngettext(
                        "%(n)d établissement est en cours de saisie (commencé, non validé).",
                        "%(n)d établissements sont en cours de saisie (commencés, non validés).",
                        progress.filling,
                    )
                    % {"n": progress.filling},
                    ngettext(
                        "%(n)d établissement a validé son autodiagnostic.",
                        "%(n)d établissements ont validé leur autodiagnostic.",
                        progress.validated,
                    )
                    % {"n": progress.validated},
                    _("Vous pourrez rouvrir la campagne depuis la page des campagnes."),
                ],
                danger=True,
                refusal=refusal,
            ),
        )
    close_campaign(campaign, by=request.user, request=request)
    messages.success(request, _("La campagne %(year)s est close.") % {"year": campaign.school_year})
    return redirect("campaigns:list")


@require_http_methods(["GET", "POST"])
@guarded("campaign:manage", is_dane)
def campaign_reopen(request, pk):
    campaign = _managed_campaign(request, pk, "campaign")
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Rouvrir la campagne %(year)s — %(academy)s")
                % {"year": campaign.school_year, "academy": campaign.academy.name},
                action_label=_("Rouvrir la campagne"),
                cancel_url=reverse("campaigns:list"),
                consequences=[
                    _("Les établissements pourront de nouveau renseigner leur autodiagnostic de %(year)s.")
                    % {"year": campaign.school_year},
                    _("Les autodiagnostics validés le restent ; la direction peut les rouvrir."),
                ],
                refusal="" if campaign.is_closed else _("Cette campagne n’est pas close."),
            ),
        )
    return _act(request, reopen_campaign, campaign, _("La campagne %(year)s est rouverte."))


@require_http_methods(["GET", "POST"])
@guarded("campaign:manage", is_dane)
def campaign_delete(request, pk):
    """Only a campaign no school has answered (opened by mistake) can be deleted."""
    campaign = _managed_campaign(request, pk, "campaign")
    if request.method == "GET":
        refusal = deletion_refusal(campaign)
        return confirmation_page(
            request,
            Confirmation(
                title=_("Supprimer la campagne %(year)s — %(academy)s")
                % {"year": campaign.school_year, "academy": campaign.academy.name},
                action_label=_("Supprimer la campagne"),
                cancel_url=reverse("campaigns:list"),
                # What would happen, only when it can: a refused deletion says why instead.
                consequences=[]
                if refusal
                else [
                    _("La campagne %(year)s disparaîtra pour tous les établissements de l’académie.")
                    % {"year": campaign.school_year},
                    _("Aucun établissement n’y a répondu : aucune réponse ne sera perdue."),
                ],
                danger=True,
                refusal=refusal,
            ),
        )
    return _act(request, delete_campaign, campaign, _("La campagne %(year)s est supprimée."))


@require_http_methods(["GET", "POST"])
@guarded("campaign:manage", is_dane)
def campaign_edit(request, pk):
    """The campaign's dates (its year and referential are fixed once schools may answer)."""
    campaign = _managed_campaign(request, pk, "campaign")
    form = CampaignDatesForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            change_campaign_dates(
                campaign,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Les dates de la campagne %(year)s sont enregistrées.") % {"year": campaign.school_year}
            )
            return redirect("campaigns:list")
    return render(
        request,
        "assessments/campaign_edit.html",
        {"campaign": campaign, "form": form},
        status=400 if request.method == "POST" else 200,
    )
