"""The territory's dashboards: Avancement · Maturité · Indicateurs · Évolution, and their exports.

Every page starts from `campaigns_for(user)` (a campaign of another académie is a 404) and
`departments_for(user, campaign)` (a correspondent's figures are their départements', whatever
the URL says). The figures come from `figures` (counters), the lists from `schools` (one
joined query per page).
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.core.exporters import attachment_response
from pilotis.core.forms import INVALID_FILTERS
from pilotis.core.guards import get_or_refuse, guarded
from pilotis.referential.cache import domains_of
from pilotis.steering import exports, figures, services
from pilotis.steering.forms import (
    PROGRESS_STATES,
    IndicatorsForm,
    MaturityForm,
    ProgressForm,
    ReminderForm,
    TrendsForm,
)
from pilotis.steering.models import ReminderTarget
from pilotis.steering.perms import campaigns_for, can_steer, departments_for, follows_academy
from pilotis.steering.schools import SortedIdsFirst, by_level, heat_map, in_state, referents_of, with_assessment

PAGE_SIZE = 50
GUARD = "steering:read"

BOARDS = [
    ("progress", _("Avancement")),
    ("maturity", _("Maturité")),
    ("indicators", _("Indicateurs")),
    ("trends", _("Évolution")),
]


class Board:
    """What every dashboard needs: the campaign, the départements followed, the one chosen."""

    def __init__(self, request, campaign_pk, form_class):
        self.request = request
        self.campaign = get_or_refuse(
            request,
            campaigns_for(request.user).select_related("academy", "referential"),
            what="campaign",
            pk=campaign_pk,
        )
        self.departments = list(departments_for(request.user, self.campaign))  # read once, used four times
        self.whole_academy = follows_academy(request.user, self.campaign)
        self.domains = domains_of(self.campaign.referential)
        form_kwargs = {"domains": self.domains} if form_class is MaturityForm else {}
        self.form = form_class(request.GET or None, departments=self.departments, **form_kwargs)
        # Said on this page only (not a message): an export with the same filters would leave a
        # message behind for the next page.
        self.notices = []
        if self.form.is_bound and not self.form.is_valid():
            self.notices.append(INVALID_FILTERS)
        department = self.form.cleaned_data.get("department") if self.form.is_bound and self.form.is_valid() else None
        self.department = department
        self.territory = figures.Territory.of(self.campaign, [department] if department else self.departments)

    def param(self, name, default=""):
        if self.form.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get(name) or default
        return default

    def context(self, board, **extra):
        return {
            "campaign": self.campaign,
            "campaigns": campaigns_for(self.request.user).select_related("academy").order_by("-school_year"),
            "form": self.form,
            "board": board,
            "boards": BOARDS,
            "department": self.department,
            "territory_departments": self.departments,
            "whole_academy": self.whole_academy,
            "territory": self.territory,
            "min_schools": figures.MIN_SCHOOLS,
            "query": self.request.GET.urlencode(),
            "notices": self.notices,
            **extra,
        }


def _page(request, queryset, count=None):
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # known from the counters: no COUNT(*) over the territory
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


@require_GET
@guarded(GUARD, can_steer)
def index(request):
    """The latest campaign the user follows, or a word saying there is none yet."""
    campaign = campaigns_for(request.user).started().first()  # the current one; never one scheduled for later
    if campaign is None:
        return render(request, "steering/no_campaign.html")
    return redirect("steering:progress", campaign=campaign.pk)


@require_GET
@guarded(GUARD, can_steer)
def progress(request, campaign):
    board = Board(request, campaign, ProgressForm)
    done = figures.progress(board.territory)
    state = board.param("state", "not_started")
    counts = {"not_started": done.not_started, "filling": done.filling, "validated": done.validated}
    schools = in_state(with_assessment(board.territory), state, board.campaign).order_by("name", "uai")
    page = _page(request, schools, count=counts[state])
    schools = list(page.object_list)  # one query for the page, not one per use
    referents = referents_of(schools)
    reminded = services.last_reminders(board.campaign, schools)
    rows = [(school, referents.get(school.pk, []), reminded.get(school.pk)) for school in schools]
    states = [(code, label, counts[code]) for code, label in PROGRESS_STATES]
    return render(
        request,
        "steering/progress.html",
        board.context("progress", progress=done, state=state, states=states, page_obj=page, rows=rows),
    )


@require_GET
@guarded(GUARD, can_steer)
def maturity(request, campaign):
    board = Board(request, campaign, MaturityForm)
    domains = board.domains
    codes = {d.code for d in domains}
    schools, sort = heat_map(board.territory, board.form, codes)  # the export's list too
    # The page count: the territory's, unless a filter narrows it; counted on the schools alone
    # then (a COUNT over the joined, annotated list costs four times as much).
    count = board.territory.school_count
    if board.form.narrows():
        count = board.form.filter(board.territory.schools()).count()
    page = _page(request, SortedIdsFirst(schools) if by_level(sort, codes) else schools, count=count)
    rows = [
        (school, [(school.levels or {}).get(d.code) if school.answered else None for d in domains])
        for school in page.object_list
    ]
    distribution = figures.level_distribution(board.territory)
    return render(
        request,
        "steering/maturity.html",
        board.context("maturity", domains=domains, rows=rows, page_obj=page, sort=sort, distribution=distribution),
    )


@require_GET
@guarded(GUARD, can_steer)
def indicators(request, campaign):
    board = Board(request, campaign, IndicatorsForm)
    sort = board.param("sort", "code")
    rows = exports.sort_indicators(figures.indicators(board.territory), sort)
    return render(
        request,
        "steering/indicators.html",
        board.context("indicators", rows=rows, sort=sort),
    )


@require_GET
@guarded(GUARD, can_steer)
def trends(request, campaign):
    board = Board(request, campaign, TrendsForm)
    summaries = figures.trends(board.territory)
    share = board.param("share", "done")
    sections = [
        replace(section, lines=[line for line in section.lines if line.share == share])
        if section.indicators
        else section
        for section in exports.trend_sections(summaries)
    ]
    lines = [line for section in sections for line in section.lines]
    return render(
        request,
        "steering/trends.html",
        board.context(
            "trends",
            summaries=summaries,
            sections=sections,
            lines=lines,
            share=share,
            share_label=next(label for key, _key, label in exports.SHARES if key == share),
        ),
    )


EXPORTS = {
    "progress": (ProgressForm, exports.ProgressExport),
    "maturity": (MaturityForm, exports.MaturityExport),
    # The maturity page's second table: its own file (`exports.DistributionExport` says why).
    "distribution": (MaturityForm, exports.DistributionExport),
    "indicators": (IndicatorsForm, exports.IndicatorsExport),
    "trends": (TrendsForm, exports.TrendsExport),
}


@require_GET
@guarded(GUARD, can_steer)
def export(request, campaign, board, fmt):
    """The same figures as the page, filters included, as CSV or ODS."""
    if board not in EXPORTS or fmt not in ("csv", "ods"):
        raise Http404
    form_class, exporter_class = EXPORTS[board]
    exporter = exporter_class(Board(request, campaign, form_class))
    content = exporter.as_csv() if fmt == "csv" else exporter.as_ods()
    return attachment_response(content, f"{exporter.filename}.{fmt}")


@require_http_methods(["GET", "POST"])
@guarded(GUARD, can_steer)
def reminders(request, campaign):
    """Reminds the direction and RUPN of the schools that have not started, or not validated."""
    board = Board(request, campaign, ReminderForm)
    target = board.param("target", ReminderTarget.NOT_STARTED)
    if request.method == "POST":
        form = ReminderForm(request.POST, departments=board.departments)
        if not form.is_valid():
            messages.error(request, _("Choisissez qui relancer."))
        elif not board.campaign.is_open:
            messages.error(request, _("La campagne est close : il n'y a plus personne à relancer."))
        else:
            department = form.cleaned_data.get("department")
            territory = figures.Territory.of(board.campaign, [department] if department else board.departments)
            try:
                batch = services.request_reminders(
                    territory,
                    target=form.cleaned_data["target"],
                    department=department,
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    ngettext(
                        "La relance de %(count)d établissement part en arrière-plan : l'historique ci-dessous dit quand elle est envoyée.",
                        "La relance de %(count)d établissements part en arrière-plan : l'historique ci-dessous dit quand elle est envoyée.",
                        batch.schools,
                    )
                    % {"count": batch.schools},
                )
                return redirect(f"{request.path}?department={department.pk}" if department else request.path)
    to_remind = 0
    if board.campaign.is_open:
        # The counters' figures, as the progress tiles show them: no count over the territory.
        progress = figures.progress(board.territory)
        to_remind = (
            progress.not_started if target == ReminderTarget.NOT_STARTED else progress.schools - progress.validated
        )
    return render(
        request,
        "steering/reminders.html",
        board.context(
            "progress",
            target=target,
            to_remind=to_remind,
            history=services.history(board.campaign, board.territory),
        ),
    )
