"""The campaigns' lifecycle: opening, closing, reopening, deleting and re-dating a campaign, each
in a transaction with its audit row. The admin and the DANE's pages go through these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.assessments import tallies
from pilotis.assessments.enums import CampaignState
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import school_year_of
from pilotis.territories.models import School


def check_dates(school_year, opens_on, closes_on) -> None:
    """A campaign closes after it opens, and opens within its own school year (1 September to
    31 August): the day it opens is the day it becomes its schools' current campaign, so a
    campaign can never take over the schools during another school year."""
    if closes_on < opens_on:
        raise ValidationError(_("La date de clôture doit suivre la date d'ouverture."))
    if school_year_of(opens_on) != school_year:
        start = int(school_year[:4])
        raise ValidationError(
            _(
                "La campagne %(year)s doit ouvrir pendant son année scolaire, entre le 1er septembre %(start)d "
                "et le 31 août %(end)d."
            )
            % {"year": school_year, "start": start, "end": start + 1}
        )


@transaction.atomic
def open_campaign(*, academy, school_year, referential, opens_on, closes_on, by, request=None) -> Campaign:
    """Creates the académie's campaign of a school year. It is « Programmée » until `opens_on`,
    then its schools' current campaign (CampaignQuerySet.current)."""
    check_dates(school_year, opens_on, closes_on)
    if Campaign.objects.filter(academy=academy, school_year=school_year).exists():
        raise ValidationError(_("Une campagne existe déjà pour cette année scolaire dans l'académie."))
    campaign = Campaign.objects.create(
        academy=academy,
        school_year=school_year,
        referential=referential,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    if referential.locked_at is None:
        # From now on the version's content may not change (the loader refuses it).
        referential.locked_at = timezone.now()
        referential.save(update_fields=["locked_at"])
    audit.record(
        AuditAction.CAMPAIGN_OPENED,
        actor=by,
        obj=campaign,
        after={
            "year": school_year,
            "referential": referential.version,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "state": campaign.state,
        },
        request=request,
    )
    return campaign


def campaign_progress(campaign) -> tallies.Progress:
    """The académie's open schools in the campaign: not started, filling in, validated."""
    schools = School.objects.filter(department__academy_id=campaign.academy_id, is_open=True).count()
    return tallies.Progress(schools, *tallies.progress_sums(campaign))


@transaction.atomic
def close_campaign(campaign, *, by, request=None) -> Campaign:
    """Freezes every assessment of the campaign (no answer, validation or reopening)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.CLOSED:
        before = campaign.state
        campaign.state = CampaignState.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        audit.record(
            AuditAction.CAMPAIGN_CLOSED,
            actor=by,
            obj=campaign,
            before={"state": before},
            after={"state": campaign.state},
            request=request,
        )
    return campaign


@transaction.atomic
def reopen_campaign(campaign, *, by, request=None) -> Campaign:
    """Undoes a closure: the schools may answer again (those that had validated stay validated)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.CLOSED:
        raise ValidationError(_("Cette campagne n'est pas close."))
    closed_at = campaign.closed_at
    campaign.state = CampaignState.OPEN
    campaign.closed_at = None
    campaign.save(update_fields=["state", "closed_at"])
    audit.record(
        AuditAction.CAMPAIGN_REOPENED,
        actor=by,
        obj=campaign,
        before={"state": CampaignState.CLOSED, "closed_at": closed_at.isoformat() if closed_at else None},
        after={"state": campaign.state},
        request=request,
    )
    return campaign


def deletion_refusal(campaign) -> str:
    """Why the campaign cannot be deleted (empty: it can). A school's answers are its history."""
    started = Assessment.objects.filter(campaign=campaign).count()
    if started:
        return ngettext(
            "%(n)d établissement a déjà répondu à cette campagne : elle ne peut pas être supprimée. "
            "Vous pouvez la clore.",
            "%(n)d établissements ont déjà répondu à cette campagne : elle ne peut pas être supprimée. "
            "Vous pouvez la clore.",
            started,
        ) % {"n": started}
    return ""


@transaction.atomic
def delete_campaign(campaign, *, by, request=None) -> None:
    """Deletes a campaign no school has answered (one opened by mistake); refused otherwise."""
    campaign = Campaign.objects.select_for_update().select_related("academy", "referential").get(pk=campaign.pk)
    refusal = deletion_refusal(campaign)
    if refusal:
        raise ValidationError(refusal)
    audit.record(
        AuditAction.CAMPAIGN_DELETED,
        actor=by,
        obj=campaign,
        before={
            "year": campaign.school_year,
            "academy": campaign.academy.code,
            "referential": campaign.referential.version,
            "opens_on": campaign.opens_on.isoformat(),
            "closes_on": campaign.closes_on.isoformat(),
            "state": campaign.state,
        },
        request=request,
    )
    campaign.delete()  # its counters and reminders go with it


def check_new_dates(campaign, opens_on, closes_on) -> None:
    """The rules of check_dates, and: a campaign schools have answered cannot be put back to
    « Programmée » (their answers would be hidden)."""
    check_dates(campaign.school_year, opens_on, closes_on)
    if opens_on > timezone.localdate() and Assessment.objects.filter(campaign=campaign).exists():
        raise ValidationError(
            _("Des établissements ont déjà répondu à cette campagne : son ouverture ne peut pas être reportée.")
        )


@transaction.atomic
def change_campaign_dates(campaign, *, opens_on, closes_on, by, request=None) -> Campaign:
    """Moves a campaign's dates (check_new_dates)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_new_dates(campaign, opens_on, closes_on)
    before = {"opens_on": campaign.opens_on.isoformat(), "closes_on": campaign.closes_on.isoformat()}
    after = {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()}
    if before == after:
        return campaign
    campaign.opens_on, campaign.closes_on = opens_on, closes_on
    campaign.save(update_fields=["opens_on", "closes_on"])
    audit.record(
        AuditAction.CAMPAIGN_DATES_CHANGED, actor=by, obj=campaign, before=before, after=after, request=request
    )
    return campaign
