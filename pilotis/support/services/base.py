"""What every write of the demandes d'assistance shares: the author's check, a stale edit, one-line text,
asking the worker to send or follow a request."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from pilotis.core.validators import first_forbidden_character


class StaleRequest(ValidationError):
    """The request changed since the page was loaded: nothing was written."""


STALE = _(
    "La demande a été modifiée depuis l'affichage de cette page : rien n'a été enregistré. Vos saisies sont "
    "ci-dessous ; rechargez la page pour voir la version actuelle, puis reprenez-les."
)


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


def enqueue_send(request_id: int, run_after=None) -> None:
    from pilotis.support.tasks import send_request

    task = send_request.using(run_after=run_after) if run_after else send_request
    task.enqueue(request_id)


def enqueue_follow(request_id: int, run_after=None) -> None:
    from pilotis.support.tasks import follow_request

    task = follow_request.using(run_after=run_after) if run_after else follow_request
    task.enqueue(request_id)
