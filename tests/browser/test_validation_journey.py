"""A principal validates a self-assessment with unanswered indicators: the confirmation page lists
them with links, the principal follows one, comes back and confirms."""

import re

import pytest

from pilotis.assessments import services
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.school_years import current_school_year
from pilotis.referential.models import Indicator
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_principal_sees_what_is_unanswered_follows_it_and_confirms(site, demo):
    year = current_school_year()
    home = f"/etablissements/{COLLEGE_UAI}/schematic/{year}/"
    school = School.objects.get(uai=COLLEGE_UAI)
    campaign = Campaign.objects.get(academy_id=school.department.academy_id, school_year=year)
    rupn = school.memberships.get(user__username="rupn").user
    # The RUPN has answered everything but two indicators of Pilotage.
    for indicator in Indicator.objects.filter(version=campaign.referential).exclude(code__in=["PIL.1.02", "PIL.2.01"]):
        services.save_answer(campaign, school, indicator, status="realise", comment="", by=rupn)

    site.sign_in("direction")
    site.visit(home)
    main = site.page.locator("main")
    assert main.locator(f'a[href="{home}domaines/PIL/#i-PIL.1.02"]').count() == 1
    site.submit(site.page.get_by_role("link", name="Valider", exact=True))
    assert site.path == f"{home}valider/"
    assert "2 indicateurs sont sans réponse" in main.inner_text()

    # Follows one of them to its place on the domain's page, then comes back.
    site.submit(main.get_by_role("link", name=re.compile(r"^PIL\.1\.02 ")))
    assert site.page.url.endswith(f"{home}domaines/PIL/#i-PIL.1.02")
    assert site.page.locator('[id="i-PIL.1.02"]').is_visible()
    site.page.go_back()
    assert site.path == f"{home}valider/"

    site.submit(site.page.get_by_role("button", name="Valider l’autodiagnostic"))
    assert site.path == home
    assert "Validé par Claire Dubosc" in main.inner_text()
    assert Assessment.objects.get(campaign=campaign, school=school).is_validated
    site.assert_clean()
