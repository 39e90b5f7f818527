"""The referents' network: the correspondents' and the DANE's view of the RUPN of their territory,
and its exports (CSV, vCard). The figures and rules live in `network`; the IMP is never shown."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pilotis.core import background_exports
from pilotis.core.exporters import attachment_response
from pilotis.core.forms import INVALID_FILTERS
from pilotis.core.guards import guarded
from pilotis.missions.network import Network, NetworkExport, as_vcards, total_of
from pilotis.territories.perms import follows_territory

PAGE_SIZE = 50
GUARD = "network:read"


def _network(request) -> Network:
    return Network.of(request.user, request.GET)


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


@require_GET
@guarded(GUARD, follows_territory)
def network(request):
    net = _network(request)
    page = _page(request, net.schools())
    counts = net.counts()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": net.form,
        "year": net.year,
        "department": net.department,
        "counts": counts,
        "total": total_of(counts) if len(counts) > 1 else None,
        "page_obj": page,
        "rows": net.rows(page.object_list),
        "query": query.urlencode(),
        # Said on this page only, as on the dashboards.
        "notices": [INVALID_FILTERS] if net.has_invalid_filters else [],
    }
    return render(request, "missions/network.html", context)


@require_GET
@guarded(GUARD, follows_territory)
def network_export(request, fmt):
    """The filtered schools as CSV (one row per designation) or their RUPN as vCards."""
    if fmt not in ("csv", "vcf"):
        raise Http404
    net = Network.of(request.user, request.GET)  # invalid filters ignored, as on the page
    if fmt == "vcf":  # vCards are read by address books, a few hundred at a time: never in the background
        return attachment_response(as_vcards(net), net.filename(fmt))
    page = reverse("network:list")
    return background_exports.answer(
        request,
        NetworkExport(net),
        fmt,
        net.filename(fmt),
        kind="network",
        params={"query": background_exports.query_params(request.GET)},
        back_url=page,
    )
