"""The territory's dashboards: Avancement · Maturité · Indicateurs · Évolution, and their exports.

Every page starts from `Campaign.objects.for_user(user)` (a campaign of another académie is a 404) and
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
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.assessments.models import Campaign
from pilotis.core import background_exports
from pilotis.core.background_exports import ExportUnavailable
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.forms import INVALID_FILTERS
from pilotis.core.guards import get_or_refuse, guarded
from pilotis.referential.cache import domains_of
from pilotis.steering import exports, figures, services
from pilotis.steering.forms import (
    DISTRIBUTION_OVER,
    PROGRESS_STATES,
    IndicatorsForm,
    MaturityForm,
    ProgressForm,
    ReminderForm,
    TrendsForm,
)
from pilotis.steering.models import ReminderTarget
from pilotis.steering.perms import can_remind, departments_for
from pilotis.steering.schools import (
    SortedIdsFirst,
    by_level,
    heat_map,
    in_state,
    priority_education_known,
    referents_of,
    with_assessment,
)
from pilotis.territories.perms import follows_academy, follows_territory

PAGE_SIZE = 50
GUARD = "steering:read"

BOARDS = [
    ("progress", _("Avancement")),
    ("maturity", _("Maturité")),
    ("indicators", _("Indicateurs")),
    ("trends", _("Évolution")),
    ("plans", _("Plans d'actions")),
    ("workshops", _("Ateliers et formations")),
]


class Board:
    """What every dashboard needs: the campaign, the départements followed, the one chosen."""

    def __init__(self, request, campaign_pk, form_class, *, user=None, data=None):
        """From a request; or, for the worker (`user` and `data`, `request` None), as that user,
        with the filters `data` (a QueryDict): a campaign out of their scope is then refused."""
        self.request = request
        user = request.user if request is not None else user
        campaigns = Campaign.objects.for_user(user).select_related("academy", "referential")
        if request is not None:
            self.campaign = get_or_refuse(request, campaigns, what="campaign", pk=campaign_pk)
            data = request.GET
        else:
            self.campaign = campaigns.filter(pk=campaign_pk).first()
            if self.campaign is None:
                raise ExportUnavailable(_("Cette campagne n’est plus dans votre territoire."))
        self.departments = list(departments_for(user, self.campaign))  # read once, used four times
        self.whole_academy = follows_academy(user, self.campaign.academy_id)
        self.domains = domains_of(self.campaign.referential)
        form_kwargs = {}
        if form_class is MaturityForm:
            known = priority_education_known([d.pk for d in self.departments])
            form_kwargs = {"domains": self.domains, "priority_known": known}
        self.form = form_class(data or None, departments=self.departments, **form_kwargs)
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
            "campaigns": Campaign.objects.for_user(self.request.user)
            .select_related("academy")
            .order_by("-school_year"),
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
@guarded(GUARD, follows_territory)
def index(request):
    """The latest campaign the user follows, or a word saying there is none yet."""
    campaign = (
        Campaign.objects.for_user(request.user).started().first()
    )  # the current one; never one scheduled for later
    if campaign is None:
        return render(request, "steering/no_campaign.html")
    return redirect("steering:progress", campaign=campaign.pk)


@require_GET
@guarded(GUARD, follows_territory)
def progress(request, campaign):
    board = Board(request, campaign, ProgressForm)
    done = figures.progress(board.territory)
    state = board.param("state", "not_started")
    counts = {"not_started": done.not_started, "filling": done.filling, "validated": done.validated}
    schools = in_state(with_assessment(board.territory), state, board.campaign).order_by("sort_name", "uai")
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
@guarded(GUARD, follows_territory)
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
    over = board.param("over", figures.OVER_VALIDATED)
    done = figures.progress(board.territory)
    distribution = figures.level_distribution(board.territory, over, done)
    return render(
        request,
        "steering/maturity.html",
        board.context(
            "maturity",
            domains=domains,
            rows=rows,
            page_obj=page,
            sort=sort,
            distribution=distribution,
            over=over,
            progress=done,
            over_choices=DISTRIBUTION_OVER,
        ),
    )


@require_GET
@guarded(GUARD, follows_territory)
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
@guarded(GUARD, follows_territory)
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
@guarded(GUARD, follows_territory)
def export(request, campaign, board, fmt):
    """The same figures as the page, filters included, as CSV or ODS: at once, or past
    EXPORT_BACKGROUND_ROWS rows, a page offering to prepare it in the background."""
    if board not in EXPORTS or fmt not in ("csv", "ods"):
        raise Http404
    form_class, exporter_class = EXPORTS[board]
    exporter = exporter_class(Board(request, campaign, form_class))
    page = reverse(f"steering:{board if board != 'distribution' else 'maturity'}", args=[campaign])
    return background_exports.answer(
        request,
        exporter,
        fmt,
        f"{exporter.filename}.{fmt}",
        kind="steering",
        params={"campaign": campaign, "board": board, "query": background_exports.query_params(request.GET)},
        back_url=page,
    )


def _reminders_url(campaign, department, target=None):
    query = {}
    if department:
        query["department"] = department.pk
    if target:
        query["target"] = target
    url = reverse("steering:reminders", args=[campaign.pk])
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
@guarded(GUARD, follows_territory)
def reminders(request, campaign):
    """Who would be reminded, and the history; the send itself asks first (`remind`)."""
    board = Board(request, campaign, ReminderForm)
    target = board.param("target", ReminderTarget.NOT_STARTED)
    to_remind = 0
    if board.campaign.is_open:
        # The counters' figures, as the progress tiles show them: no count over the territory.
        progress = figures.progress(board.territory)
        to_remind = (
            progress.not_started if target == ReminderTarget.NOT_STARTED else progress.schools - progress.validated
        )
    history = services.history(board.campaign, board.territory)
    query = {"target": target, **({"department": board.department.pk} if board.department else {})}
    return render(
        request,
        "steering/reminders.html",
        board.context(
            "progress",
            target=target,
            to_remind=to_remind,
            history=history,
            sent_today=services.sent_today(history),
            remind_url=f"{reverse('steering:remind', args=[board.campaign.pk])}?{urlencode(query)}",
        ),
    )


REMIND_GUARD = "steering:remind"


@require_http_methods(["GET", "POST"])
@guarded(REMIND_GUARD, can_remind)
def remind(request, campaign):
    """Sends a reminder, asking first (`core.confirm`): how many schools and recipients, the
    list's criterion, the e-mail as one school gets it, and a send made already today."""
    board = Board(request, campaign, ReminderForm)
    data = request.POST if request.method == "POST" else request.GET
    form = ReminderForm(data, departments=board.departments)
    if not form.is_valid():
        messages.error(request, _("Choisissez qui relancer."))
        return redirect(_reminders_url(board.campaign, None))
    department = form.cleaned_data.get("department")
    target = form.cleaned_data["target"]
    back = _reminders_url(board.campaign, department, target)
    territory = figures.Territory.of(board.campaign, [department] if department else board.departments)
    if request.method == "POST":
        if not board.campaign.is_open:
            messages.error(request, _("La campagne est close : il n'y a plus personne à relancer."))
            return redirect(back)
        try:
            batch = services.request_reminders(
                territory, target=target, department=department, by=request.user, request=request
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "La relance de %(count)d établissement part en arrière-plan : l'historique ci-dessous dit quand elle est envoyée.",
                "La relance de %(count)d établissements part en arrière-plan : l'historique ci-dessous dit quand elle est envoyée.",
                batch.schools,
            )
            % {"count": batch.schools},
        )
        return redirect(_reminders_url(board.campaign, department))
    return _remind_confirmation(request, board, territory, department, target, back)


