"""Every write of the equipment needs, each in a transaction with its audit row. Each service checks
its author itself (`PermissionDenied`) whatever the view did, and refuses bad input with a
`ValidationError` in French before writing anything. An edition carries the revision its page
showed: if the need changed meanwhile, nothing is written (`StaleNeed`)."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.models import Campaign
from pilotis.core import audit, formats, outbox
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character
from pilotis.equipment import states, tallies
from pilotis.equipment.enums import CollectivityKind, Funder, NeedCategory, NeedState
from pilotis.equipment.models import Collectivity, Need, NeedEvent
from pilotis.equipment.perms import can_manage_collectivities, can_rank_needs, can_write_needs
from pilotis.referential.models import Indicator, ReferentialVersion

MAX_QUANTITY = 100_000
MAX_COST = Decimal("100000000")
MAX_INDICATORS = 20
MAIL_KIND = "equipment_request"
# The domain whose indicators a need serves first (« Infrastructure réseau – équipement »).
INFRASTRUCTURE = "INF"


class StaleNeed(ValidationError):
    """The need (or the list) changed since the author's page was loaded: nothing was written."""


STALE = _(
    "Le besoin a été modifié par quelqu'un d'autre depuis l'affichage de cette page : rien n'a été "
    "enregistré. Vos saisies sont ci-dessous ; rechargez la page pour voir la version actuelle, puis reprenez-les."
)
STALE_LIST = _(
    "La liste des besoins a changé depuis l'affichage de cette page : rien n'a été enregistré. "
    "Rechargez la page, puis reprenez."
)


@dataclass
class NeedInput:
    category: str
    object: str
    quantity: int
    funder: str
    place: str = ""
    why: str = ""
    indicator_codes: list[str] = field(default_factory=list)
    estimated_cost: Decimal | None = None


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


# --- Indicators ------------------------------------------------------------------------------------


def indicator_version(school) -> ReferentialVersion | None:
    """The referential whose indicators the school's needs serve: its académie's current campaign's,
    else its latest started one's, else the latest loaded version (as the usage fiches do)."""
    academy_id = school.department.academy_id
    campaign = (
        Campaign.objects.current_for(academy_id) or Campaign.objects.started().filter(academy_id=academy_id).first()
    )
    if campaign is not None:
        return campaign.referential
    return ReferentialVersion.objects.order_by("-pk").first()


def indicators_for(school) -> list[Indicator]:
    """The indicators a need may cite, those of the Infrastructure domain first."""
    version = indicator_version(school)
    if version is None:
        return []
    found = list(Indicator.objects.filter(version=version).select_related("domain"))
    return sorted(found, key=lambda i: (i.domain.code != INFRASTRUCTURE, i.domain.position, i.position, i.code))


def _indicator_codes(school, codes) -> list[str]:
    codes = list(dict.fromkeys(code.strip() for code in (codes or []) if code and code.strip()))
    if not codes:
        return []
    if len(codes) > MAX_INDICATORS:
        raise ValidationError(_("Un besoin cite au plus %(n)d indicateurs.") % {"n": MAX_INDICATORS})
    known = {i.code for i in indicators_for(school)}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            _("L'indicateur « %(code)s » n'est pas dans le référentiel de l'établissement.") % {"code": unknown[0][:20]}
        )
    return codes


# --- Recording a need ------------------------------------------------------------------------------


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


def _cost(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("Le coût estimé doit être un montant en euros, par exemple 1250 ou 312,50.")) from None
    if not amount.is_finite():
        raise ValidationError(_("Le coût estimé doit être un montant en euros, par exemple 1250 ou 312,50."))
    if amount < 0:
        raise ValidationError(_("Le coût estimé ne peut pas être négatif."))
    if amount >= MAX_COST:
        raise ValidationError(_("Le coût estimé dépasse 100 millions d'euros : vérifiez le montant."))
    return amount.quantize(Decimal("0.01"))


