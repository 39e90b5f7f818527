import io

from pilotis.core import outbox
from pilotis.demo.news import load_news
from pilotis.news import audience
from pilotis.news.models import NewsItem, NewsReading


def test_the_demo_publishes_three_items_sent_and_one_read_by_the_rupn(world):
    users = {"dane": world.dane, "correspondant40": world.correspondant_40, "rupn": world.rupn_a}
    out = io.StringIO()
    load_news(users, world.school_a, world.school_b, out)

    items = list(NewsItem.objects.order_by("published_at"))
    assert len(items) == 3 and all(item.published_at and not item.withdrawn_at for item in items)
    letter, ticedu, magistere = items
    assert (letter.department, letter.school_kind) == (None, "")  # the whole académie
    assert ticedu.department == world.landes and ticedu.author == world.correspondant_40
    assert magistere.school_kind == "lycee_gt" and audience.recipients(magistere) == [world.rupn_b]
    for item in items:
        state = outbox.progress(item.mailing)
        assert state.finished and state.sent == state.total > 0
    assert list(NewsReading.objects.values_list("item", "user")) == [(letter.pk, world.rupn_a.pk)]
    # The RUPN of the Landes collège has two unread items on his page; the lycée's RUPN, one of two.
    assert len(audience.items_for(world.rupn_a)) == 2
    assert set(audience.items_for(world.rupn_b)) == {letter, magistere}

    load_news(users, world.school_a, world.school_b, out)  # run twice: nothing more
    assert NewsItem.objects.count() == 3