def _remind_confirmation(request, board, territory, department, target, back):
    schools = services.schools_to_remind(territory, target) if board.campaign.is_open else None
    count = schools.count() if schools is not None else 0
    recipients, reached = services.recipients_of(schools) if count else (0, 0)
    where = department.name if department else _("tout votre territoire")
    criterion = dict(ReminderForm.base_fields["target"].choices)[target]
    consequences = [
        _("Critère : %(criterion)s — %(where)s.") % {"criterion": criterion, "where": where},
        ngettext(
            "%(count)d établissement sera relancé.",
            "%(count)d établissements seront relancés.",
            count,
        )
        % {"count": count},
        ngettext(
            "%(count)d courriel partira vers la direction et le ou les RUPN (%(recipients)d destinataire).",
            "%(count)d courriels partiront vers la direction et le ou les RUPN (%(recipients)d destinataires au total).",
            reached,
        )
        % {"count": reached, "recipients": recipients},
    ]
    warnings = []
    if count > reached:
        warnings.append(
            Link(
                ngettext(
                    "%(count)d établissement n'a aucun compte de direction ou de RUPN avec une adresse : il ne recevra rien.",
                    "%(count)d établissements n'ont aucun compte de direction ou de RUPN avec une adresse : ils ne recevront rien.",
                    count - reached,
                )
                % {"count": count - reached}
            )
        )
    today = services.sent_today(services.history(board.campaign, board.territory))
    if today is not None:
        warnings.insert(0, Link(_already_sent(today)))
    refusal = ""
    if not board.campaign.is_open:
        refusal = _("La campagne est close : il n'y a plus personne à relancer.")
    elif not count:
        refusal = _("Aucun établissement à relancer.")
    preview_school, message = services.preview(territory, target, request.user) if count else (None, None)
    confirmation = Confirmation(
        title=_("Envoyer la relance ?"),
        action_label=ngettext(
            "Envoyer la relance à %(count)d établissement",
            "Envoyer la relance à %(count)d établissements",
            count,
        )
        % {"count": count},
        cancel_url=back,
        consequences=consequences if count else [],
        warnings_title=_("Avant d'envoyer"),
        warnings=warnings,
        hidden={"target": target, **({"department": department.pk} if department else {})},
        refusal=refusal,
    )
    return confirmation_page(
        request,
        confirmation,
        template="steering/remind_confirm.html",
        context={"preview_school": preview_school, "message": message},
    )


def _already_sent(batch) -> str:
    return ngettext(
        "Une relance a déjà été envoyée aujourd'hui à %(time)s à %(count)d établissement : une seconde enverrait un nouveau courriel.",
        "Une relance a déjà été envoyée aujourd'hui à %(time)s à %(count)d établissements : une seconde enverrait un nouveau courriel à ceux qui sont de nouveau dans la liste.",
        batch.in_scope,
    ) % {"time": date_format(timezone.localtime(batch.requested_at), "H:i"), "count": batch.in_scope}