def _clean(school, data: NeedInput) -> dict:
    """The values to write, or the first problem as a French sentence."""
    if data.category not in NeedCategory.values:
        raise ValidationError(_("Choisissez une catégorie de la liste."))
    quantity = data.quantity
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError(_("La quantité doit être un nombre entier d'au moins 1."))
    if quantity > MAX_QUANTITY:
        raise ValidationError(
            _("La quantité dépasse %(n)s : vérifiez-la.") % {"n": f"{MAX_QUANTITY:,}".replace(",", " ")}
        )
    if data.funder not in Funder.values:
        raise ValidationError(_("Choisissez le financeur : Département, Région, établissement ou État."))
    return {
        "category": data.category,
        "object": _text(data.object, _("l'objet"), 200, required=True),
        "quantity": quantity,
        "place": _text(data.place, _("le lieu"), 200),
        "why": _text(data.why, _("la justification"), 3000, multiline=True),
        "indicator_codes": _indicator_codes(school, data.indicator_codes),
        "estimated_cost": _cost(data.estimated_cost),
        "funder": data.funder,
    }


def _values(need) -> dict:
    """The audit's picture of a need."""
    return {
        "category": need.category,
        "object": need.object,
        "quantity": need.quantity,
        "place": need.place,
        "indicator_codes": list(need.indicator_codes),
        "estimated_cost": str(need.estimated_cost) if need.estimated_cost is not None else None,
        "funder": need.funder,
        "state": need.state,
        "rank": need.rank,
    }


def record_need(school, data: NeedInput, *, by, need=None, seen_revision=None, request=None) -> Need:
    """Creates a need (`need` None, state « Identifié ») or changes its content."""
    require(can_write_needs(by, school))
    if need is not None and need.school_id != school.pk:
        raise PermissionDenied
    values = _clean(school, data)
    with transaction.atomic():
        if need is None:
            need = Need.objects.create(school=school, created_by=by, **values)
            NeedEvent.objects.create(need=need, from_state="", to_state=NeedState.IDENTIFIED, by=by)
            before = None
            tallies.moved(None, tallies.key(need))
        else:
            need = Need.objects.select_for_update().get(pk=need.pk)
            if seen_revision is not None and seen_revision != need.revision:
                raise StaleNeed(STALE)
            if need.state not in states.EDITABLE:
                raise ValidationError(
                    _("Un besoin « %(state)s » ne se modifie plus : c'est ce que la collectivité a reçu.")
                    % {"state": need.get_state_display()}
                )
            before = _values(need)
            counted = tallies.key(need)
            for name, value in values.items():
                setattr(need, name, value)
            need.revision += 1
            need.save()
            tallies.moved(counted, tallies.key(need))
        audit.record(AuditAction.NEED_RECORDED, actor=by, obj=need, before=before, after=_values(need), request=request)
    return need


# --- States ----------------------------------------------------------------------------------------


def _move(need, target, *, by, note="", at=None) -> None:
    """Writes the change of a locked need and its event (the caller checked the transition)."""
    at = at or timezone.now()
    NeedEvent.objects.create(need=need, from_state=need.state, to_state=target, note=note, by=by, at=at)
    counted = tallies.key(need)
    need.state = target
    need.state_changed_at = at
    if target == NeedState.IDENTIFIED:
        need.rank = None  # back in the pool: the direction ranks it again
    need.revision += 1
    need.save(update_fields=["state", "state_changed_at", "rank", "revision"])
    tallies.moved(counted, tallies.key(need))


def change_state(need, target, *, by, note="", seen_revision=None, request=None) -> Need:
    """One step of the need's life (`states.TRANSITIONS`), dated, with its note."""
    require(can_write_needs(by, need.school))
    note = _text(note, _("la note"), 2000, multiline=True)
    if target == NeedState.PRIORITISED and not can_rank_needs(by, need.school):
        raise ValidationError(_("Seule la direction priorise les besoins de l'établissement."))
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if seen_revision is not None and seen_revision != locked.revision:
            raise StaleNeed(STALE)
        refusal = states.refusal(locked.state, target)
        if refusal:
            raise ValidationError(refusal)
        before = locked.state
        if target == NeedState.PRIORITISED:
            last = Need.objects.filter(school_id=locked.school_id, state=NeedState.PRIORITISED).order_by("-rank")
            locked.rank = ((last.values_list("rank", flat=True).first()) or 0) + 1
        _move(locked, target, by=by, note=note)
        audit.record(
            AuditAction.NEED_STATE_CHANGED,
            actor=by,
            obj=locked,
            before={"state": before},
            after={"state": target, "note": note},
            request=request,
        )
    return locked


