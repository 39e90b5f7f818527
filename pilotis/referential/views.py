from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from pilotis.referential.models import Indicator, ReferentialVersion


@require_GET
def version_list(request):
    """Anyone signed in reads the referential: it is public knowledge of the académie."""
    versions = ReferentialVersion.objects.annotate(indicator_count=Count("indicators")).select_related("supersedes")
    return render(request, "referential/version_list.html", {"versions": versions})


@require_GET
def version_detail(request, version):
    referential = get_object_or_404(ReferentialVersion, version=version)
    domains = referential.domains.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("level", "position"))
    )
    levels = {level.number: level for level in referential.levels.all()}
    sections = []
    for domain in domains:
        by_level = {}
        for indicator in domain.indicators.all():
            by_level.setdefault(indicator.level, []).append(indicator)
        sections.append({"domain": domain, "levels": [(levels[n], items) for n, items in sorted(by_level.items())]})
    return render(request, "referential/version_detail.html", {"referential": referential, "sections": sections})
