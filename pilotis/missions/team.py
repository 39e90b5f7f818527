"""What removing a member from the team means for the mission (`accounts.services.removal_note`)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.services import removal_note
from pilotis.core.confirm import Link
from pilotis.core.school_years import school_year_of
from pilotis.missions.models import Designation


@removal_note
def designation_of_the_year(membership) -> list[Link]:
    """The person's running designation as RUPN of this school: it outlives their membership (the school's
    history), but they can no longer answer their letter nor fill in the self-assessment."""
    today = timezone.localdate()
    designations = Designation.objects.filter(
        school_id=membership.school_id,
        user_id=membership.user_id,
        school_year=school_year_of(today),
        ended_early=False,
        ends_on__gte=today,
    )
    return [
        Link(
            _(
                "%(name)s est le RUPN désigné pour %(year)s. La désignation et sa lettre de mission restent "
                "enregistrées et ne prennent pas fin d'elles-mêmes, mais %(name)s ne pourra plus répondre à la "
                "lettre ni renseigner l'autodiagnostic : mettez fin à la désignation avant de désigner un autre RUPN."
            )
            % {"name": designation.user_label, "year": designation.school_year},
            reverse("missions:designation_change", args=[membership.school.uai, designation.pk]) + "#terminer",
        )
        for designation in designations
    ]
