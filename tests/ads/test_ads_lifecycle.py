"""Renewal by signed link, reminders, saved-search alerts, contact relay, reports."""

from datetime import timedelta

from django.utils import timezone

from habitat.ads import services, tasks
from habitat.ads.models import Ad, SavedSearch
from habitat.matching.models import Conversation
from habitat.moderation import services as moderation
from habitat.moderation.models import Report, Status


def test_reminder_is_sent_a_week_before_expiry_with_a_renewal_link(make_ad, mailoutbox):
    soon = make_ad(title="Expire bientôt")
    Ad.objects.filter(pk=soon.pk).update(expires_at=timezone.now() + timedelta(days=5))
    make_ad(title="Expire plus tard")

    sent = tasks.send_renewal_reminders.call()

    assert sent == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["secret.author@prive.example"]
    assert "Expire bientôt" in mailoutbox[0].subject
    assert "/annonces/renouveler/" in mailoutbox[0].body


def test_reminder_is_sent_once(make_ad, mailoutbox):
    ad = make_ad()
    Ad.objects.filter(pk=ad.pk).update(expires_at=timezone.now() + timedelta(days=2))

    tasks.send_renewal_reminders.call()
    tasks.send_renewal_reminders.call()

    assert len(mailoutbox) == 1


def test_renewal_link_pushes_expiry_three_months_in_one_click(client, make_ad):
    ad = make_ad()
    Ad.objects.filter(pk=ad.pk).update(expires_at=timezone.now() - timedelta(days=1))
    token = services.renewal_token(ad)

    response = client.get(f"/annonces/renouveler/{token}/")

    ad.refresh_from_db()
    assert response.status_code == 200
    assert ad.expires_at > timezone.now() + timedelta(days=90)
    assert ad.renewed_at is not None
    assert list(Ad.objects.visible()) == [ad]


def test_tampered_renewal_link_is_refused(client, make_ad):
    ad = make_ad()
    token = services.renewal_token(ad)[:-2] + "xx"

    response = client.get(f"/annonces/renouveler/{token}/")

    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide." in response.text


def test_renewal_link_cannot_bring_back_a_hidden_ad(client, make_ad):
    ad = make_ad(status=Status.HIDDEN)

    response = client.get(f"/annonces/renouveler/{services.renewal_token(ad)}/")

    ad.refresh_from_db()
    assert response.status_code == 400
    assert ad.status == Status.HIDDEN


def test_daily_alert_mails_new_matching_ads_with_unsubscribe_link(
    make_ad, bob, mailoutbox
):
    search = services.save_search(
        user=bob, query={"category": "land"}, frequency="daily", name="Terrains"
    )
    SavedSearch.objects.filter(pk=search.pk).update(
        last_sent_at=timezone.now() - timedelta(days=1)
    )
    make_ad(title="Terrain à Lyon", land=True)
    make_ad(title="Logement à Lyon")

    sent = tasks.send_search_alerts.call("daily")

    assert sent == 1
    assert mailoutbox[0].to == ["bob@example.org"]
    assert "Terrain à Lyon" in mailoutbox[0].body
    assert "Logement à Lyon" not in mailoutbox[0].body
    assert f"/annonces/alertes/{search.token}/desabonner/" in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["List-Unsubscribe"].startswith("<http")


def test_daily_alert_skips_expired_and_already_sent_ads(make_ad, bob, mailoutbox):
    old = make_ad(title="Déjà envoyée")
    search = services.save_search(user=bob, query={}, frequency="daily")
    expired = make_ad(title="Expirée")
    Ad.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    sent = tasks.send_search_alerts.call("daily")

    assert old.published_at < search.last_sent_at
    assert sent == 0
    assert mailoutbox == []


def test_immediate_alert_is_sent_when_a_moderator_approves_the_ad(
    bob, alice, mona, mailoutbox, django_capture_on_commit_callbacks
):
    from habitat.territories.models import Commune

    services.save_search(user=alice, query={"q": "grange"}, frequency="immediate")
    ad = services.create_ad(
        author=bob,
        data={
            "category": "land",
            "kind": "offer",
            "title": "Grange à rénover",
            "body": "Une grange.",
            "commune": Commune.objects.get(pk="69123"),
        },
    )
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(obj=ad, decision="approve", actor=mona)

    alerts = [m for m in mailoutbox if m.to == ["alice@example.org"]]
    assert len(alerts) == 1
    assert "Grange à rénover" in alerts[0].body


def test_unsubscribe_link_stops_alerts(client, bob):
    search = services.save_search(user=bob, query={}, frequency="weekly")

    response = client.get(f"/annonces/alertes/{search.token}/desabonner/")

    search.refresh_from_db()
    assert response.status_code == 200
    assert search.is_active is False


def test_saving_a_search_from_the_list_keeps_its_filters(client, bob):
    client.force_login(bob)

    client.post(
        "/annonces/recherches/",
        {"category": "land", "region": "53", "frequency": "weekly", "name": "Bzh"},
    )

    search = SavedSearch.objects.get()
    assert search.query == {"category": "land", "region": "53"}
    assert (search.frequency, search.name) == ("weekly", "Bzh")


