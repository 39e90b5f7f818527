"""The accompaniment log: a school's log kept by the territory team (its list and add form, an
entry's change and deletion), the entries shared with the school, and the territory's follow-up.

Who may do what is in `perms`; every write goes through `services`. The school's log is the
territory team's own record: for anyone else, the school's direction included, it does not exist
(404, as out of scope); the entries shared with the school are read on their own page
(`accompaniment:shared`), where a member of the team who is neither direction nor RUPN is refused
(403: the school is theirs, the page is not for them).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.accompaniment import services
from pilotis.accompaniment.forms import DeleteForm, EntryForm, TerritoryFilterForm
from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.accompaniment.perms import can_keep_log, can_read_shared
from pilotis.accompaniment.territory import (
    DUE_WITHIN_DAYS,
    ZERO_LEVEL_DOMAINS,
    DueExport,
    QuietExport,
    due_entries,
    due_label,
    export_filename,
    quiet_reason,
    quiet_rule,
    quiet_schools,
    territory_departments,
    territory_schools,
)
from pilotis.core import background_exports
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.formats import day
from pilotis.core.forms import INVALID_FILTERS, typed_again
from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.plans.models import Action
from pilotis.territories.guards import school_action
from pilotis.territories.perms import follows_territory

PAGE_SIZE = 50


def _log_is_not_theirs(request, school, *args, **kwargs):
    """The school's people asking the territory's log: it does not exist for them (404)."""
    refuse(request, obj=school, what="accompaniment:log")


def _keeps_log(name):
    return school_action(name, can_keep_log, found=_log_is_not_theirs)


def entries_of(school, *, shared_only=False):
    entries = AccompanimentEntry.objects.filter(school=school)
    if shared_only:
        entries = entries.filter(shared_with_school=True)
    actions = Action.objects.order_by("due_on", "position", "pk")
    return entries.prefetch_related(Prefetch("actions", queryset=actions)).order_by("-happened_on", "-pk")


def _mark(entries, today):
    for entry in entries:
        entry.due = due_label(entry.next_step_on, today) if entry.next_step_on else ""
        entry.overdue = bool(entry.next_step_on) and entry.next_step_on < today
    return entries


# --- The school's log ------------------------------------------------------------------------------


def _log_page(request, school, form, status=200):
    today = timezone.localdate()
    context = {"school": school, "entries": _mark(list(entries_of(school)), today), "form": form, "today": today}
    return render(request, "accompaniment/log.html", context, status=status)


@require_GET
@_keeps_log("accompaniment:read")
def log(request, school):
    return _log_page(request, school, EntryForm(school=school, initial={"happened_on": timezone.localdate()}))


@require_POST
@_keeps_log("accompaniment:write")
def add(request, school):
    form = EntryForm(request.POST, school=school)
    if form.is_valid():
        try:
            services.record_entry(
                school,
                by=request.user,
                actions=form.chosen_actions(),
                request=request,
                **form.entry_fields(),
            )
        except PermissionDenied:
            refuse(request, obj=school, what="accompaniment:write", status=403)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'échange est ajouté au suivi de l'accompagnement."))
            return redirect("accompaniment:log", school.uai)
    return _log_page(request, school, form, status=400)


def _entry(request, school, pk):
    return get_or_refuse(request, AccompanimentEntry.objects.filter(school=school), what="accompaniment_entry", pk=pk)


def _initial(entry) -> dict:
    return {
        "happened_on": entry.happened_on,
        "kind": entry.kind,
        "participants": entry.participants,
        "notes": entry.notes,
        "next_steps": entry.next_steps,
        "next_step_on": entry.next_step_on,
        "shared_with_school": entry.shared_with_school,
        "actions": [action.pk for action in entry.actions.all()],
        "seen_revision": entry.revision,
    }


@require_http_methods(["GET", "POST"])
@_keeps_log("accompaniment:write")
def edit(request, school, pk):
    entry = _entry(request, school, pk)
    form = EntryForm(request.POST or None, school=school, initial=_initial(entry))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(
                entry,
                by=request.user,
                seen_revision=form.cleaned_data["seen_revision"],
                actions=form.chosen_actions(),
                request=request,
                **form.entry_fields(),
            )
        except services.StaleEntry as exc:
            # The page shows the version saved meanwhile beside what the person typed.
            current = entries_of(school).get(pk=entry.pk)
            form = typed_again(lambda typed: EntryForm(typed, school=school), request.POST, current.revision, exc)
        except PermissionDenied:
            refuse(request, obj=entry, what="accompaniment:write", status=403)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'entrée du suivi est modifiée."))
            return redirect("accompaniment:log", school.uai)
    if current is not None:
        _mark([current], timezone.localdate())
    context = {"school": school, "entry": entry, "form": form, "current": current}
    return render(request, "accompaniment/edit.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@_keeps_log("accompaniment:write")
def delete(request, school, pk):
    entry = _entry(request, school, pk)
    if request.method == "GET":
        return confirmation_page(request, _delete_confirmation(school, entry))
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La demande est incomplète : rechargez la page et recommencez."))
        return redirect("accompaniment:delete", school.uai, entry.pk)
    try:
        services.delete_entry(entry, by=request.user, seen_revision=form.cleaned_data["seen_revision"], request=request)
    except PermissionDenied:
        refuse(request, obj=entry, what="accompaniment:write", status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accompaniment:log", school.uai)
    messages.success(request, _("L'entrée du suivi est supprimée."))
    return redirect("accompaniment:log", school.uai)


def _delete_confirmation(school, entry) -> Confirmation:
    consequences = [
        _("L'échange du %(day)s (%(kind)s) sera retiré du suivi de l'accompagnement de %(school)s.")
        % {"day": day(entry.happened_on), "kind": entry.get_kind_display().lower(), "school": school.name},
        _("Ses notes et ses prochaines étapes seront perdues ; le journal d'audit garde la trace de la suppression."),
    ]
    if entry.shared_with_school:
        consequences.append(_("La direction et le RUPN de l'établissement ne la liront plus."))
    return Confirmation(
        title=_("Supprimer cette entrée du suivi ?"),
        action_label=_("Supprimer l'entrée"),
        cancel_url=reverse("accompaniment:log", args=[school.uai]),
        consequences=consequences,
        danger=True,
        hidden={"seen_revision": entry.revision},
    )


# --- What the school reads -------------------------------------------------------------------------


@require_GET
@school_action("accompaniment:read_shared", can_read_shared)
def shared(request, school):
    today = timezone.localdate()
    context = {
        "school": school,
        "entries": _mark(list(entries_of(school, shared_only=True)), today),
        "keeps_log": can_keep_log(request.user, school),
    }
    return render(request, "accompaniment/shared.html", context)


# --- The territory's follow-up ---------------------------------------------------------------------

GUARD = "accompaniment:browse"


class FollowUp:
    """The page's and the exports' lists for one user and their filters."""

    def __init__(self, user, params):
        self.departments = list(territory_departments(user))
        self.form = TerritoryFilterForm(params or None, departments=self.departments)
        self.department = self.form.value("department")
        self.which = self.form.value("list", "due")
        self.schools = territory_schools(user, self.department)
        self.user = user

    @property
    def has_invalid_filters(self) -> bool:
        return self.form.is_bound and not self.form.is_valid()

    def due(self):
        return due_entries(self.schools)

    def quiet(self):
        return quiet_schools(self.schools, quiet_rule(self.user))


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


@require_GET
@guarded(GUARD, follows_territory)
def follow_up(request):
    follow = FollowUp(request.user, request.GET)
    today = timezone.localdate()
    due, quiet = follow.due(), follow.quiet()
    if follow.which == "quiet":
        page = _page(request, quiet)
        rows = [(school, quiet_reason(school)) for school in page.object_list]
        other_count = due.count()
    else:
        page = _page(request, due)
        rows = _mark(list(page.object_list), today)
        other_count = quiet.count()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": follow.form,
        "which": follow.which,
        "department": follow.department,
        "page_obj": page,
        "rows": rows,
        "counts": {
            "due": page.paginator.count if follow.which == "due" else other_count,
            "quiet": page.paginator.count if follow.which == "quiet" else other_count,
        },
        "tab_query": {name: _with(query, list=name) for name in ("due", "quiet")},
        "query": query.urlencode(),
        "days": DUE_WITHIN_DAYS,
        "zero_domains": ZERO_LEVEL_DOMAINS,
        "notices": [INVALID_FILTERS] if follow.has_invalid_filters else [],
    }
    return render(request, "accompaniment/follow_up.html", context)


def _with(query, **values):
    copy = query.copy()
    for key, value in values.items():
        copy[key] = value
    return copy.urlencode()


@require_GET
@guarded(GUARD, follows_territory)
def export(request, which, fmt):
    """Either list, filtered as on the page, as CSV or ODS."""
    if which not in ("due", "quiet") or fmt not in ("csv", "ods"):
        raise Http404
    exporter = follow_up_export(FollowUp(request.user, request.GET), which)
    page = reverse("accompaniments:list")
    return background_exports.answer(
        request,
        exporter,
        fmt,
        export_filename(which, fmt),
        kind="accompaniment",
        params={"which": which, "query": background_exports.query_params(request.GET)},
        back_url=page,
    )


def follow_up_export(follow, which):
    """Either list as an exporter (the view's, and the worker's as the same user)."""
    exporter = DueExport(follow.due()) if which == "due" else QuietExport(follow.quiet())
    exporter.filename = export_filename(which, "csv").removesuffix(".csv")
    return exporter