def rankable(school):
    """The needs the direction ranks: those identified or already prioritised."""
    return Need.objects.filter(school=school, state__in=[NeedState.IDENTIFIED, NeedState.PRIORITISED])


def stamp(needs) -> str:
    """A short fingerprint of a list of needs as a page showed it (which ones, at which revision):
    a ranking or a request is done on that list or not at all."""
    text = ",".join(f"{n.pk}:{n.revision}" for n in sorted(needs, key=lambda n: n.pk))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def rank_needs(school, ranks: dict[int, int | None], *, by, seen: str, request=None) -> list[Need]:
    """The direction's order: the needs given a number become « Priorisé », ranked 1, 2, 3… in the
    order of their numbers (ties kept in the list's order); those left blank are « Identifié »."""
    require(can_rank_needs(by, school))
    for value in ranks.values():
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 999):
            raise ValidationError(_("Un rang est un nombre entier entre 1 et 999."))
    with transaction.atomic():
        needs = list(rankable(school).select_for_update().order_by("rank", "pk"))
        if stamp(needs) != seen or set(ranks) != {n.pk for n in needs}:
            raise StaleNeed(STALE_LIST)
        chosen = sorted((n for n in needs if ranks[n.pk] is not None), key=lambda n: ranks[n.pk])
        before = {str(n.pk): n.rank for n in needs}
        now = timezone.now()
        for position, need in enumerate(chosen, start=1):
            if need.state == NeedState.IDENTIFIED:
                need.rank = position
                _move(need, NeedState.PRIORITISED, by=by, note=_("Priorisé par la direction."), at=now)
            elif need.rank != position:
                need.rank = position
                need.revision += 1
                need.save(update_fields=["rank", "revision"])
        for need in needs:
            if ranks[need.pk] is None and need.state == NeedState.PRIORITISED:
                _move(need, NeedState.IDENTIFIED, by=by, note=_("Retiré des priorités par la direction."), at=now)
        audit.record(
            AuditAction.NEEDS_RANKED,
            actor=by,
            obj=school,
            before={"ranks": before},
            after={"ranks": {str(n.pk): n.rank for n in needs}},
            request=request,
        )
    return chosen


def delete_need(need, *, by, request=None) -> None:
    """The need and its events; the journal keeps what it was."""
    require(can_write_needs(by, need.school))
    with transaction.atomic():
        audit.record(AuditAction.NEED_DELETED, actor=by, obj=need, before=_values(need), request=request)
        tallies.moved(tallies.key(need), None)
        need.delete()


# --- The request to the collectivité ---------------------------------------------------------------


def request_needs(school, funder):
    """The needs of a « Demande d'équipement »: the school's prioritised needs of this funder, ranked."""
    return Need.objects.filter(school=school, funder=funder, state=NeedState.PRIORITISED).order_by("rank", "pk")


def total_cost(needs) -> Decimal:
    return sum((n.estimated_cost for n in needs if n.estimated_cost is not None), Decimal("0"))


def collectivity_of(school, funder) -> Collectivity | None:
    return Collectivity.objects.for_school(school, funder).first()


def request_letter(school, funder, needs, collectivity, *, by, pdf: bytes, ods: bytes, filename: str) -> outbox.Letter:
    total = total_cost(needs)
    lines = [
        _("Madame, Monsieur,"),
        "",
        _("Veuillez trouver ci-joint la demande d'équipement de l'établissement %(name)s (UAI %(uai)s, %(commune)s) : "
          "%(n)d besoin(s) classé(s) par ordre de priorité par la direction, pour un coût estimé de %(total)s.")
        % {"name": school.name, "uai": school.uai, "commune": school.commune or "", "n": len(needs),
           "total": formats.euros(total)},
        "",
    ]  # fmt: skip
    for need in needs:
        cost = formats.euros(need.estimated_cost) if need.estimated_cost is not None else _("coût non estimé")
        lines.append(f"{need.rank}. {need.object} — {need.quantity} — {cost}")
    lines += [
        "",
        _(
            "Le détail (lieu, justification, indicateurs SCHÉMATIC visés) figure dans les pièces jointes (PDF et tableur)."
        ),
        _("Pour répondre, utilisez simplement la fonction « Répondre » : votre réponse parviendra à %(who)s.")
        % {"who": by.get_full_name() or by.email},
    ]
    return outbox.Letter(
        subject=_("Demande d'équipement — %(name)s (%(uai)s)") % {"name": school.name, "uai": school.uai},
        body="\n".join(lines),
        reply_to=by.email,
        headers={"X-Pilotis-UAI": school.uai},
        attachments=(
            (f"{filename}.pdf", pdf, "application/pdf"),
            (f"{filename}.ods", ods, "application/vnd.oasis.opendocument.spreadsheet"),
        ),
    )


