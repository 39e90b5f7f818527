"""The first text of a flash'infos, drafted from what happened in the school during its period.

Each source gives one Markdown section (a heading and a list); a section with nothing to tell is
left out. Titles are written as plain text, never as links: the issue goes to people outside
Pilotis (the parents' association, the CDI), who could not open the school's pages anyway. The
RUPN then rewrites what they like; nothing is sent without their click."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import AnswerChange
from pilotis.commission.enums import MeetingState
from pilotis.commission.models import Decision
from pilotis.core import formats
from pilotis.fiches.enums import FicheState
from pilotis.fiches.models import Fiche
from pilotis.news.models import NewsItem
from pilotis.newsletters.models import Newsletter
from pilotis.newsletters.rhythm import school_year_start
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, ActionEvent
from pilotis.workshops.models import Workshop

# What the RUPN is asked to write themselves; the publication's page names the sections that
# still hold it.
TO_WRITE = gettext_lazy("À compléter.")


@dataclass(frozen=True)
class Period:
    start: datetime.datetime
    end: datetime.datetime


def period_for(school, now=None) -> Period:
    """From the previous issue's publication, or from the school year's start, to now."""
    now = now or timezone.now()
    last = Newsletter.objects.published().filter(school=school).order_by("-published_at").first()
    if last is not None:
        return Period(last.published_at, now)
    start = school_year_start(timezone.localdate(now))
    return Period(timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)), now)


def news_for_school(school):
    """The académie's news whose audience includes the school: its académie, its département or
    every one, its type of school or every type; published and not withdrawn."""
    return NewsItem.objects.filter(
        Q(department__isnull=True) | Q(department_id=school.department_id),
        Q(school_kind="") | Q(school_kind=school.kind),
        academy_id=school.department.academy_id,
        published_at__isnull=False,
        published_at__lte=timezone.now(),
        withdrawn_at__isnull=True,
    )


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _section(title: str, lines) -> str:
    lines = list(lines)
    return f"## {title}\n\n{_bullets(lines)}" if lines else ""


def indicators_done(school, period: Period) -> str:
    """The indicators whose answer became « Réalisé » in the period and still is."""
    changes = (
        AnswerChange.objects.filter(
            answer__assessment__school=school,
            answer__status=AnswerStatus.DONE,
            status_after=AnswerStatus.DONE,
            changed_at__gte=period.start,
            changed_at__lte=period.end,
        )
        .exclude(status_before=AnswerStatus.DONE)
        .select_related("answer__indicator")
        .order_by("answer__indicator__code", "changed_at")
    )
    seen, lines = set(), []
    for change in changes:
        indicator = change.answer.indicator
        if indicator.code not in seen:
            seen.add(indicator.code)
            lines.append(f"{indicator.code} — {indicator.statement}")
    return _section(_("Ce que l’établissement a atteint"), lines)


def plan_actions(school, period: Period) -> str:
    """The plan's actions done in the period, then those started in it and still going."""
    first, last = timezone.localdate(period.start), timezone.localdate(period.end)
    done = Action.objects.filter(
        school=school, status=ActionStatus.DONE, done_on__gte=first, done_on__lte=last
    ).order_by("done_on", "pk")
    started = (
        Action.objects.filter(
            school=school,
            status=ActionStatus.IN_PROGRESS,
            pk__in=ActionEvent.objects.filter(
                status_after=ActionStatus.IN_PROGRESS, at__gte=period.start, at__lte=period.end
            ).values("action_id"),
        )
        .exclude(pk__in=done.values("pk"))
        .order_by("pk")
    )
    lines = [_("%(title)s : réalisée le %(day)s") % {"title": a.title, "day": formats.day(a.done_on)} for a in done]
    lines += [_("%(title)s : commencée") % {"title": a.title} for a in started]
    return _section(_("Le plan d’actions numérique avance"), lines)


def fiches(school, period: Period) -> str:
    """The usage fiches the school published in the period (and has not taken down)."""
    published = Fiche.objects.filter(
        school=school,
        state=FicheState.PUBLISHED,
        published_at__gte=period.start,
        published_at__lte=period.end,
        taken_down_at__isnull=True,
    ).order_by("published_at", "pk")
    return _section(_("Nos fiches d’usage"), (f.title for f in published))


def workshops(school, period: Period) -> str:
    """The workshops held in the period, and those to come."""
    today = timezone.localdate(period.end)
    held = Workshop.objects.filter(
        school=school, held_on__gte=timezone.localdate(period.start), held_on__lte=today
    ).order_by("held_on", "starts_at", "pk")
    upcoming = Workshop.objects.filter(school=school, held_on__gt=today).order_by("held_on", "starts_at", "pk")
    parts = []
    if held:
        parts.append(
            _section(
                _("Ateliers et formations qui ont eu lieu"),
                (f"{w.title} ({w.get_kind_display().lower()}, {formats.day(w.held_on)})" for w in held),
            )
        )
    if upcoming:
        parts.append(
            _section(
                _("Ateliers et formations à venir"),
                (f"{w.title} ({w.get_kind_display().lower()}, {formats.day(w.held_on)})" for w in upcoming),
            )
        )
    return "\n\n".join(parts)


def commission_decisions(school, period: Period) -> str:
    """The decisions of the commission numérique whose minutes were validated in the period."""
    decisions = (
        Decision.objects.filter(
            meeting__school=school,
            meeting__state=MeetingState.VALIDATED,
            meeting__validated_at__gte=period.start,
            meeting__validated_at__lte=period.end,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "position", "pk")
    )
    lines = [
        _("%(text)s (réunion du %(day)s)") % {"text": " ".join(d.text.split()), "day": formats.day(d.meeting.starts_at)}
        for d in decisions
    ]
    return _section(_("Les décisions de la commission numérique"), lines)


def news_text(item: NewsItem) -> str:
    """An item of the académie's news as a paragraph of the issue: title, text, link."""
    parts = [f"### {item.title}", item.body.strip()]
    if item.link:
        parts.append(_("En savoir plus : %(link)s") % {"link": item.link})
    return "\n\n".join(part for part in parts if part)


def academy_news(school, period: Period) -> str:
    """The académie's news published in the period for this school."""
    items = news_for_school(school).filter(published_at__gte=period.start, published_at__lte=period.end)
    items = list(items.order_by("published_at", "pk"))
    if not items:
        return ""
    return f"## {_('Les actualités de l’académie')}\n\n" + "\n\n".join(news_text(item) for item in items)


SOURCES = (indicators_done, plan_actions, fiches, workshops, commission_decisions, academy_news)


def draft_body(school, period: Period) -> str:
    """The whole first text: a word of the RUPN to write, then each source that has something."""
    intro = f"## {_('Le mot du RUPN')}\n\n{TO_WRITE}"
    sections = [text for source in SOURCES if (text := source(school, period))]
    return "\n\n".join([intro, *sections]) + "\n"


def empty_sections(body: str) -> list[str]:
    """The headings of the text under which nothing is written, or only « À compléter. » (a
    subheading counts as something written under the heading above it)."""
    sections: list[tuple[str, int, list[str]]] = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            deepest = level
            for _title, above, lines in reversed(sections):  # its parents, up to the top
                if above < deepest:
                    lines.append(stripped)
                    deepest = above
            sections.append((stripped.lstrip("#").strip(), level, []))
        elif sections:
            sections[-1][2].append(stripped)
    placeholder = str(TO_WRITE)
    return [title for title, _level, lines in sections if not "".join(lines).replace(placeholder, "").strip()]
