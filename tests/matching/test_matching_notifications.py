"""Recomputation when profiles change, and e-mails about new matches."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from habitat.matching import engine, services, tasks
from habitat.matching.models import GroupSearch, Match, SeekerProfile
from habitat.territories.models import Commune, Department


def test_full_recomputation_equals_one_by_one(
    db, alice, bob, charlie, make_group, make_seeker
):
    make_group(commune="69123")
    make_group(commune="38185", price_min=100_000)
    make_group(commune="35238")
    profiles = [
        make_seeker(alice, radius_km=30),
        make_seeker(bob, communes=(), departments=("38",)),
        make_seeker(charlie, communes=("35238", "69123"), budget_purchase=50_000),
    ]
    for profile in profiles:
        engine.recompute_for_seeker(profile)
    one_by_one = set(Match.objects.values_list("seeker_id", "group_id", "score"))

    written = engine.recompute_all()

    assert set(Match.objects.values_list("seeker_id", "group_id", "score")) == (
        one_by_one
    )
    assert written == len(one_by_one) == 4


def test_group_side_recomputation_finds_the_same_pairs(
    db, bob, make_group, make_seeker
):
    search = make_group(commune="69266")
    profile = make_seeker(bob)
    engine.recompute_for_seeker(profile)
    from_seeker = list(Match.objects.values_list("seeker_id", "group_id", "score"))
    Match.objects.all().delete()

    engine.recompute_for_group(search)

    assert list(Match.objects.values_list("seeker_id", "group_id", "score")) == (
        from_seeker
    )


def test_changing_the_zone_recomputes_the_persons_matches(
    db, bob, make_group, make_seeker, django_capture_on_commit_callbacks
):
    make_group(commune="69123")
    profile = make_seeker(bob)
    engine.recompute_for_seeker(profile)

    with django_capture_on_commit_callbacks(execute=True):
        services.save_profile(
            profile=profile,
            communes=[Commune.objects.get(pk="35238")],
            departments=[],
        )

    assert Match.objects.filter(seeker=profile).count() == 0


def test_a_new_group_search_reaches_matching_people_immediately(
    db, alice, bob, make_project, make_seeker, django_capture_on_commit_callbacks
):
    profile = make_seeker(bob, notify_frequency="immediate")
    project = make_project(editors=[alice], seeking_members=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.save_group_search(
            search=GroupSearch(project=project, tenures=["cooperative"])
        )

    project.refresh_from_db()
    assert project.seeking_members is True
    assert Match.objects.filter(seeker=profile).count() == 1
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert project.name in mail.outbox[0].body


def test_weekly_digest_lists_new_matches_once_with_a_working_unsubscribe_link(
    client, bob, make_group, make_seeker
):
    make_group()
    profile = make_seeker(bob, notify_frequency="weekly")
    SeekerProfile.objects.filter(pk=profile.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    engine.recompute_for_seeker(profile)

    first = tasks.send_digests.call("weekly")
    second = tasks.send_digests.call("weekly")
    link = re.search(r"http://\S+/desabonnement/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    profile.refresh_from_db()

    assert (first, second, len(mail.outbox)) == (1, 0, 1)
    assert profile.notify_frequency == "never"


def test_never_means_no_email(db, bob, make_group, make_seeker):
    make_group()
    profile = make_seeker(bob, notify_frequency="never")
    engine.recompute_for_seeker(profile)

    sent = tasks.notify_seeker.call(profile.pk)

    assert (sent, mail.outbox) == (False, [])


def test_forged_unsubscribe_link_is_a_404(client, db):
    response = client.get("/mise-en-lien/desabonnement/faux-jeton/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("departments", "expected"), [(("69",), 1), (("38",), 0)], ids=["in", "out"]
)
def test_whole_departement_zone_matches_groups_inside_it(
    db, bob, make_group, make_seeker, departments, expected
):
    make_group(commune="69123")
    profile = make_seeker(bob, communes=(), departments=departments)

    engine.recompute_for_seeker(profile)

    assert profile.department_codes == "".join(f"[{d}]" for d in departments)
    assert Department.objects.filter(code__in=departments).count() == 1
    assert Match.objects.filter(seeker=profile).count() == expected
