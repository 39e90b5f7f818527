from pilotis.equipment import states
from pilotis.equipment.enums import NeedState as S


def test_delivery_only_after_granted():
    assert states.allowed(S.GRANTED, S.DELIVERED)
    for state in (S.IDENTIFIED, S.PRIORITISED, S.TRANSMITTED, S.REFUSED):
        assert states.refusal(state, S.DELIVERED) == "Un besoin ne peut être livré qu'une fois accordé."


def test_granted_and_refused_only_after_transmitted():
    for target in (S.GRANTED, S.REFUSED):
        assert states.allowed(S.TRANSMITTED, target)
        assert states.refusal(S.PRIORITISED, target)
        assert states.refusal(S.IDENTIFIED, target)


def test_back_to_identified_from_prioritised_or_refused_only():
    assert states.allowed(S.PRIORITISED, S.IDENTIFIED) and states.allowed(S.REFUSED, S.IDENTIFIED)
    assert not states.allowed(S.TRANSMITTED, S.IDENTIFIED)
    assert not states.allowed(S.DELIVERED, S.IDENTIFIED)


def test_every_state_has_a_row_and_a_refusal():
    assert set(states.TRANSITIONS) == set(S.values) == set(states.REFUSALS) == set(states.ORDER)
    assert states.refusal(S.IDENTIFIED, S.IDENTIFIED).startswith("Le besoin est déjà")
    assert states.refusal(S.IDENTIFIED, "nonsense") == "Cet état n'existe pas."
