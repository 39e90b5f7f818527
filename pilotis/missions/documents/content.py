"""What the lettre de mission says, once for both documents: the school, the designation, the missions,
the means, the signatures and the annex as plain values, and the sentences and titles both formats
print. The IMP amount is in it only when the reader may see it, so no renderer can print it by mistake.
"""

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import safe_filename
from pilotis.core.formats import day, euros, period
from pilotis.missions.enums import MissionHeading, MissionPriority, RupnFunction
from pilotis.missions.models import MissionLetter
from pilotis.missions.review import review_period, review_rows

TITLE = gettext_lazy("Lettre de mission — référent pour les ressources et usages pédagogiques numériques (RUPN)")


def letter_filename(letter, extension: str) -> str:
    """`lettre-de-mission-0400001A-2026-2027-12.pdf`: the UAI, the year and the letter, never a person."""
    return safe_filename(
        "lettre-de-mission", letter.school.uai, letter.school_year, str(letter.pk), extension=extension
    )


def _school(school) -> dict:
    return {
        "name": school.name,
        "uai": school.uai,
        "address": school.address,
        "postal_code": school.postal_code,
        "commune": school.commune,
        "phone": school.phone,
        "email": school.email,
        "academy": str(school.department.academy),
    }


def _designation(letter) -> dict:
    """The period is the letter's own (a signed letter keeps it whatever the designation becomes); an
    early end of the designation is a later fact, told apart."""
    designation = letter.designation
    starts_on, ends_on = letter.period
    ended_on = designation.ends_on if designation.ended_early else None
    return {
        "rupn": designation.user_label,
        "school_year": designation.school_year,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "ended_early": designation.ended_early,
        "ended_on": day(ended_on),
        "period": period(starts_on, ends_on),
    }


def _preamble(school, designation) -> list[str]:
    return [
        _(
            "En application du décret n°\u00a02015-475 du 27 avril 2015 et dans le cadre du projet d’établissement, "
            "le chef d’établissement confie à %(rupn)s la mission de référent pour les ressources et usages "
            "pédagogiques numériques (RUPN) de l’établissement %(school)s pour l’année scolaire %(year)s, "
            "%(period)s."
        )
        % {
            "rupn": designation["rupn"],
            "school": school["name"],
            "year": designation["school_year"],
            "period": designation["period"],
        },
        _(
            "La présente lettre précise les missions confiées au référent, les moyens mis à sa disposition et "
            "les indicateurs de l’autodiagnostic SCHÉMATIC sur lesquels portera le bilan de fin d’année. Elle "
            "est présentée au conseil pédagogique et au conseil d’administration."
        ),
    ]


def _mission(mission) -> dict:
    return {
        "text": mission.text,
        "function": str(mission.get_function_display()),
        "priority": str(mission.get_priority_display()).lower(),
        "is_main": mission.priority == MissionPriority.MAIN,
    }


def _by_heading(missions) -> list[dict]:
    """The headings in the seed's order; a heading without missions is left out."""
    groups = []
    for heading in MissionHeading:
        items = [_mission(m) for m in missions if m.heading == heading]
        if items:
            groups.append({"label": str(heading.label), "missions": items})
    return groups


def _by_function(missions) -> list[dict]:
    """All four functions, each with the letter's missions attached to it (maybe none)."""
    return [
        {"label": str(function.label), "missions": [m.text for m in missions if m.function == function]}
        for function in RupnFunction
    ]


def _label(name: str) -> str:
    return str(capfirst(MissionLetter._meta.get_field(name).verbose_name))


def _means(letter) -> list[tuple[str, str]]:
    return [(_label(name), getattr(letter, name)) for name in ("means_time", "means_equipment", "means_room")]


def _memberships(letter) -> list[str]:
    council = (
        _("Le référent est membre du conseil pédagogique.")
        if letter.pedagogical_council
        else _("Le référent n’est pas membre du conseil pédagogique.")
    )
    commission = (
        _("Le référent est membre de la commission numérique de l’établissement.")
        if letter.digital_commission
        else _("Le référent n’est pas membre de la commission numérique de l’établissement.")
    )
    return [council, commission]


