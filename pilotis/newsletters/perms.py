"""Named predicates of the flash'infos; each docstring states the rule."""

from pilotis.territories.perms import can_write_school, is_direction, school_role


def is_member(user, school) -> bool:
    """The school's members read its published flash'infos; nobody else does (a flash'infos is
    the school's word to its own people: the territory reads the académie's news, not this)."""
    return school_role(user, school) is not None


def can_write_newsletters(user, school) -> bool:
    """The RUPN and the direction draft, edit, publish and delete the school's flash'infos, keep
    its list of addresses and choose its rhythm."""
    return can_write_school(user, school)


def can_proofread(user, school) -> bool:
    """The direction (chef d'établissement, adjoints) proof-reads a flash'infos before it goes."""
    return is_direction(user, school)


def newsletter_abilities(user, school) -> dict[str, bool]:
    """What the flash'infos' pages offer this user, in one dict for views and templates."""
    return {"write": can_write_newsletters(user, school), "proofread": can_proofread(user, school)}
