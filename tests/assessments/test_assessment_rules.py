"""Who may do what with school A's self-assessment, against a table written by hand: its
direction and its RUPN fill it in while the campaign is open and it is not validated; the
direction validates it (once it exists) and reopens it; the RUPN tells the direction it is ready;
its team and its territory read it. `audience` names who reads the page."""

import pytest

from pilotis.assessments import services
from pilotis.assessments.enums import AssessmentState
from pilotis.assessments.models import Assessment
from pilotis.assessments.perms import assessment_abilities, audience
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

READERS_OF_A = {"chef_a", "adjoint_a", "rupn_a", "member_a", "correspondant_40", "dane", "admin"}
DIRECTION_OF_A, RUPN_OF_A = {"chef_a", "adjoint_a"}, {"rupn_a"}
AUDIENCE = {"chef_a": "direction", "adjoint_a": "direction", "rupn_a": "filler", "member_a": "member"}
NOTHING = {"fill": False, "validate": False, "reopen": False, "signal_ready": False}


def expected(persona, campaign_open, assessment_state):
    """The abilities for an open or closed campaign and an assessment absent (None), a draft or validated."""
    reads = persona in READERS_OF_A
    if not (reads and campaign_open):
        return {"read": reads} | NOTHING
    if assessment_state == AssessmentState.VALIDATED:
        return {"read": True} | NOTHING | {"reopen": persona in DIRECTION_OF_A}
    exists = assessment_state is not None
    return {
        "read": True,
        "fill": persona in DIRECTION_OF_A | RUPN_OF_A,
        "validate": exists and persona in DIRECTION_OF_A,
        "reopen": False,
        "signal_ready": exists and persona in RUPN_OF_A,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_each_persona_may_do_with_the_self_assessment(world, campaign, persona):
    user, school = world.persona(persona), world.school_a
    assert audience(user, school) == AUDIENCE.get(persona, "territory")
    states = [None, AssessmentState.DRAFT, AssessmentState.VALIDATED]

    def assessment(state):
        return None if state is None else Assessment(campaign=campaign, school=school, state=state)

    assert campaign.is_open
    for state in states:
        assert assessment_abilities(user, school, campaign, assessment(state)) == expected(persona, True, state), state
    for state in states:  # no campaign: nothing to fill in
        assert assessment_abilities(user, school, None, assessment(state)) == expected(persona, False, state), state
    services.close_campaign(campaign, by=world.dane)
    campaign.refresh_from_db()
    assert not campaign.is_open
    for state in states:
        assert assessment_abilities(user, school, campaign, assessment(state)) == expected(persona, False, state), state
