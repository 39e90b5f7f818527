"""The news' pages: a correspondent writes (with a preview), publishes after a confirmation that
counts, follows the sending; a RUPN reads, and Pilotis remembers when."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotis.core.models import Mailing
from pilotis.news import services
from pilotis.news.models import NewsItem, NewsReading
from tests.factories import MembershipFactory, UserFactory
from tests.news.conftest import draft, published

pytestmark = pytest.mark.django_db


def flat(response):
    return " ".join(response.content.decode().split())


def form_data(w, **overrides):
    return {
        "title": "LINE 40",
        "body": "Les **rencontres** du numérique",
        "link": "https://example.org/line40",
        "territory": f"d{w.landes.pk}",
        "school_kind": "",
        **overrides,
    }


def test_the_preview_renders_the_markdown_and_saves_nothing(client_for, world):
    response = client_for("correspondant_40").post(
        reverse("news:create"), {**form_data(world, body="**gras** <script>x</script>"), "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>gras</strong>" in page and "<script>x</script>" not in page
    assert "Aperçu (non enregistré)" in page
    assert not NewsItem.objects.exists()


def test_a_draft_is_saved_then_shown_to_its_author(client_for, world):
    client = client_for("correspondant_40")
    response = client.post(reverse("news:create"), form_data(world))
    item = NewsItem.objects.get()
    assert response.url == reverse("news:item", args=[item.pk])
    assert (item.department, item.author, item.published_at) == (world.landes, world.correspondant_40, None)
    page = flat(client.get(response.url))
    assert "Brouillon" in page and "Publier et envoyer" in page


def test_a_title_with_a_line_break_is_refused_and_what_was_typed_is_shown_back(client_for, world):
    response = client_for("correspondant_40").post(
        reverse("news:create"), form_data(world, title="LINE\r\nBcc: eve@evil.example", body="Mon texte tapé")
    )
    assert response.status_code == 400
    assert "L’actualité n’a pas été enregistrée" in response.content.decode()
    assert "Mon texte tapé" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_correspondent_cannot_choose_a_departement_not_his(client_for, world):
    response = client_for("correspondant_40").post(
        reverse("news:create"), form_data(world, territory=f"d{world.pyrenees.pk}")
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_the_confirmation_says_how_many_rupn_and_what_is_missing(client_for, world):
    MembershipFactory(
        user=UserFactory(username="rupn_sans", email="", first_name="Sans", last_name="Adresse"),
        school=world.school_a,
        role="rupn",
    )
    item = draft(world)
    page = flat(client_for("correspondant_40").get(reverse("news:publish", args=[item.pk])))
    assert "Cette actualité sera envoyée par courriel à 1 RUPN de 1 établissement." in page
    assert "1 RUPN n’a pas d’adresse électronique" in page and "Sans Adresse" in page
    assert NewsItem.objects.get().published_at is None  # GET does nothing


def test_publishing_leads_to_the_sending_page(client_for, world):
    item = draft(world)
    client = client_for("correspondant_40")
    response = client.post(reverse("news:publish", args=[item.pk]))
    assert response.url == reverse("news:sending", args=[item.pk])
    page = flat(client.get(response.url))
    assert "0 courriels envoyés sur 1" in page and "Actualiser" in page and 'hx-trigger="every 3s"' in page
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="news-progress"')


def test_the_sending_page_offers_to_resume_once_the_tries_are_over(client_for, world):
    item = published(world)
    Mailing.objects.filter(pk=item.mailing_id).update(attempts=6, last_error="Le serveur de courriel est injoignable.")
    page = flat(client_for("dane").get(reverse("news:sending", args=[item.pk])))
    assert "Reprendre l’envoi" in page and "Le serveur de courriel est injoignable." in page
    assert "hx-trigger" not in page  # nothing will change by itself: no polling


def test_a_rupn_reads_an_item_and_pilotis_remembers_when(client_for, world):
    item = published(world)
    client = client_for("rupn_a")
    index = flat(client.get(reverse("news:index")))
    assert "1 actualité non lue." in index and "Non lue" in index
    page = flat(client.get(reverse("news:item", args=[item.pk])))
    assert "<strong>rencontres</strong>" in page and "Lue le" in page
    assert "Publier" not in page and "Retirer" not in page
    reading = NewsReading.objects.get(item=item, user=world.rupn_a)
    assert "Vous avez lu toutes les actualités." in flat(client.get(reverse("news:index")))
    client.get(reverse("news:item", args=[item.pk]))
    assert NewsReading.objects.get().read_at == reading.read_at


def test_unread_items_come_first(client_for, world):
    old = published(world, title="Ancienne")
    published(world, title="Récente")
    services.mark_read(NewsItem.objects.get(title="Récente"), world.rupn_a)
    page = flat(client_for("rupn_a").get(reverse("news:index")))
    assert page.index(old.title) < page.index("Récente")


def test_an_author_does_not_record_a_reading(client_for, world):
    item = published(world)
    client_for("dane").get(reverse("news:item", args=[item.pk]))
    assert not NewsReading.objects.exists()


def test_a_withdrawn_item_is_gone_for_its_readers_and_kept_for_its_authors(client_for, world):
    item = published(world)
    client = client_for("correspondant_40")
    confirm = flat(client.get(reverse("news:withdraw", args=[item.pk])))
    assert "L’envoi n’est pas terminé : le courriel qui reste à envoyer partira quand même." in confirm
    assert "Les courriels déjà envoyés ne peuvent pas être rappelés." in flat(
        client.get(reverse("news:withdraw", args=[item.pk]))
    )
    client.post(reverse("news:withdraw", args=[item.pk]))
    assert "Retirée le" in flat(client.get(reverse("news:item", args=[item.pk])))
    assert client_for("rupn_a").get(reverse("news:item", args=[item.pk])).status_code == 404


def test_the_school_page_lists_the_unread_items_for_its_rupn(client_for, world):
    item = published(world)
    url = reverse("territories:school_detail", args=[world.school_a.uai])
    page = flat(client_for("rupn_a").get(url))
    assert "Actualités de l’académie" in page and item.title in page
    services.mark_read(item, world.rupn_a)
    assert "Vous avez lu toutes les actualités de l’académie." in flat(client_for("rupn_a").get(url))
    assert "Actualités de l’académie" not in flat(client_for("member_a").get(url))


def test_the_authors_list_shows_state_and_sending(client_for, world):
    draft(world, title="Un brouillon")
    item = published(world, title="Publiée")
    Mailing.objects.filter(pk=item.mailing_id).update(finished_at=timezone.now())
    page = flat(client_for("dane").get(reverse("news:manage")))
    assert "Un brouillon" in page and "Brouillon" in page and "0 sur 1 envoyés" in page


@pytest.mark.parametrize(("persona", "view"), [("rupn_a", "news:index"), ("dane", "news:manage")])
def test_the_lists_queries_do_not_grow_with_the_items(client_for, world, persona, view):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(persona)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(view)).status_code == 200
        return len(queries)

    published(world, title="Une")
    count()  # the first request reads the scope into the cache
    one = count()
    for n in range(6):
        published(world, title=f"Autre {n}")
    assert count() == one


def test_the_take_news_button_puts_the_item_into_the_next_flash_infos(client_for, world):
    from pilotis.newsletters.models import Newsletter

    item = published(world, title="Les rencontres du numérique")
    client = client_for("rupn_a")
    page = flat(client.get(reverse("news:item", args=[item.pk])))
    target = reverse("newsletters:take_news", args=[world.school_a.uai, item.pk])
    assert f'action="{target}"' in page and "Reprendre dans le prochain flash’infos" in page
    # The direction reads the item but the flash'infos are the RUPN's to write.
    assert "Reprendre dans le prochain flash" not in flat(
        client_for("chef_a").get(reverse("news:item", args=[item.pk]))
    )

    client.post(target)
    draft = Newsletter.objects.get(school=world.school_a)
    assert "Les rencontres du numérique" in draft.body
