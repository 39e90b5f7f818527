import pytest

from pilotis.core.personal_data import anonymise, gather
from pilotis.news import services
from pilotis.news.models import NewsItem
from tests.news.conftest import published

pytestmark = pytest.mark.django_db


def test_a_reader_finds_what_he_read_and_an_author_what_he_wrote_then_is_forgotten(world):
    item = published(world)
    services.mark_read(item, world.rupn_a)
    read = gather(world.rupn_a)
    written = gather(world.correspondant_40)
    assert any(item.title in str(rows) for rows in read.values())
    assert any(item.title in str(rows) for rows in written.values())
    name = str(world.correspondant_40)
    assert NewsItem.objects.get().author_label == name

    anonymise(world.correspondant_40)

    assert NewsItem.objects.get().author_label == "Compte anonymisé"
