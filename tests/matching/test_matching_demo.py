"""The demo data fills every page of the mise en lien."""

from habitat.core import demo
from habitat.matching import demo as matching_demo
from habitat.matching.models import Conversation, GroupSearch, Match, SeekerProfile


def test_demo_seeker_sees_explained_matches_and_a_conversation(client, db):
    context = demo.build_all()
    camille = context.data["people"]["seeker"]
    client.force_login(camille)

    matches = client.get("/mise-en-lien/mes-correspondances/").content
    inbox = client.get("/mise-en-lien/messages/").content

    assert SeekerProfile.objects.filter(is_demo=True).count() >= 30
    assert SeekerProfile.objects.filter(is_demo=True, findable=True).count() >= 5
    assert GroupSearch.objects.count() >= 5
    assert Match.objects.filter(seeker__user=camille).count() >= 1
    assert b"budget compatible" in matches
    assert b"Les Lucioles de Gerland" in inbox
    assert Conversation.objects.get(person=camille).messages.count() == 2


def test_demo_removal_leaves_no_matching_rows(db):
    demo.build_all()

    demo.remove_all()

    assert (SeekerProfile.objects.count(), GroupSearch.objects.count()) == (0, 0)
    assert matching_demo.remove() is None
