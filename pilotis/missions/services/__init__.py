"""Writes of the RUPN's mission: each in a transaction, with its audit row. `designations` designates
the RUPN and changes or ends the designation, `letters` writes the lettre de mission and moves it
through its workflow, `catalogue` keeps the académie's missions; `base` holds what they share.

Concurrency: a letter carries a `revision`. Every write — an edit of its content or a move of its
workflow — locks the row, checks the revision the author's page showed and bumps it, so a stale
page (the RUPN accepting a letter the direction changed meanwhile, two tabs of the direction) is
refused with a message instead of acting on a text its author did not see. On SQLite the
IMMEDIATE transactions of the settings serialise writers, on PostgreSQL `select_for_update`.
"""

from pilotis.missions.services.base import StaleLetter, imp_rates, school_year_bounds
from pilotis.missions.services.catalogue import add_catalogue_entry, change_catalogue_entry
from pilotis.missions.services.designations import change_designation, designate, end_designation
from pilotis.missions.services.letters import (
    accept_letter,
    delete_letter,
    latest_referential_id,
    propose_letter,
    record_presentations,
    send_back_letter,
    sign_letter,
    start_letter,
    supersede_letter,
    update_letter,
    withdraw_letter,
)

__all__ = [
    "StaleLetter",
    "accept_letter",
    "add_catalogue_entry",
    "change_catalogue_entry",
    "change_designation",
    "delete_letter",
    "designate",
    "end_designation",
    "imp_rates",
    "latest_referential_id",
    "propose_letter",
    "record_presentations",
    "school_year_bounds",
    "send_back_letter",
    "sign_letter",
    "start_letter",
    "supersede_letter",
    "update_letter",
    "withdraw_letter",
]
