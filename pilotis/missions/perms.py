"""Named predicates of the RUPN's mission; each docstring states the rule."""

from pilotis.core.scope import scope_of
from pilotis.missions.enums import LetterState
from pilotis.territories.perms import can_read_school, is_direction


def can_manage_mission(user, school) -> bool:
    """The direction designates the RUPN, drafts, proposes and signs the lettre de mission."""
    return is_direction(user, school)


def is_designated(user, designation) -> bool:
    """The person the designation names."""
    return designation.user_id == getattr(user, "pk", None)


def is_dane_of(user, school) -> bool:
    """The DANE of the school's académie (and the administrator)."""
    scope = scope_of(user)
    return scope.everything or school.department.academy_id in scope.academy_ids


def can_see_imp(user, designation) -> bool:
    """The IMP amount is personal: the school's direction, the RUPN concerned and the DANE see it; the team
    and the departmental correspondents do not (scorecard check 5)."""
    school = designation.school
    return is_direction(user, school) or is_designated(user, designation) or is_dane_of(user, school)


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


def can_manage_catalogue(user, academy_id) -> bool:
    """The DANE extends its académie's catalogue of missions (the administrator any)."""
    scope = scope_of(user)
    return scope.everything or academy_id in scope.academy_ids


def can_browse_network(user) -> bool:
    """The correspondents and the DANE follow the referents' network of their territory."""
    return scope_of(user).is_territorial
