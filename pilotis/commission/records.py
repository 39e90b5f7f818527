"""What the commission's record says about a school year, read in one query: the meetings held, and
those where parents and pupils were present. The home page, the school's panel and the notes beside
PIL.2.01 and PIL.3.01 all say it in the same words."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext

from pilotis.commission.enums import MeetingState, MemberGroup, Presence
from pilotis.commission.models import Attendance, Meeting


def _present(group):
    return Exists(Attendance.objects.filter(meeting=OuterRef("pk"), presence=Presence.PRESENT, member__group=group))


def with_families():
    """Annotates `with_families`: parents and pupils were both present."""
    return {"has_parents": _present(MemberGroup.PARENTS), "has_pupils": _present(MemberGroup.PUPILS)}


@dataclass(frozen=True)
class YearRecord:
    meetings: list  # the meetings held (minutes recorded or validated), oldest first

    @property
    def held(self) -> int:
        return len(self.meetings)

    @property
    def with_families(self) -> int:
        return sum(1 for m in self.meetings if m.has_parents and m.has_pupils)

    def sentence(self, *, this_year_words) -> str:
        if not self.meetings:
            return ""
        held = ngettext("%(n)s réunion %(when)s", "%(n)s réunions %(when)s", self.held) % {
            "n": self.held,
            "when": this_year_words,
        }
        return ngettext(
            "%(held)s, dont %(m)s avec des parents et des élèves",
            "%(held)s, dont %(m)s avec des parents et des élèves",
            self.with_families,
        ) % {"held": held, "m": self.with_families}


def year_record(school, school_year) -> YearRecord:
    from pilotis.commission.services import year_bounds

    start, end = year_bounds(school_year)
    meetings = list(
        Meeting.objects.filter(
            school=school,
            starts_at__gte=start,
            starts_at__lt=end,
            state__in=[MeetingState.HELD, MeetingState.VALIDATED],
        )
        .annotate(**with_families())
        .order_by("starts_at", "pk")
    )
    return YearRecord(meetings)
