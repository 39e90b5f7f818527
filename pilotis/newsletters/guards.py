"""The flash'infos' view guards: `territories.guards.school_action`, with one twist — whoever is
not a member of the school gets a 404 even when the territory reads the school (its flash'infos
do not exist for them); a member without the right gets a 403."""

from pilotis.core.guards import refuse
from pilotis.newsletters.perms import is_member


def members_only(name: str):
    def found(request, school, *args, **kwargs):
        if not is_member(request.user, school):
            refuse(request, obj=school, what=name)

    return found
