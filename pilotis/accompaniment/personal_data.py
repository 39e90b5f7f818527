"""What the accompaniment log holds about a person (core.personal_data): the entries they wrote. The
participants are free text the author typed, kept as the record of the meeting."""

from django.utils.translation import gettext as _

from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when


@section("accompaniment", lambda: _("Suivi de l'accompagnement : les échanges que vous avez notés"), 75)
def entries(user) -> list[dict]:
    return [
        {
            _("établissement"): entry.school.name,
            _("date"): when(entry.happened_on),
            _("nature"): entry.get_kind_display(),
            _("participants"): entry.participants,
            _("notes"): entry.notes,
            _("prochaines étapes"): entry.next_steps,
            _("date de la prochaine étape"): when(entry.next_step_on),
            _("partagé avec l'établissement"): entry.shared_with_school,
            _("actions concernées"): [action.title for action in entry.actions.all()],
        }
        for entry in AccompanimentEntry.objects.filter(author=user)
        .select_related("school")
        .prefetch_related("actions")
        .order_by("happened_on", "pk")
    ]


@anonymiser("accompaniment")
def forget(user) -> None:
    AccompanimentEntry.objects.filter(author=user).update(author_label=str(ANONYMOUS_LABEL))
