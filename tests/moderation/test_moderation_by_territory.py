"""Moderation by territory: who may decide where, and what a decision leaves."""

import pytest
from django.core import mail

from habitat.accounts.models import Membership
from habitat.moderation import services
from habitat.moderation.models import ModerationLog, Report, Status
from habitat.projects.models import Project


@pytest.fixture
def lyon_project(db, alice):
    return Project.objects.create(
        name="Le Toit Partagé",
        slug="le-toit-partage",
        commune_id="69387",
        status=Status.PENDING,
        created_by=alice,
    )


@pytest.fixture
def rennes_project(db):
    return Project.objects.create(
        name="La Bigotière",
        slug="la-bigotiere",
        commune_id="35238",
        status=Status.PENDING,
    )


@pytest.mark.parametrize(
    ("persona", "lyon", "rennes"),
    [
        ("mona", True, False),  # Auvergne-Rhône-Alpes association moderator
        ("otto", False, True),  # Bretagne association moderator
        ("nadia", True, True),  # national team
        ("bob", False, False),  # verified person, no role
        ("charlie", False, False),  # unverified outsider
    ],
)
def test_moderation_permission_follows_the_territory(
    request, persona, lyon, rennes, lyon_project, rennes_project
):
    user = request.getfixturevalue(persona)

    allowed = (
        user.has_perm("moderation.decide", lyon_project),
        user.has_perm("moderation.decide", rennes_project),
    )

    assert allowed == (lyon, rennes)


def test_an_editor_role_does_not_give_moderation(aura_association, bob, lyon_project):
    Membership.objects.create(user=bob, organisation=aura_association, role="editor")

    assert bob.has_perm("moderation.decide", lyon_project) is False


def test_a_department_scoped_association_moderates_only_its_departments(
    bob, lyon_project
):
    from tests.conftest import association

    rhone = association("Habitat participatif Rhône", departments=["69"])
    Membership.objects.create(user=bob, organisation=rhone, role="moderator")

    assert bob.has_perm("moderation.decide", lyon_project) is True
    assert bob.moderated_department_codes == frozenset({"69"})


def test_queue_shows_only_the_moderators_territory(
    client, mona, lyon_project, rennes_project
):
    client.force_login(mona)

    response = client.get("/moderation/")

    assert response.status_code == 200
    assert "Le Toit Partagé".encode() in response.content
    assert "La Bigotière".encode() not in response.content


def test_queue_is_forbidden_to_people_without_a_moderation_role(client, bob):
    client.force_login(bob)

    response = client.get("/moderation/")

    assert response.status_code == 403


def test_moderator_of_another_territory_cannot_decide_and_nothing_changes(
    client, otto, lyon_project
):
    client.force_login(otto)

    response = client.post(
        f"/moderation/projects.project/{lyon_project.pk}/decision/",
        {"decision": "approve"},
    )

    lyon_project.refresh_from_db()
    assert response.status_code == 403
    assert lyon_project.status == Status.PENDING
    assert ModerationLog.objects.count() == 0


def test_approval_publishes_logs_and_tells_the_author(
    client, mona, lyon_project, django_capture_on_commit_callbacks
):
    client.force_login(mona)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/projects.project/{lyon_project.pk}/decision/",
            {"decision": "approve"},
        )

    lyon_project.refresh_from_db()
    entry = ModerationLog.objects.get()
    assert response.status_code == 302
    assert lyon_project.status == Status.PUBLISHED
    assert lyon_project.published_at is not None
    assert (entry.action, entry.actor, entry.department_code) == (
        "approved",
        mona,
        "69",
    )
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_rejection_without_reason_is_refused_with_a_message(client, mona, lyon_project):
    client.force_login(mona)

    response = client.post(
        f"/moderation/projects.project/{lyon_project.pk}/decision/",
        {"decision": "reject", "reason": "  "},
        follow=True,
    )

    lyon_project.refresh_from_db()
    assert lyon_project.status == Status.PENDING
    assert b"Indiquez un motif" in response.content


def test_hiding_keeps_the_content_and_resolves_reports(mona, bob, lyon_project):
    lyon_project.status = Status.PUBLISHED
    lyon_project.save()
    services.report(obj=lyon_project, reporter=bob, reason="Coordonnées fausses")

    services.decide(
        obj=lyon_project, decision="hide", actor=mona, reason="Vérification en cours"
    )

    lyon_project.refresh_from_db()
    assert lyon_project.status == Status.HIDDEN
    assert Project.objects.filter(pk=lyon_project.pk).exists()
    assert Report.objects.get().resolved_by == mona
    assert list(ModerationLog.objects.values_list("action", flat=True)) == [
        "hidden",
        "reported",
    ]
