"""Named predicates of the self-assessment; each docstring states the rule."""

from pilotis.territories.perms import can_read_school, can_write_school, is_direction, school_role


def can_fill(user, school) -> bool:
    """The RUPN and the direction fill in the school's self-assessment (they write the school's
    work, `can_write_school`); the team and the territory read it."""
    return can_write_school(user, school)


def can_validate(user, school) -> bool:
    """Only the direction validates the self-assessment, and reopens it."""
    return is_direction(user, school)


def can_signal_ready(user, school) -> bool:
    """Who fills in without validating (the RUPN) tells the direction the self-assessment is ready;
    the direction validates it instead."""
    return can_fill(user, school) and not can_validate(user, school)


def audience(user, school) -> str:
    """Who reads the page, for its sentences: "direction" (validates), "filler" (the RUPN, fills
    in), "member" (a member of the team who reads only) or "territory" (a territorial reader)."""
    if can_validate(user, school):
        return "direction"
    if can_fill(user, school):
        return "filler"
    return "member" if school_role(user, school) else "territory"


def assessment_abilities(user, school, campaign, assessment) -> dict[str, bool]:
    readable = can_read_school(user, school)
    open_campaign = campaign is not None and campaign.is_open
    validated = assessment is not None and assessment.is_validated
    return {
        "read": readable,
        "fill": readable and open_campaign and not validated and can_fill(user, school),
        "validate": readable
        and open_campaign
        and not validated
        and assessment is not None
        and can_validate(user, school),
        "reopen": readable and open_campaign and validated and can_validate(user, school),
        "signal_ready": readable
        and open_campaign
        and not validated
        and assessment is not None
        and can_signal_ready(user, school),
    }