def test_contact_opens_a_conversation_and_mails_the_author_without_addresses(
    client, make_ad, bob, mailoutbox, django_capture_on_commit_callbacks
):
    ad = make_ad(title="T3 à Lyon")
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/annonces/{ad.pk}/contact/", {"message": "Bonjour, est-il libre ?"}
        )

    conversation = Conversation.objects.get()
    assert (conversation.person, conversation.ad, conversation.project) == (
        bob,
        ad,
        None,
    )
    assert response["Location"] == conversation.get_absolute_url()
    assert [mail.to for mail in mailoutbox] == [["secret.author@prive.example"]]
    assert "Bonjour, est-il libre ?" not in mailoutbox[0].body
    assert "bob@example.org" not in mailoutbox[0].body
    assert mailoutbox[0].reply_to == []


def test_author_answers_in_the_message_box_without_seeing_the_address(
    client, make_ad, bob, django_capture_on_commit_callbacks
):
    ad = make_ad(title="T3 à Lyon")
    client.force_login(bob)
    client.post(f"/annonces/{ad.pk}/contact/", {"message": "Bonjour, est-il libre ?"})
    conversation = Conversation.objects.get()
    client.force_login(ad.author)

    page = client.get(conversation.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(conversation.get_absolute_url(), {"body": "Oui, venez visiter."})

    assert b"Bonjour, est-il libre ?" in page.content
    assert b"bob@example.org" not in page.content
    assert list(conversation.messages.values_list("from_person", "body")) == [
        (True, "Bonjour, est-il libre ?"),
        (False, "Oui, venez visiter."),
    ]


def test_blocked_author_receives_nothing_more(client, make_ad, bob):
    ad = make_ad()
    client.force_login(bob)
    client.post(f"/annonces/{ad.pk}/contact/", {"message": "Bonjour, est-il libre ?"})
    conversation = Conversation.objects.get()
    client.force_login(ad.author)
    client.post(f"/mise-en-lien/messages/{conversation.pk}/bloquer/")
    client.force_login(bob)

    response = client.post(
        f"/annonces/{ad.pk}/contact/", {"message": "Encore moi, répondez !"}
    )

    assert response.status_code == 400
    assert "Cette conversation est bloquée.".encode() in response.content
    assert conversation.messages.count() == 1


def test_contact_honeypot_sends_nothing(
    client, make_ad, bob, mailoutbox, django_capture_on_commit_callbacks
):
    ad = make_ad()
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/annonces/{ad.pk}/contact/",
            {"message": "Bonjour, est-il libre ?", "website": "spam"},
        )

    assert response.status_code == 400
    assert mailoutbox == []


def test_new_account_may_send_five_contacts_a_day(
    client, make_ad, bob, mailoutbox, django_capture_on_commit_callbacks
):
    ad = make_ad()
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                f"/annonces/{ad.pk}/contact/", {"message": f"Message numéro {i}"}
            ).status_code
            for i in range(6)
        ]

    assert statuses == [302, 302, 302, 302, 302, 400]
    assert len(mailoutbox) == 5


def test_unverified_person_cannot_use_the_relay(client, make_ad, charlie):
    ad = make_ad()
    client.force_login(charlie)

    response = client.post(f"/annonces/{ad.pk}/contact/", {"message": "Bonjour !!"})

    assert response.status_code == 403


def test_report_button_files_a_report_for_the_territory(client, make_ad, bob):
    ad = make_ad()
    client.force_login(bob)

    client.post(f"/annonces/{ad.pk}/signaler/", {"reason": "Arnaque"})

    report = Report.objects.get()
    assert (report.reason, report.department_code, report.reporter) == (
        "Arnaque",
        "69",
        bob,
    )


def test_saving_a_search_from_the_land_page_keeps_land_offers_only(client, bob):
    client.force_login(bob)
    page = client.get("/foncier/?region=53")
    assert 'name="category" value="land"' in page.text

    client.post(
        "/annonces/recherches/",
        {"category": "land", "kind": "offer", "region": "53", "frequency": "daily"},
    )

    assert SavedSearch.objects.get().query == {
        "category": "land",
        "kind": "offer",
        "region": "53",
    }


def test_cron_commands_queue_reminders_and_alerts(make_ad, bob, mailoutbox):
    from django.core.management import call_command

    ad = make_ad(title="Expire bientôt")
    Ad.objects.filter(pk=ad.pk).update(expires_at=timezone.now() + timedelta(days=3))
    search = services.save_search(user=bob, query={}, frequency="weekly")
    SavedSearch.objects.filter(pk=search.pk).update(
        last_sent_at=timezone.now() - timedelta(days=7)
    )

    call_command("ads_send_reminders")
    call_command("ads_send_alerts", "weekly")

    assert sorted(m.to[0] for m in mailoutbox) == [
        "bob@example.org",
        "secret.author@prive.example",
    ]
