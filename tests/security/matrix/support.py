"""The permission matrix's rows of `support`: whoever reads school A reads its requests and their
files; its direction and RUPN write, attach, send and delete drafts (403 for its other readers);
everyone else: 404. The académie's channels and routing: the territory of Bordeaux reads them
(Rennes' DANE reads its own académie: 404 here), its DANE and the administrator set them; the
rest: 404."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pilotis.support import services
from pilotis.support.enums import ChannelWay
from pilotis.support.models import Channel, Route, SupportAttachment, SupportRequest

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _channels(w):
    channel = Channel.objects.filter(academy=w.bordeaux, name="AMÉRANA").first()
    if channel is None:
        channel = services.save_channel(
            w.bordeaux,
            services.ChannelInput(name="AMÉRANA", way=ChannelWay.EMAIL, email="assistance@ac-bordeaux.example"),
            by=w.dane,
        )
        services.set_route(w.bordeaux, category="academic_apps", channel=channel, by=w.dane)
        portal = services.save_channel(
            w.bordeaux,
            services.ChannelInput(name="Lycée connecté", way=ChannelWay.LINK, portal_url="https://ent.example/aide"),
            by=w.dane,
        )
        services.set_route(w.bordeaux, category="ent", channel=portal, by=w.dane)
    return channel


def _draft(w, category="academic_apps"):
    _channels(w)
    return services.record_request(
        w.school_a,
        services.RequestInput(subject="Pronote ne s'ouvre plus", description="Depuis ce matin.", category=category),
        by=w.rupn_a,
    )


def draft(w):
    return [w.school_a.uai, _draft(w).pk]


def link_draft(w):
    return [w.school_a.uai, _draft(w, "ent").pk]


def sent_request(w):
    request = _draft(w)
    services.ask_to_send(request, by=w.rupn_a)
    SupportRequest.objects.filter(pk=request.pk).update(state="sent", queued_at=None)
    return [w.school_a.uai, request.pk]


def with_attachment(w):
    request = _draft(w)
    joined = services.attach(request, SimpleUploadedFile("capture.pdf", PDF), by=w.rupn_a)
    return [w.school_a.uai, request.pk, joined.pk]


def request_data(w):
    return {
        "subject": "Le vidéoprojecteur ne s'allume pas",
        "description": "Salle 12.",
        "category": "devices",
        "urgency": "normal",
    }


def edit_data(w):
    request = SupportRequest.objects.filter(school=w.school_a).latest("pk")
    return {**request_data(w), "seen_revision": request.revision}


def attach_data(w):
    return {"file": SimpleUploadedFile("capture.pdf", PDF, content_type="application/pdf")}


def bordeaux(w):
    _channels(w)
    return [w.bordeaux.pk]


def bordeaux_channel(w):
    return [w.bordeaux.pk, _channels(w).pk]


def bordeaux_route(w):
    _channels(w)
    return [w.bordeaux.pk, Route.objects.filter(academy=w.bordeaux).latest("pk").pk]


def channel_data(w):
    return {"name": "Assistance Gironde", "way": "email", "email": "aide@gironde.example"}


def channel_edit_data(w):
    return {"name": "AMÉRANA", "way": "email", "email": "amerana@ac-bordeaux.example"}


def route_data(w):
    return {"category": "software", "department": "", "school_kind": "", "channel": _channels(w).pk}


def snapshot():
    return (
        sorted(SupportRequest.objects.values_list("pk", "subject", "state", "revision", "queued_at")),
        sorted(SupportAttachment.objects.values_list("pk", "name")),
        sorted(Channel.objects.values_list("pk", "name", "email", "revision")),
        sorted(Route.objects.values_list("pk", "category", "channel_id")),
    )


def extend(matrix):
    statuses, readers, writers = matrix.statuses, matrix.SCHOOL_A_READERS, matrix.FILLERS_A
    read = statuses(404, s200=readers)
    write = statuses(404, s302=writers, s403=readers - writers)
    write_page = statuses(404, s302=writers, s403=readers - writers)
    dane = matrix.DANE_BORDEAUX
    matrix.MATRIX.update(
        {
            "support:home": ("get", matrix.school_a, None, read),
            "support:create": ("post", matrix.school_a, request_data, write_page),
            "support:detail": ("get", draft, None, read),
            "support:edit": ("post", draft, edit_data, write_page),
            "support:send": ("post", draft, None, write),
            "support:portal_done": ("post", link_draft, None, write),
            "support:attach": ("post", draft, attach_data, write),
            "support:attachment": ("get", with_attachment, None, read),
            "support:attachment_remove": ("post", with_attachment, None, write),
            "support:delete": ("post", draft, None, write),
            "support:close": ("post", sent_request, None, write),
            "support_routing:home": (
                "get",
                None,
                None,
                statuses(404, s302={"correspondant_40", "correspondant_64", "dane", "dane_rennes"}, s200={"admin"}),
            ),
            "support_routing:academy": (
                "get",
                bordeaux,
                None,
                statuses(404, s200={"correspondant_40", "correspondant_64", "dane", "admin"}),
            ),
            "support_routing:channel_create": ("post", bordeaux, channel_data, statuses(404, s302=dane)),
            "support_routing:channel_edit": ("post", bordeaux_channel, channel_edit_data, statuses(404, s302=dane)),
            "support_routing:route_add": ("post", bordeaux, route_data, statuses(404, s302=dane)),
            "support_routing:route_delete": ("post", bordeaux_route, None, statuses(404, s302=dane)),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(["support:home", "support:detail", "support:attachment"], ("school:read",)),
            **dict.fromkeys(
                [
                    "support:create",
                    "support:edit",
                    "support:attach",
                    "support:attachment_remove",
                    "support:delete",
                    "support:close",
                ],
                ("support:write",),
            ),
            **dict.fromkeys(["support:send", "support:portal_done"], ("support:send",)),
            **dict.fromkeys(["support_routing:home", "support_routing:academy"], ("support_routing:read",)),
            **dict.fromkeys(
                [
                    "support_routing:channel_create",
                    "support_routing:channel_edit",
                    "support_routing:route_add",
                    "support_routing:route_delete",
                ],
                ("support_routing:manage",),
            ),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
