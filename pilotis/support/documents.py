"""The request as the channel's people read it (the e-mail's body, the ticket's content)."""

from django.utils.translation import gettext as _

from pilotis.support.enums import Urgency


def plain_text(request) -> str:
    school = request.school
    requester = request.requester
    lines = [
        request.description.strip(),
        "",
        "—",
        _("Établissement : %(name)s (%(uai)s), %(commune)s")
        % {"name": school.name, "uai": school.uai, "commune": school.commune or "—"},
        _("Demandeur : %(name)s%(email)s")
        % {
            "name": (requester.get_full_name() or requester.get_username()) if requester else "—",
            "email": f" <{requester.email}>" if requester and requester.email else "",
        },
        _("Catégorie : %(category)s") % {"category": request.get_category_display()},
        _("Urgence : %(urgency)s") % {"urgency": Urgency(request.urgency).label},
    ]
    if request.place:
        lines.append(_("Lieu : %(place)s") % {"place": request.place})
    if request.equipment:
        lines.append(_("Équipement concerné : %(what)s") % {"what": request.equipment})
    if request.action_id:
        lines.append(_("Action du plan : %(title)s") % {"title": request.action.title})
    if request.indicator_code:
        lines.append(_("Indicateur : %(code)s") % {"code": request.indicator_code})
    count = request.attachments.count() if request.pk else 0
    if count:
        lines.append(_("Pièces jointes dans Pilotis : %(n)d") % {"n": count})
    return "\n".join(lines)
