import io

from django_tasks_db.models import DBTaskResult

from pilotis.demo.support import load_support
from pilotis.support import routing
from pilotis.support.enums import ChannelWay
from pilotis.support.models import Channel, Route, SupportRequest


def test_the_demo_holds_four_channels_a_routing_table_and_two_requests_on_their_way(
    world, django_capture_on_commit_callbacks, settings
):
    settings.SUPPORT_GLPI = {"landes": {"URL": "", "APP_TOKEN": "a", "USER_TOKEN": "u"}}
    users = {"dane": world.dane, "rupn": world.rupn_a}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        load_support(users, world.school_a, out)
    channels = {c.name: c for c in Channel.objects.filter(academy=world.bordeaux)}
    assert {c.way for c in channels.values()} == {ChannelWay.EMAIL, ChannelWay.GLPI, ChannelWay.LINK}
    assert channels["Département des Landes"].glpi_credentials == "landes"
    assert routing.propose(world.school_a, "network") == channels["Département des Landes"]
    assert routing.propose(world.school_b, "ent") == channels["Lycée connecté"]
    assert routing.propose(world.school_a, "academic_apps") == channels["AMÉRANA"]
    requests = SupportRequest.objects.filter(school=world.school_a)
    assert sorted(r.channel.name for r in requests) == ["AMÉRANA", "Département des Landes"]
    assert all(r.queued_at for r in requests)
    assert DBTaskResult.objects.filter(task_path="pilotis.support.tasks.send_request").count() == 2
    routes = Route.objects.count()
    load_support(users, world.school_a, out)  # run twice: nothing more
    assert (Route.objects.count(), requests.count()) == (routes, 2)


def test_without_glpi_credentials_the_glpi_request_stays_a_draft(world, settings):
    settings.SUPPORT_GLPI = {}
    load_support({"dane": world.dane, "rupn": world.rupn_a}, world.school_a, io.StringIO())
    queued = dict(SupportRequest.objects.values_list("channel__name", "queued_at"))
    assert queued["AMÉRANA"] is not None and queued["Département des Landes"] is None
