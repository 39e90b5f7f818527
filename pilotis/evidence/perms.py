"""Named predicates of the evidence; each docstring states the rule. A piece has no rule of its
own: it is read by whoever reads what it is attached to, and added or removed by whoever writes
that thing — the rules of the apps beneath, called here, never restated."""

from django.utils.translation import gettext as _

from pilotis.assessments.perms import can_fill
from pilotis.commission.perms import can_read_commission, can_run_commission
from pilotis.evidence.enums import Target
from pilotis.fiches.perms import can_edit_fiche, can_read_fiche, can_see_author_names, is_member
from pilotis.plans.perms import can_read_plan, can_write_plan
from pilotis.territories.perms import can_read_school
from pilotis.workshops.perms import can_read_workshops, can_write_workshops


def school_of(target: str, obj):
    """The school that owns the thing (an answer's is its assessment's)."""
    if target == Target.ANSWER:
        return obj.assessment.school
    return obj.school


def can_read_target(user, target: str, obj) -> bool:
    """Who reads the thing reads its pieces: an answer, an action, a meeting — the school's readers
    (its team, its correspondent, its DANE); a fiche — `can_read_fiche` (a published fiche shared
    with the académie opens its pieces to the académie; a draft's never leave the school); a
    workshop — `can_read_workshops`."""
    if target == Target.FICHE:
        return can_read_fiche(user, obj)
    school = school_of(target, obj)
    if target == Target.ACTION:
        return can_read_plan(user, school)
    if target == Target.MEETING:
        return can_read_commission(user, school)
    if target == Target.WORKSHOP:
        return can_read_workshops(user, school)
    return can_read_school(user, school)


def can_read_piece(user, piece) -> bool:
    """A piece is read by whoever reads its target (`can_read_target`)."""
    return can_read_target(user, piece.target, getattr(piece, piece.target))


def can_attach(user, target: str, obj) -> bool:
    """Who writes the thing adds and removes its pieces: an answer — who fills in the
    self-assessment (`can_fill`); an action — the plan's writers; a meeting — who runs the
    commission; a fiche — its editors (its authors, the school's RUPN and direction); a workshop —
    who records the workshops."""
    if target == Target.FICHE:
        return can_edit_fiche(user, obj)
    school = school_of(target, obj)
    if target == Target.ACTION:
        return can_write_plan(user, school)
    if target == Target.MEETING:
        return can_run_commission(user, school)
    if target == Target.WORKSHOP:
        return can_write_workshops(user, school)
    return can_fill(user, school)


def may_attach_in(user, school) -> bool:
    """Only a member of the school may attach anything to its work (the guard of the pages that
    add and remove pieces; the target's own rule, `can_attach`, is asked next)."""
    return is_member(user, school)


def frozen_reason(target: str, obj) -> str:
    """Why the thing's pieces may not change now (a French sentence), or "": a validated
    self-assessment or a closed campaign freezes its answers, validated minutes their meeting."""
    if target == Target.ANSWER:
        assessment = obj.assessment
        if assessment.is_validated:
            return _(
                "Cet autodiagnostic est validé : ses réponses et leurs pièces justificatives ne changent plus, "
                "sauf si la direction le rouvre."
            )
        if not assessment.campaign.is_open:
            return _("La campagne n'est pas ouverte : les réponses et leurs pièces justificatives ne changent pas.")
    if target == Target.MEETING and obj.is_locked:
        return _(
            "Le compte rendu de cette réunion est validé : ses pièces justificatives ne changent plus, sauf si "
            "la direction le rouvre."
        )
    return ""


def can_see_who(user, target: str, obj) -> bool:
    """Who added or removed a piece is named to the school's readers; on a fiche read across the
    académie, only to the school's members (as its authors' names)."""
    if target == Target.FICHE:
        return can_see_author_names(user, obj)
    return True
