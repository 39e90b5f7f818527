"""What each persona may do with school A's lettre de mission in each state, against a table
written by hand: the direction drafts, proposes, withdraws, signs, records and supersedes; the RUPN
it names accepts or sends it back; the team and the territory read it once signed; the IMP is seen
by the direction, the RUPN concerned and the académie's DANE. A designation ended during the year
takes no more proposal, acceptance or signature."""

import pytest
from django.contrib.auth.models import AnonymousUser

from pilotis.missions.enums import LetterState
from pilotis.missions.perms import can_read_catalogue, is_designated, letter_abilities
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

DRAFT, PROPOSED, RETURNED = LetterState.DRAFT, LetterState.PROPOSED, LetterState.RETURNED
ACCEPTED, SIGNED, SUPERSEDED = LetterState.ACCEPTED, LetterState.SIGNED, LetterState.SUPERSEDED
STATES = [DRAFT, PROPOSED, RETURNED, ACCEPTED, SIGNED, SUPERSEDED]
DIRECTION, RUPN = {"chef_a", "adjoint_a"}, {"rupn_a"}
# Who reads school A without being its direction or the RUPN named: its team and its territory.
READERS_ONCE_SIGNED = {"member_a", "correspondant_40", "dane", "admin"}
SEE_IMP = DIRECTION | RUPN | {"dane", "admin"}

# state -> the abilities of the direction, of the RUPN named, while the designation runs
DIRECTION_MAY = {
    DRAFT: {"edit", "propose", "delete"},
    PROPOSED: {"withdraw"},
    RETURNED: {"edit", "propose"},
    ACCEPTED: {"withdraw", "sign"},
    SIGNED: {"record_presentations", "supersede"},
    SUPERSEDED: set(),
}
RUPN_MAY = {PROPOSED: {"accept", "send_back"}}
NEED_A_RUNNING_DESIGNATION = {"propose", "accept", "sign"}
ACTIONS = ["edit", "propose", "withdraw", "accept", "send_back", "sign", "record_presentations", "supersede", "delete"]


def expected(persona, state, ended_early):
    if persona in DIRECTION:
        allowed = set(DIRECTION_MAY[state])
    elif persona in RUPN:
        allowed = set(RUPN_MAY.get(state, set()))
    else:
        allowed = set()
    if ended_early:
        allowed -= NEED_A_RUNNING_DESIGNATION
    reads = persona in DIRECTION | RUPN or (persona in READERS_ONCE_SIGNED and state in {SIGNED, SUPERSEDED})
    return {"read": reads, "see_imp": persona in SEE_IMP} | {action: action in allowed for action in ACTIONS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("ended_early", [False, True])
def test_what_each_persona_may_do_with_the_letter(world, draft, persona, ended_early):
    user = world.persona(persona)
    draft.designation.ended_early = ended_early
    for state in STATES:
        draft.state = state
        assert letter_abilities(user, draft) == expected(persona, state, ended_early), state


def test_the_catalogue_is_read_by_active_signed_in_users_only(world):
    assert can_read_catalogue(world.member_a)
    assert not can_read_catalogue(AnonymousUser())
    world.member_a.is_active = False
    assert not can_read_catalogue(world.member_a)


def test_only_the_person_named_is_designated(world, designation):
    assert is_designated(world.rupn_a, designation)
    assert not is_designated(world.chef_a, designation)
    assert not is_designated(AnonymousUser(), designation)
    assert not is_designated(None, designation)  # no user at all (as `scope_of` accepts): nobody
