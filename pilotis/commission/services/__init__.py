"""Every write of the commission numérique, each in a transaction with its audit row. Each service
checks its author itself (`PermissionDenied`), whatever the view did, refuses bad input with a
`ValidationError` in French before writing anything, and refuses to touch validated minutes
(`MinutesLocked`) until the direction reopens them.

One module per part — `members`, `meetings` (agenda, « Suivi du plan », deletion), `minutes`
(attendance, decisions, validation), `convocation` — re-exported here, so callers write
`services.create_meeting`."""

from pilotis.commission.services._common import (
    DUE_WITHIN,
    FOLLOW_UP_TITLE,
    MinutesLocked,
    StaleMeeting,
    require,
    school_year_start,
    year_bounds,
)
from pilotis.commission.services.convocation import convene, convocation_members, convocation_text, meeting_url
from pilotis.commission.services.meetings import (
    ItemInput,
    agenda_referential_id,
    allowed_indicators,
    create_meeting,
    current_plan,
    delete_meeting,
    deletion_refusal,
    follow_up,
    school_actions,
    update_meeting,
)
from pilotis.commission.services.members import add_member, change_member, delete_member, member_email
from pilotis.commission.services.minutes import (
    DecisionInput,
    decision_to_action,
    record_minutes,
    reopen_minutes,
    validate_minutes,
)

__all__ = [
    "DUE_WITHIN",
    "FOLLOW_UP_TITLE",
    "DecisionInput",
    "ItemInput",
    "MinutesLocked",
    "StaleMeeting",
    "add_member",
    "agenda_referential_id",
    "allowed_indicators",
    "change_member",
    "convene",
    "convocation_members",
    "convocation_text",
    "create_meeting",
    "current_plan",
    "decision_to_action",
    "delete_meeting",
    "delete_member",
    "deletion_refusal",
    "follow_up",
    "meeting_url",
    "member_email",
    "record_minutes",
    "reopen_minutes",
    "require",
    "school_actions",
    "school_year_start",
    "update_meeting",
    "validate_minutes",
    "year_bounds",
]