def _signatures(letter) -> dict:
    return {
        "is_signed": letter.signed_at is not None,
        "state": letter.state,
        "state_label": str(letter.get_state_display()),
        "accepted_by_label": letter.accepted_by_label,
        "accepted_at": letter.accepted_at,
        "accepted_on": day(letter.accepted_at),
        "signed_by_label": letter.signed_by_label,
        "signed_at": letter.signed_at,
        "signed_on": day(letter.signed_at),
        "presented_pedagogical_council_on": letter.presented_pedagogical_council_on,
        "presented_board_on": letter.presented_board_on,
        # (council, the day it was presented or "")
        "presentations": [
            (_("Conseil pédagogique"), day(letter.presented_pedagogical_council_on)),
            (_("Conseil d’administration"), day(letter.presented_board_on)),
        ],
    }


def _titles() -> dict:
    """The sections' titles, in the order both documents print them."""
    return {
        "missions": _("Missions confiées"),
        "functions": _("Les quatre fonctions du référent"),
        "means": _("Moyens mis à disposition"),
        "training": _("Formation"),
        "memberships": _("Participation aux instances"),
        "indicators": _("Indicateurs suivis"),
        "imp": _("Indemnité pour mission particulière"),
        "free_text": _("Dispositions particulières"),
        "signatures": _("Signatures"),
        "presentations": _("Présentation aux instances"),
        "annex": _("Annexe — bilan de fin d’année"),
    }


def _empty() -> dict:
    """What each part says when the letter has nothing in it yet."""
    return {
        "missions": _("Aucune mission n’a encore été choisie."),
        "function": _("Aucune mission de cette lettre ne relève de cette fonction."),
        "means": _("Non précisé."),
        "training": _("Aucune formation n’est précisée."),
        "indicators": _("Aucun indicateur n’est suivi."),
        "presentation": _("pas encore présentée"),
        "review": _("La lettre ne suit aucun indicateur."),
    }


def _imp_sentence(amount: str | None) -> str | None:
    if amount is None:
        return None
    return _(
        "Au titre de cette mission, le référent perçoit une indemnité pour mission particulière (IMP) "
        "d’un montant annuel de %(amount)s."
    ) % {"amount": amount}


def _review(letter) -> dict:
    """The annex: each indicator's status at the start and at the end of the letter's period."""
    start, end = review_period(letter)
    return {
        "start": start,
        "end": end,
        "period": period(start, end),
        "period_text": _("Période : %(period)s") % {"period": period(start, end)},
        "columns": [_("Code"), _("Indicateur"), _("Statut au début"), _("Statut à la fin")],
        "rows": review_rows(letter),
    }


def letter_context(letter, *, show_imp: bool) -> dict:
    """Everything both documents print, as plain values; `imp` is None unless `show_imp`."""
    school, designation = _school(letter.school), _designation(letter)
    missions = list(letter.missions.all())
    review = _review(letter)
    imp = euros(letter.imp_amount) if show_imp else None
    state_label = str(letter.get_state_display())
    return {
        "title": str(TITLE),
        "titles": _titles(),
        "empty": _empty(),
        "school": school,
        "designation": designation,
        "preamble": _preamble(school, designation),
        "headings": _by_heading(missions),
        "functions": _by_function(missions),
        "means": _means(letter),
        "training": letter.training,
        "pedagogical_council": letter.pedagogical_council,
        "digital_commission": letter.digital_commission,
        "memberships": _memberships(letter),
        "free_text": letter.free_text,
        "indicators": [row.indicator for row in review["rows"]],
        "imp": imp,
        "imp_sentence": _imp_sentence(imp),
        **_signatures(letter),
        "draft_notice": _("Projet — Non signée — état : %(state)s") % {"state": state_label},
        "unsigned": _("Non signée — état : %(state)s") % {"state": state_label},
        "review": review,
        "generated_at": timezone.now(),
    }
