"""What arrives: the e-mail of a published flash'infos, received by a real SMTP server."""

import pytest

from pilotis.core import outbox
from pilotis.newsletters import services
from tests.newsletters.helpers import draft, with_list

pytestmark = pytest.mark.django_db


def test_the_issue_arrives_to_the_members_and_the_list_sanitised(world, smtp_server):
    world.rupn_a.email = "rupn@college-alpha.example"
    world.rupn_a.save()
    with_list(world, "parents@example.org", "cdi@example.org")
    issue = draft(
        world,
        title="Flash'infos de décembre",
        body="## Le mot du RUPN\n\nBonjour **à tous**.\n\n<script>alert(1)</script>\n\n[clic](javascript:alert(2))",
    )
    issue = services.publish(issue, by=world.chef_a, base_url="https://pilotis.example")

    assert outbox.send(issue.mailing.pk) == 6
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {
        world.chef_a.email,
        world.adjoint_a.email,
        world.rupn_a.email,
        world.member_a.email,
        "parents@example.org",
        "cdi@example.org",
    }
    message = received["parents@example.org"]
    assert message["Subject"] == f"Flash'infos n° 1 — {world.school_a.name}"
    assert message["Reply-To"] == "rupn@college-alpha.example"  # the RUPN, though the chef published
    assert f"<flash-infos.{world.school_a.uai.lower()}." in message["List-Id"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<strong>à tous</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html
    assert f"https://pilotis.example/etablissements/{world.school_a.uai}/flash-infos/{issue.pk}/" in text
