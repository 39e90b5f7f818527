"""The register as a spreadsheet (ODS) through `core.exporters`, for the handover when a RUPN changes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import Column, Exporter


class RegisterExport(Exporter):
    columns = (
        Column("kind", gettext_lazy("Nature"), "4.5cm"),
        Column("name", gettext_lazy("Service"), "5cm"),
        Column("address", gettext_lazy("Adresse"), "7cm"),
        Column("administrators", gettext_lazy("Administré à l’établissement par"), "7cm"),
        Column("outside", gettext_lazy("Administré hors de l’établissement par"), "5cm"),
        Column("since", gettext_lazy("En service depuis"), "3.5cm"),
        Column("support", gettext_lazy("Assistance"), "4cm"),
        Column("note", gettext_lazy("Note"), "8cm"),
        Column("updated_at", gettext_lazy("Mis à jour le"), "3.2cm"),
    )

    def __init__(self, school, rows):
        """`rows`: the views' (service, administrators) pairs, administrators as (user, still a member)."""
        self.school = school
        self.title = _("Services numériques")
        self._rows = rows

    def rows(self):
        left = _("a quitté l’établissement")
        for service, administrators in self._rows:
            yield {
                "kind": service.get_kind_display(),
                "name": service.name,
                "address": service.address,
                "administrators": ", ".join(
                    str(user) if member else f"{user} ({left})" for user, member in administrators
                ),
                "outside": service.outside_administrator,
                "since": service.since_input,
                "support": service.support_channel,
                "note": service.note,
                "updated_at": service.updated_at.date(),
            }
