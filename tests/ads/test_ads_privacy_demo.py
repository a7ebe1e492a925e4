"""Account export and erasure, and the demo data."""

from habitat.ads import privacy, services
from habitat.ads.models import Ad, Category, Kind, SavedSearch
from habitat.moderation.models import Status


def test_export_lists_the_ads_and_searches_of_the_person(make_ad, author):
    make_ad(title="Mon annonce")
    services.save_search(user=author, query={"q": "grange"}, frequency="daily")

    data = privacy.export_user_data(author)

    assert [ad["title"] for ad in data["ads"]] == ["Mon annonce"]
    assert data["saved_searches"][0]["query"] == {"q": "grange"}


def test_erasing_withdraws_ads_and_deletes_searches(client, make_ad, author):
    ad = make_ad(title="Mon annonce")
    services.save_search(user=author, query={}, frequency="daily")

    privacy.erase_user_data(author)

    ad.refresh_from_db()
    assert (ad.status, ad.body) == (Status.WITHDRAWN, "")
    assert SavedSearch.objects.filter(user=author).count() == 0
    assert b"Mon annonce" not in client.get("/annonces/").content


def test_demo_builds_ads_of_every_category_and_land_offers(db):
    from habitat.accounts import demo as accounts_demo
    from habitat.ads import demo
    from habitat.core.demo import DemoContext

    context = DemoContext()
    accounts_demo.build(context)

    demo.build(context)

    categories = set(Ad.objects.visible().values_list("category", flat=True))
    assert categories == set(Category.values)
    assert Ad.objects.land_offers().count() >= 12
    assert Ad.objects.land_offers().filter(organisation__isnull=False).count() >= 9
    assert Ad.objects.visible().values("department__region").distinct().count() >= 5
    # "Seeking" is a request by nature; a wanted dwelling is posted as "seeking".
    assert set(Ad.objects.visible().values_list("category", "kind")) >= {
        (category, kind) for category in Category.values for kind in Kind.values
    } - {(Category.SEEKING, Kind.OFFER), (Category.DWELLING, Kind.REQUEST)}
    demo.remove()
    assert Ad.objects.count() == 0


def test_demo_group_answers_a_town_land_offer_in_the_message_box(db):
    from habitat.accounts import demo as accounts_demo
    from habitat.ads import demo
    from habitat.core.demo import DemoContext
    from habitat.matching.models import Conversation

    context = DemoContext()
    accounts_demo.build(context)

    demo.build(context)

    conversation = Conversation.objects.get()
    assert conversation.person == context.data["people"]["group_editor"]
    assert (conversation.ad.poster_kind, conversation.messages.count()) == ("town", 1)
