"""Every write of the accompaniment log, each in a transaction with its audit row. Each service checks
its author itself (`PermissionDenied`), whatever the view did, and refuses bad input with a
`ValidationError` in French before writing anything."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accompaniment.enums import ContactKind
from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.accompaniment.perms import can_keep_log
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.validators import validate_multiline, validate_one_line

# What a service takes from its caller, besides the school, the actions and the author.
FIELDS = ("happened_on", "kind", "participants", "notes", "next_steps", "next_step_on", "shared_with_school")
ONE_LINE = ("participants",)
MULTILINE = ("notes", "next_steps")


class StaleEntry(ValidationError):
    """The entry changed since the author's page was loaded: nothing was written."""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _clean(school, fields: dict, actions) -> dict:
    """The checks of every write, before anything is written; the values to store."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    data = {
        "participants": "",
        "notes": "",
        "next_steps": "",
        "next_step_on": None,
        "shared_with_school": False,
        **fields,
    }
    errors = []
    happened_on, next_step_on = data.get("happened_on"), data["next_step_on"]
    if happened_on is None:
        errors.append(_("Donnez la date de l'échange."))
    elif happened_on > timezone.localdate():
        errors.append(
            _("La date de l'échange ne peut pas être à venir : notez un rendez-vous prévu en prochaine étape.")
        )
    if data.get("kind") not in ContactKind.values:
        errors.append(_("Choisissez la nature de l'échange (visite, visio, appel, formation, message)."))
    if next_step_on is not None and happened_on is not None and next_step_on < happened_on:
        errors.append(_("La date de la prochaine étape ne peut pas précéder celle de l'échange."))
    if next_step_on is not None and not data["next_steps"].strip():
        errors.append(_("Dites quelle est la prochaine étape prévue à cette date."))
    for name in ONE_LINE:
        try:
            validate_one_line(data[name])
        except ValidationError:
            errors.append(_("Les participants contiennent des caractères non autorisés."))
    for name in MULTILINE:
        try:
            validate_multiline(data[name])
        except ValidationError:
            errors.append(_("Le texte contient des caractères non autorisés."))
    foreign = [action.title for action in actions if action.school_id != school.pk]
    if foreign:
        errors.append(
            _("Ces actions ne sont pas celles du plan de l'établissement : %(titles)s.")
            % {"titles": ", ".join(foreign)}
        )
    if errors:
        raise ValidationError(errors)
    return data


def _state(entry, actions) -> dict:
    """What the audit row keeps of an entry: its dates, kind and sharing, never its notes."""
    return {
        "happened_on": entry.happened_on.isoformat(),
        "kind": entry.kind,
        "next_step_on": entry.next_step_on.isoformat() if entry.next_step_on else None,
        "shared_with_school": entry.shared_with_school,
        "actions": sorted(action.pk for action in actions),
    }


def record_entry(school, *, by, actions=(), request=None, **fields) -> AccompanimentEntry:
    """Adds an entry to the school's log: date, kind, participants, notes, next steps and their date,
    the school's actions it concerns, whether it is shared with the school."""
    require(can_keep_log(by, school))
    actions = list(actions)
    data = _clean(school, fields, actions)
    with transaction.atomic():
        now = timezone.now()
        entry = AccompanimentEntry(
            school=school, author=by, author_label=_label(by), created_at=now, updated_at=now, **data
        )
        entry.full_clean(exclude=["school", "author"])
        entry.save()
        if actions:
            entry.actions.set(actions)
        audit.record(
            AuditAction.ACCOMPANIMENT_RECORDED, actor=by, obj=entry, after=_state(entry, actions), request=request
        )
    return entry


def update_entry(entry, *, by, seen_revision, actions=(), request=None, **fields) -> AccompanimentEntry:
    """Changes an entry. `seen_revision`: the revision the author's page showed; if the entry changed
    since, nothing is written (`StaleEntry`) and the author's input stays in their form."""
    require(can_keep_log(by, entry.school))
    actions = list(actions)
    data = _clean(entry.school, fields, actions)
    with transaction.atomic():
        locked = AccompanimentEntry.objects.select_for_update().get(pk=entry.pk)
        if seen_revision != locked.revision:
            raise StaleEntry(
                _(
                    "Cette entrée a été modifiée depuis l'ouverture de cette page : rien n'a été enregistré. "
                    "Votre saisie est conservée ci-dessous ; comparez-la avec la version enregistrée, puis "
                    "enregistrez de nouveau."
                )
            )
        before = _state(locked, locked.actions.all())
        for name, value in data.items():
            setattr(locked, name, value)
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.full_clean(exclude=["school", "author"])
        locked.save()
        locked.actions.set(actions)
        audit.record(
            AuditAction.ACCOMPANIMENT_RECORDED,
            actor=by,
            obj=locked,
            before=before,
            after=_state(locked, actions),
            request=request,
        )
    return locked


def delete_entry(entry, *, by, seen_revision, request=None) -> None:
    """Removes an entry from the log (after a confirmation page), if it has not changed since."""
    require(can_keep_log(by, entry.school))
    with transaction.atomic():
        locked = AccompanimentEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if locked is None:
            raise ValidationError(_("Cette entrée a déjà été supprimée."))
        if seen_revision != locked.revision:
            raise StaleEntry(
                _("Cette entrée a été modifiée depuis l'ouverture de cette page : relisez-la avant de la supprimer.")
            )
        before = _state(locked, locked.actions.all())
        audit.record(AuditAction.ACCOMPANIMENT_DELETED, actor=by, obj=locked, before=before, request=request)
        locked.actions.clear()
        locked.delete()


def _label(user) -> str:
    return str(user)[:200]
