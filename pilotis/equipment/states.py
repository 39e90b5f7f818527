"""The life of a need, written once: which state may follow which, and the sentence that refuses
any other jump. Services and forms read this table, nothing else."""

from django.utils.translation import gettext_lazy as _

from pilotis.equipment.enums import NeedState as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.IDENTIFIED: frozenset({S.PRIORITISED}),
    S.PRIORITISED: frozenset({S.IDENTIFIED, S.TRANSMITTED}),
    S.TRANSMITTED: frozenset({S.GRANTED, S.REFUSED}),
    S.GRANTED: frozenset({S.DELIVERED}),
    S.REFUSED: frozenset({S.IDENTIFIED}),
    S.DELIVERED: frozenset(),
}

# Why a jump to this state is refused (the state it came from is not among those allowed).
REFUSALS = {
    S.IDENTIFIED: _("Un besoin ne revient à « Identifié » que s'il était priorisé ou refusé."),
    S.PRIORITISED: _("Seul un besoin identifié peut être priorisé."),
    S.TRANSMITTED: _("Un besoin ne peut être transmis qu'une fois priorisé par la direction."),
    S.GRANTED: _("Un besoin ne peut être accordé qu'une fois transmis à la collectivité."),
    S.REFUSED: _("Un besoin ne peut être refusé qu'une fois transmis à la collectivité."),
    S.DELIVERED: _("Un besoin ne peut être livré qu'une fois accordé."),
}

# The order of the school's list after the rank: what is still to do first.
ORDER = [S.PRIORITISED, S.IDENTIFIED, S.TRANSMITTED, S.GRANTED, S.REFUSED, S.DELIVERED]

# A need whose content may still change: once transmitted, it is what the collectivité received.
EDITABLE = frozenset({S.IDENTIFIED, S.PRIORITISED, S.REFUSED})


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def next_states(current: str) -> list[str]:
    return [state for state in S.values if state in TRANSITIONS.get(current, frozenset())]


def refusal(current: str, target: str) -> str:
    """The sentence that refuses `current` → `target`, or "" when the jump is allowed."""
    if target not in S.values:
        return str(_("Cet état n'existe pas."))
    if current == target:
        return str(_("Le besoin est déjà dans l'état « %(state)s ».") % {"state": S(target).label})
    return "" if allowed(current, target) else str(REFUSALS[target])