def transmit_request(school, funder, *, by, seen: str, request=None):
    """Sends the « Demande d'équipement » of this funder to its collectivité (PDF and ODS attached,
    Reply-To the direction's address); the needs become « Transmis », each with a dated event."""
    from pilotis.equipment import documents

    require(can_rank_needs(by, school))
    collectivity = collectivity_of(school, funder)
    if collectivity is None or not collectivity.email:
        raise ValidationError(
            _(
                "La collectivité n'a pas d'adresse de réception des demandes : téléchargez la demande et envoyez-la vous-même."
            )
        )
    if not by.email:
        raise ValidationError(
            _("Votre compte n'a pas d'adresse électronique : la collectivité ne pourrait pas vous répondre.")
        )
    with transaction.atomic():
        needs = list(request_needs(school, funder).select_for_update())
        if not needs:
            raise ValidationError(_("Aucun besoin priorisé n'est à transmettre à ce financeur."))
        if stamp(needs) != seen:
            raise StaleNeed(STALE_LIST)
        filename = documents.request_filename(school, funder)
        letter = request_letter(
            school, funder, needs, collectivity, by=by,
            pdf=documents.render_request_pdf(school, funder, needs),
            ods=documents.RequestExport(school, needs).as_ods(),
            filename=filename,
        )  # fmt: skip
        mailing = outbox.post(
            kind=MAIL_KIND,
            label=_("Demande d'équipement de %(uai)s à %(to)s") % {"uai": school.uai, "to": collectivity.name},
            letter=letter,
            to=[collectivity.email],
            by=by,
        )
        note = _("Transmis à %(name)s (%(email)s).") % {"name": collectivity.name, "email": collectivity.email}
        now = timezone.now()
        for need in needs:
            _move(need, NeedState.TRANSMITTED, by=by, note=note, at=now)
        audit.record(
            AuditAction.EQUIPMENT_REQUEST_SENT,
            actor=by,
            obj=school,
            after={
                "funder": funder,
                "collectivity": collectivity.name,
                "to": collectivity.email,
                "needs": [n.pk for n in needs],
                "total": str(total_cost(needs)),
                "mailing": mailing.pk,
            },
            request=request,
        )
    return mailing


# --- Collectivités ---------------------------------------------------------------------------------


def set_collectivity(academy, *, kind, department=None, name, email="", by, request=None) -> Collectivity:
    """The DANE sets where a collectivité of its académie receives the requests."""
    require(can_manage_collectivities(by, academy.pk))
    if kind not in CollectivityKind.values:
        raise ValidationError(_("Choisissez Département ou Région."))
    if kind == CollectivityKind.DEPARTMENT:
        if department is None or department.academy_id != academy.pk:
            raise ValidationError(_("Choisissez un département de l'académie."))
    else:
        department = None
    name = _text(name, _("le nom"), 200, required=True)
    email = _text(email, _("l'adresse électronique"), 254)
    if email:
        email = outbox.clean_addresses([email])[0].lower()
    with transaction.atomic():
        lookup = {"kind": kind, "academy": academy}
        if department is not None:
            lookup = {"kind": kind, "department": department}
        existing = Collectivity.objects.select_for_update().filter(**lookup).first()
        before = {"name": existing.name, "email": existing.email} if existing else None
        if existing is None:
            existing = Collectivity(academy=academy, kind=kind, department=department)
        existing.name, existing.email = name, email
        existing.revision += 1
        existing.save()
        audit.record(
            AuditAction.COLLECTIVITY_CHANGED,
            actor=by,
            obj=existing,
            before=before,
            after={"name": name, "email": email},
            request=request,
        )
    return existing
