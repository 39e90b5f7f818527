"""A version's indicators, read once per process.

A version's content is fixed by its checksum (the loader refuses new content under a locked
version, and any reload changes the checksum), so (pk, checksum) identifies it for good: the
autosave need not query the referential at each save. Entries are read-only; the cache holds a
few versions at most.
"""

from functools import lru_cache

from pilotis.referential.models import Indicator


@lru_cache(maxsize=16)
def _indicators(version_pk: int, checksum: str) -> dict:
    return {i.code: i for i in Indicator.objects.filter(version_id=version_pk).select_related("domain")}


def indicators_of(version) -> dict:
    """code → Indicator (its domain loaded) of the version."""
    return _indicators(version.pk, version.checksum)


def domain_levels_of(version, domain_id: int) -> dict[str, int]:
    """code → level of the domain's indicators."""
    return {code: i.level for code, i in indicators_of(version).items() if i.domain_id == domain_id}


def domains_of(version) -> list:
    """The version's domains in their order (those of its indicators: every domain has some)."""
    domains = {i.domain_id: i.domain for i in indicators_of(version).values()}
    return sorted(domains.values(), key=lambda d: d.position)
