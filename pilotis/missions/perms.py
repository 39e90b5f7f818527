"""Named predicates of the RUPN's mission; each docstring states the rule."""

from pilotis.missions.enums import LetterState
from pilotis.territories.perms import can_read_school, follows_academy, is_direction


def can_manage_mission(user, school) -> bool:
    """The direction designates the RUPN, drafts, proposes and signs the lettre de mission."""
    return is_direction(user, school)


def is_designated(user, designation) -> bool:
    """The person the designation names."""
    return designation.user_id == getattr(user, "pk", None)


def answers_letter(user, letter) -> bool:
    """The RUPN the letter names answers it (accepts it or sends it back): the direction cannot in
    their place."""
    return is_designated(user, letter.designation)


def can_see_imp(user, designation) -> bool:
    """The IMP amount is personal: the school's direction, the RUPN concerned and the DANE of its académie
    see it; the team and the departmental correspondents do not."""
    school = designation.school
    return (
        is_direction(user, school)
        or is_designated(user, designation)
        or follows_academy(user, school.department.academy_id)
    )


def can_read_letter(user, letter) -> bool:
    """The direction and the RUPN concerned read the letter in every state; the school's team and its
    territory read it once signed (it is presented to the school's councils)."""
    school = letter.school
    if not can_read_school(user, school):
        return False
    if is_direction(user, school) or is_designated(user, letter.designation):
        return True
    return letter.state in LetterState.final()


def letter_abilities(user, letter) -> dict[str, bool]:
    """What the user may do with this letter now; views and templates read the same dict."""
    school = letter.school
    direction = can_manage_mission(user, school)
    rupn = is_designated(user, letter.designation)
    state = letter.state
    # A designation ended during the year takes no more letter (services._require_running).
    running = not letter.designation.ended_early
    return {
        "read": can_read_letter(user, letter),
        "see_imp": can_see_imp(user, letter.designation),
        "edit": direction and state in LetterState.editable(),
        "propose": direction and running and state in LetterState.editable(),
        "withdraw": direction and state in {LetterState.PROPOSED, LetterState.ACCEPTED},
        # The RUPN answers for themself: the direction cannot accept in their place, nor they sign.
        "accept": rupn and running and state == LetterState.PROPOSED,
        "send_back": rupn and state == LetterState.PROPOSED,
        "sign": direction and running and state == LetterState.ACCEPTED,
        "record_presentations": direction and state == LetterState.SIGNED,
        "supersede": direction and state == LetterState.SIGNED,
        # A draft nobody was asked to accept may be thrown away; any other letter is history.
        "delete": direction and state == LetterState.DRAFT,
    }


def can_read_catalogue(user) -> bool:
    """Anyone signed in reads the catalogue of missions (the shipped entries and their académie's)."""
    return bool(user.is_authenticated and user.is_active)
