"""Worker tasks: recomputing matches, e-mails about matches and messages.

`notify_new_message` is the one relay e-mail of the portal's message box: a
message to a group, to a person or to the author of an ad (or land offer)
is announced by it, without its text and without the sender's address.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from habitat.core import outbox

from . import engine
from .choices import Frequency
from .models import GroupSearch, Match, Message, SeekerProfile

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "matching.unsubscribe"
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


def unsubscribe_url(kind: str, pk: int) -> str:
    token = signing.dumps({"k": kind, "id": pk}, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("matching:unsubscribe", args=[token])


@task()
def recompute_seeker(profile_id: int) -> None:
    profile = SeekerProfile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None:
        return
    new = engine.recompute_for_seeker(profile)
    if new and profile.notify_frequency == Frequency.IMMEDIATE:
        notify_seeker.enqueue(profile.pk)
    groups = {match.group_id for match in new if match.findable}
    for search in GroupSearch.objects.filter(
        pk__in=groups, notify_frequency=Frequency.IMMEDIATE
    ):
        notify_group.enqueue(search.pk)


@task()
def recompute_group(search_id: int) -> None:
    search = GroupSearch.objects.filter(pk=search_id).first()
    if search is None:
        return
    new = engine.recompute_for_group(search)
    if any(match.findable for match in new) and (
        search.notify_frequency == Frequency.IMMEDIATE
    ):
        notify_group.enqueue(search.pk)
    for profile in SeekerProfile.objects.filter(
        pk__in={match.seeker_id for match in new},
        notify_frequency=Frequency.IMMEDIATE,
    ):
        notify_seeker.enqueue(profile.pk)


@task()
def recompute_everything() -> int:
    return engine.recompute_all()


@task()
def notify_seeker(profile_id: int) -> bool:
    """E-mail a person the matches that appeared since the last e-mail."""
    profile = SeekerProfile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None or profile.notify_frequency == Frequency.NEVER:
        return False
    if not profile.user.is_active:
        return False
    since = profile.last_digest_at or profile.created_at
    matches = list(
        profile.matches.filter(created_at__gt=since)
        .select_related("group__project__commune")
        .order_by("-score")[:20]
    )
    profile.last_digest_at = timezone.now()
    profile.save(update_fields=["last_digest_at"])
    if not matches:
        return False
    body = render_to_string(
        "matching/email/new_matches.txt",
        {
            "matches": matches,
            "matches_url": settings.SITE_URL + reverse("matching:my_matches"),
            "unsubscribe_url": unsubscribe_url("seeker", profile.pk),
        },
    )
    outbox.send_mail(
        "[Habitat Ensemble] Nouveaux groupes pour vous",
        body,
        None,
        [profile.user.email],
    )
    logger.info(
        "Match e-mail sent for profile %s (%s matches)", profile.pk, len(matches)
    )
    return True


@task()
def notify_group(search_id: int) -> bool:
    """E-mail a group's editors the findable people who appeared lately."""
    search = GroupSearch.objects.select_related("project").filter(pk=search_id).first()
    if search is None or search.notify_frequency == Frequency.NEVER:
        return False
    since = search.last_digest_at or search.created_at
    count = Match.objects.filter(
        group=search, findable=True, created_at__gt=since
    ).count()
    search.last_digest_at = timezone.now()
    search.save(update_fields=["last_digest_at"])
    recipients = list(
        search.project.editors.filter(is_active=True).values_list("email", flat=True)
    )
    if not count or not recipients:
        return False
    body = render_to_string(
        "matching/email/new_people.txt",
        {
            "count": count,
            "project": search.project,
            "matches_url": settings.SITE_URL
            + reverse("matching:group_matches", args=[search.project.slug]),
            "unsubscribe_url": unsubscribe_url("group", search.pk),
        },
    )
    outbox.send_mail(
        f"[Habitat Ensemble] {search.project.name} : nouvelles personnes intéressées",
        body,
        None,
        recipients,
    )
    logger.info("Match e-mail sent for group search %s", search.pk)
    return True


@task()
def send_digests(frequency: str) -> int:
    """Daily or weekly digests, for everyone due; run by cron through the worker."""
    period = PERIODS[Frequency(frequency)]
    due = timezone.now() - period + timedelta(minutes=30)
    sent = 0
    profiles = SeekerProfile.objects.filter(
        notify_frequency=frequency, user__is_active=True
    ).exclude(last_digest_at__gt=due)
    for profile_id in profiles.values_list("pk", flat=True):
        sent += bool(notify_seeker.call(profile_id))
    searches = GroupSearch.objects.filter(notify_frequency=frequency).exclude(
        last_digest_at__gt=due
    )
    for search_id in searches.values_list("pk", flat=True):
        sent += bool(notify_group.call(search_id))
    logger.info("%s %s digests sent", sent, frequency)
    return sent


@task()
def notify_new_message(message_id: int) -> None:
    """Tell the other side of a conversation that a message is waiting.

    The e-mail holds no text of the message and no address of the sender.
    """
    message = (
        Message.objects.select_related(
            "conversation__person", "conversation__project", "conversation__ad__author"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    conversation = message.conversation
    if message.from_person:
        recipients = conversation.other_side_emails()
        sender_name = conversation.person_name_for_group(
            SeekerProfile.objects.filter(user_id=conversation.person_id).first()
        )
    else:
        recipients = (
            [conversation.person.email] if conversation.person.is_active else []
        )
        sender_name = conversation.subject
    if not recipients:
        return
    body = render_to_string(
        "matching/email/new_message.txt",
        {
            "sender_name": sender_name,
            "url": settings.SITE_URL + conversation.get_absolute_url(),
        },
    )
    outbox.send_mail("[Habitat Ensemble] Nouveau message", body, None, recipients)
    logger.info("Message notice sent for conversation %s", conversation.pk)
