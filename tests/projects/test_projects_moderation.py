from habitat.moderation.models import Status
from habitat.projects import services
from habitat.territories.models import Commune


def test_territory_queue_shows_new_sheets_and_suggested_changes_with_diff(
    client, make_project, alice, bob, mona
):
    services.propose_project(
        author=alice,
        data={"name": "Nouvelle Ruche", "commune": Commune.objects.get(pk="69123")},
    )
    published = make_project(name="Le Moulin")
    services.suggest_change(
        project=published, data={"short_description": "Fermé le lundi"}, author=bob
    )
    client.force_login(mona)

    body = client.get("/moderation/").content.decode()

    assert "Nouvelle Ruche" in body
    assert "Fermé le lundi" in body


def test_other_territory_moderator_does_not_see_the_sheet(client, alice, otto):
    services.propose_project(
        author=alice,
        data={"name": "Nouvelle Ruche", "commune": Commune.objects.get(pk="69123")},
    )
    client.force_login(otto)

    body = client.get("/moderation/").content.decode()

    assert "Nouvelle Ruche" not in body


def test_moderator_approval_publishes_the_sheet(client, alice, mona):
    project = services.propose_project(
        author=alice,
        data={"name": "Nouvelle Ruche", "commune": Commune.objects.get(pk="69123")},
    )
    client.force_login(mona)

    client.post(
        f"/moderation/projects.project/{project.pk}/decision/", {"decision": "approve"}
    )

    project.refresh_from_db()
    assert project.status == Status.PUBLISHED
