"""Walks the URLconf: every named route of Pilotis, with sample arguments to reverse it."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_KWARGS = {
    "uai": "0000000A",
    "pk": 999999,
    "uidb64": "MQ",
    "token": "set-password",
    "object_id": "1",
    "app_label": "accounts",
    "content_type_id": 1,
    "url": "x",
    "id": 1,
    "year": "2026-2027",
    "code": "PIL",
    "version": "2021",
    "campaign": 1,
    "board": "progress",
    "fmt": "csv",
    "funder": "departement",
    "decision_pk": 999999,
    "number": 1,
    "which": "due",
    "table": "adoption",
    "listing": "themes",
    "academy_id": 999999,
    "attachment_pk": 999999,
    "plan": 999999,
    "export_id": "00000000-0000-4000-8000-000000000000",
}


@dataclass(frozen=True)
class Route:
    """A named route: its own name, its view and every argument of its path, its prefixes' included."""

    name: str
    params: tuple[str, ...]
    callback: object


def iter_routes(resolver=None, namespace="", params=()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_routes(entry, full, (*params, *entry.pattern.regex.groupindex))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, Route(entry.name, (*params, *entry.pattern.regex.groupindex), entry.callback)


def pilotis_route_names():
    """Our own named routes; the Django admin has its own tests of access (it is not ours)."""
    return sorted({name for name, _ in iter_routes() if not name.startswith("admin:")})


def route_kwargs(route):
    return {key: SAMPLE_KWARGS[key] for key in route.params}
