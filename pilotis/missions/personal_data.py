"""The person's designations as RUPN and their letters, for the download of their data
(core.personal_data). It includes the IMP amounts: the RUPN concerned is among those who may see
them (`perms.can_see_imp`)."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.missions.models import Designation, MissionLetter


@section("designations", lambda: _("Désignations comme RUPN"), 50)
def designations(user) -> list[dict]:
    return [
        {
            _("établissement"): d.school.name,
            _("année scolaire"): d.school_year,
            _("du"): when(d.starts_on),
            _("au"): when(d.ends_on),
            _("terminée en cours d'année"): d.ended_early,
            _("IMP annuelle (€)"): str(d.imp_amount),
        }
        for d in Designation.objects.filter(user=user).select_related("school").order_by("starts_on", "pk")
    ]


@section("letters", lambda: _("Lettres de mission"), 51)
def letters(user) -> list[dict]:
    letters = (
        MissionLetter.objects.filter(designation__user=user)
        .select_related("school", "designation")
        .prefetch_related("missions", "indicators")
        .order_by("created_at", "pk")
    )
    return [
        {
            _("établissement"): letter.school.name,
            _("année scolaire"): letter.designation.school_year,
            _("du"): when(letter.period[0]),
            _("au"): when(letter.period[1]),
            _("état"): letter.get_state_display(),
            _("missions"): [
                f"{m.get_heading_display()} — {m.get_function_display()} — {m.text} ({m.get_priority_display()})"
                for m in letter.missions.all()
            ],
            _("temps dégagé"): letter.means_time,
            _("équipement"): letter.means_equipment,
            _("salle"): letter.means_room,
            _("formations"): letter.training,
            _("indicateurs suivis"): [i.code for i in letter.indicators.all()],
            _("IMP annuelle (€)"): str(letter.imp_amount),
            _("texte libre"): letter.free_text,
            _("motif du renvoi"): letter.returned_comment,
            _("proposée le"): when(letter.proposed_at),
            _("acceptée le"): when(letter.accepted_at),
            _("signée le"): when(letter.signed_at),
        }
        for letter in letters
    ]


@section("letters_signed", lambda: _("Lettres de mission signées par vous (direction)"), 52)
def letters_signed(user) -> list[dict]:
    return [
        {
            _("établissement"): letter.school.name,
            _("RUPN"): letter.designation.user_label,
            _("année scolaire"): letter.designation.school_year,
            _("signée le"): when(letter.signed_at),
        }
        for letter in MissionLetter.objects.filter(signed_by=user)
        .select_related("school", "designation")
        .order_by("pk")
    ]


@anonymiser("missions")
def forget(user) -> None:
    label = str(ANONYMOUS_LABEL)
    Designation.objects.filter(user=user).update(user_label=label)
    MissionLetter.objects.filter(accepted_by=user).update(accepted_by_label=label)
    MissionLetter.objects.filter(signed_by=user).update(signed_by_label=label)
