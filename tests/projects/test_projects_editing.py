import pytest

from habitat.core.exceptions import HabitatError
from habitat.moderation.models import ModerationLog, Status
from habitat.projects import services
from habitat.projects.models import Project, ProjectChange
from habitat.territories.models import Commune


def form_data(project, **changes):
    data = {
        "name": project.name,
        "commune": project.commune_id or "",
        "version": project.version,
        "short_description": project.short_description,
    }
    data.update(changes)
    return data


def test_verified_person_proposes_a_pending_sheet_for_the_territory(alice):
    lyon = Commune.objects.get(pk="69123")

    project = services.propose_project(
        author=alice, data={"name": "La Ruche", "commune": lyon}
    )

    assert (project.status, project.department_id, project.slug) == (
        Status.PENDING,
        "69",
        "la-ruche",
    )
    assert list(project.editors.all()) == [alice]
    assert ModerationLog.objects.get().action == "submitted"


def test_unverified_person_cannot_propose(charlie):
    with pytest.raises(HabitatError):
        services.propose_project(author=charlie, data={"name": "La Ruche"})

    assert Project.objects.count() == 0


def test_sheet_without_commune_is_to_locate(alice):
    project = services.propose_project(
        author=alice, data={"name": "Quelque part"}, trusted=True
    )

    assert (project.needs_location, project.status, project.department_id) == (
        True,
        Status.PUBLISHED,
        None,
    )


def test_propose_page_shows_likely_duplicates_first(client, make_project, alice):
    existing = make_project(name="L'Oasis de Villeurbanne", commune="69266")
    client.force_login(alice)

    response = client.post(
        "/projets/proposer/", {"name": "Oasis Villeurbanne", "commune": "69123"}
    )

    assert response.status_code == 200
    assert f'href="/projets/{existing.slug}/"' in response.content.decode()
    assert Project.objects.count() == 1

    response = client.post(
        "/projets/proposer/",
        {"name": "Oasis Villeurbanne", "commune": "69123", "not_duplicate": "1"},
    )
    assert response.status_code == 302
    assert Project.objects.count() == 2


def test_likely_duplicates_ignore_far_away_sheets(make_project):
    make_project(name="La Ruche", commune="35238")  # Rennes
    near = make_project(name="La Ruche", commune="69266")  # Villeurbanne

    found = services.likely_duplicates(
        name="la ruche", commune=Commune.objects.get(pk="69123")
    )

    assert [d.project for d in found] == [near]


def test_editor_saves_directly_from_the_form(client, make_project, alice):
    project = make_project(editors=[alice], name="La Ruche")
    client.force_login(alice)

    response = client.post(
        f"/projets/{project.slug}/modifier/", form_data(project, name="La Grande Ruche")
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.version) == ("La Grande Ruche", 2)


def test_second_concurrent_save_is_refused_and_shows_the_other_change(
    client, make_project, alice, bob
):
    project = make_project(editors=[alice, bob], name="La Ruche")
    opened_by_alice = form_data(project)
    client.force_login(bob)
    client.post(
        f"/projets/{project.slug}/modifier/",
        form_data(project, short_description="Par Bob"),
    )
    client.force_login(alice)

    response = client.post(
        f"/projets/{project.slug}/modifier/",
        {**opened_by_alice, "short_description": "Par Alice"},
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "Par Bob" in body  # their change
    assert "Par Alice" in body  # her input is kept
    assert Project.objects.get(pk=project.pk).short_description == "Par Bob"


def test_editor_of_another_group_cannot_open_its_form(client, make_project, alice, bob):
    make_project(editors=[alice])
    other = make_project(editors=[bob], name="Chez Bob")
    hidden = make_project(editors=[bob], status=Status.PENDING)
    client.force_login(alice)

    assert client.get(f"/projets/{hidden.slug}/modifier/").status_code == 404
    assert client.get(f"/projets/{other.slug}/historique/").status_code == 403
    client.post(f"/projets/{other.slug}/modifier/", form_data(other, name="Piraté"))
    assert Project.objects.get(pk=other.pk).name == "Chez Bob"


def test_outsider_suggestion_waits_in_the_queue_then_applies(
    client, make_project, bob, mona
):
    project = make_project(name="La Ruche")
    client.force_login(bob)

    client.post(
        f"/projets/{project.slug}/modifier/",
        form_data(project, short_description="Corrigé"),
    )

    change = ProjectChange.objects.get()
    assert Project.objects.get(pk=project.pk).short_description == ""
    assert [(c["field"], c["new"]) for c in services.change_diff(change)] == [
        ("short_description", "Corrigé")
    ]
    from habitat.moderation.services import decide

    decide(obj=change, decision="approve", actor=mona)
    assert Project.objects.get(pk=project.pk).short_description == "Corrigé"


def test_outsider_form_never_shows_private_contact(client, make_project, bob):
    project = make_project(contact_email="cache@prive.example", address="8 rue Privée")
    client.force_login(bob)

    body = client.get(f"/projets/{project.slug}/modifier/").content.decode()

    assert "cache@prive.example" not in body
    assert "8 rue Privée" not in body
    assert 'name="contact_email"' not in body


def test_unverified_outsider_saves_nothing(client, make_project, charlie):
    project = make_project(name="La Ruche")
    client.force_login(charlie)

    response = client.post(
        f"/projets/{project.slug}/modifier/", form_data(project, name="X")
    )

    assert response.status_code == 403
    assert ProjectChange.objects.count() == 0


def test_history_lists_changes_and_revert_restores(client, make_project, alice):
    project = make_project(editors=[alice], name="La Ruche")
    services.update_project(
        project=project, data={"name": "Ruche 2"}, editor=alice, expected_version=1
    )
    client.force_login(alice)

    page = client.get(f"/projets/{project.slug}/historique/").content.decode()
    first = project.history.order_by("history_id").first()
    client.post(f"/projets/{project.slug}/historique/{first.history_id}/restaurer/")

    assert "Ruche 2" in page
    project.refresh_from_db()
    assert (project.name, project.version) == ("La Ruche", 3)
    assert ModerationLog.objects.filter(action="reverted").count() == 1


def test_moderator_merges_keeping_both_histories(make_project, alice, mona):
    kept = make_project(name="La Ruche", short_description="")
    duplicate = make_project(
        name="Ruche bis", short_description="Texte", editors=[alice]
    )

    services.merge_projects(source=duplicate, target=kept, actor=mona)

    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (Status.WITHDRAWN, kept.pk)
    assert kept.short_description == "Texte"
    assert list(kept.editors.all()) == [alice]
    assert duplicate.history.count() == 2
    assert ModerationLog.objects.filter(action="merged").count() == 2


def test_moderator_of_another_territory_cannot_merge(make_project, otto):
    kept = make_project()
    duplicate = make_project()

    with pytest.raises(HabitatError):
        services.merge_projects(source=duplicate, target=kept, actor=otto)
