"""Writes of the mise en lien: profiles, group searches, the relay, blocks.

Every function raises HabitatError with a French message a person can act on.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from habitat.core.exceptions import HabitatError
from habitat.moderation import services as moderation
from habitat.moderation.models import Status

from .models import Block, Conversation, GroupSearch, Match, Message, SeekerProfile

logger = logging.getLogger(__name__)

NEW_ACCOUNT_AGE = timedelta(days=7)
MAX_MESSAGE_LENGTH = 5000


def refresh_zone(profile: SeekerProfile) -> None:
    """Cache the zone's points, départements and bounding box on the profile."""
    from . import scoring

    points = [
        [commune.latitude, commune.longitude]
        for commune in profile.communes.all()
        if commune.latitude is not None
    ]
    codes = sorted(profile.departments.values_list("code", flat=True))
    profile.zone_points = points
    profile.department_codes = "".join(f"[{code}]" for code in codes)
    boxes = [scoring.bounding_box(lat, lng, profile.radius_km) for lat, lng in points]
    if boxes:
        profile.min_latitude = min(box[0] for box in boxes)
        profile.max_latitude = max(box[1] for box in boxes)
        profile.min_longitude = min(box[2] for box in boxes)
        profile.max_longitude = max(box[3] for box in boxes)
    else:
        profile.min_latitude = profile.max_latitude = None
        profile.min_longitude = profile.max_longitude = None


@transaction.atomic
def save_profile(
    *, profile: SeekerProfile, communes, departments, recompute: bool = True
) -> SeekerProfile:
    """Save a person's profile and its territory.

    Side effects: the cached zone is refreshed, and (unless `recompute` is
    False, for bulk loads) the person's matches are recomputed by a queued
    task once the transaction commits.
    """
    communes = list(communes or [])
    departments = list(departments or [])
    if not communes and not departments:
        raise HabitatError(
            _("Indiquez au moins une commune ou un département."), field="communes"
        )
    if len(communes) > 20 or len(departments) > 20:
        raise HabitatError(
            _("Vingt communes et vingt départements au plus."), field="communes"
        )
    if profile.findable and not profile.pseudonym.strip():
        raise HabitatError(
            _("Choisissez un pseudonyme pour que les groupes puissent vous trouver."),
            field="pseudonym",
        )

    profile.save()
    profile.communes.set(communes)
    profile.departments.set(departments)
    refresh_zone(profile)
    profile.save(
        update_fields=[
            "zone_points",
            "department_codes",
            "min_latitude",
            "max_latitude",
            "min_longitude",
            "max_longitude",
        ]
    )

    if recompute:
        from .tasks import recompute_seeker

        transaction.on_commit(lambda: recompute_seeker.enqueue(profile.pk))
    return profile


def refresh_group_place(search: GroupSearch) -> None:
    project = search.project
    search.latitude = project.public_latitude
    search.longitude = project.public_longitude
    search.department_code = project.department_id or ""


@transaction.atomic
def save_group_search(*, search: GroupSearch, recompute: bool = True) -> GroupSearch:
    """Save what a group offers and whom it looks for.

    Side effects: the project is marked as seeking members when the search
    is active; the group's matches are recomputed by a queued task (unless
    `recompute` is False, for bulk loads).
    """
    if search.price_min and search.price_max and search.price_min > search.price_max:
        raise HabitatError(
            _("Le prix minimum dépasse le prix maximum."), field="price_min"
        )
    if search.rent_min and search.rent_max and search.rent_min > search.rent_max:
        raise HabitatError(
            _("Le loyer minimum dépasse le loyer maximum."), field="rent_min"
        )
    if search.age_min and search.age_max and search.age_min > search.age_max:
        raise HabitatError(_("L'âge minimum dépasse l'âge maximum."), field="age_min")

    refresh_group_place(search)
    search.save()
    project = search.project
    if search.is_active and not project.seeking_members:
        project.seeking_members = True
        project.save(update_fields=["seeking_members"])

    if recompute:
        from .tasks import recompute_group

        transaction.on_commit(lambda: recompute_group.enqueue(search.pk))
    return search


def _check_not_blocked(person, *, project=None, ad=None) -> None:
    if Block.objects.filter(person=person, project=project, ad=ad).exists():
        raise HabitatError(_("Cette conversation est bloquée."), field="body")


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise HabitatError(_("Écrivez votre message."), field="body")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise HabitatError(_("Le message est limité à 5 000 caractères."), field="body")
    return body


def _check_first_contact_quota(sender) -> None:
    """New accounts may start only a few conversations a day."""
    if timezone.now() - sender.date_joined >= NEW_ACCOUNT_AGE:
        return
    since = timezone.now() - timedelta(days=1)
    started = Conversation.objects.filter(
        started_by=sender, created_at__gte=since
    ).count()
    limit = settings.HABITAT_FIRST_CONTACTS_PER_DAY
    if started >= limit:
        raise HabitatError(
            _(
                "Les comptes de moins de sept jours peuvent écrire à %(limit)d "
                "nouveaux interlocuteurs par jour. Réessayez demain."
            )
            % {"limit": limit},
            field="body",
            code="rate_limited",
        )


def _add_message(conversation, *, sender, from_person: bool, body: str) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        from_person=from_person,
        body=body,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        department_id=conversation.department_id,
    )
    now = message.created_at
    conversation.last_message_at = now
    fields = ["last_message_at"]
    if from_person:
        conversation.person_read_at = now
        fields.append("person_read_at")
        if not conversation.person_has_written:
            conversation.person_has_written = True
            fields.append("person_has_written")
    else:
        conversation.group_read_at = now
        fields.append("group_read_at")
    conversation.save(update_fields=fields)

    from .tasks import notify_new_message

    transaction.on_commit(lambda: notify_new_message.enqueue(message.pk))
    return message


@transaction.atomic
def write_to_group(*, person, project, body: str) -> Conversation:
    """A person writes to a group, from a match or the group's sheet.

    Side effects: a conversation is opened (counted in the person's first
    contacts) or continued; the group's editors get an e-mail (queued task).
    """
    body = _check_body(body)
    if project.editors.filter(pk=person.pk).exists():
        raise HabitatError(_("Vous faites partie de ce groupe."), field="body")
    if not project.editors.exists():
        raise HabitatError(
            _("Ce groupe n'a pas encore de responsable pour lire les messages."),
            field="body",
        )
    _check_not_blocked(person, project=project)
    conversation = Conversation.objects.filter(person=person, project=project).first()
    if conversation is None:
        _check_first_contact_quota(person)
        conversation = Conversation.objects.create(
            person=person,
            project=project,
            started_by=person,
            started_by_person=True,
            last_message_at=timezone.now(),
        )
    _add_message(conversation, sender=person, from_person=True, body=body)
    return conversation


@transaction.atomic
def write_about_ad(*, person, ad, body: str) -> Conversation:
    """A person answers an ad or a land offer: the relay goes to its author.

    Side effects: a conversation is opened (counted in the person's first
    contacts) or continued; the author gets an e-mail without the text or the
    person's address (queued task). Neither address is shown until shared.
    """
    body = _check_body(body)
    if ad.author_id == person.pk:
        raise HabitatError(_("C'est votre propre annonce."), field="body")
    if not ad.is_visible:
        raise HabitatError(_("Cette annonce n'est plus en ligne."), field="body")
    _check_not_blocked(person, ad=ad)
    conversation = Conversation.objects.filter(person=person, ad=ad).first()
    if conversation is None:
        _check_first_contact_quota(person)
        conversation = Conversation.objects.create(
            person=person,
            ad=ad,
            started_by=person,
            started_by_person=True,
            last_message_at=timezone.now(),
        )
    _add_message(conversation, sender=person, from_person=True, body=body)
    return conversation


@transaction.atomic
def write_to_person(*, editor, project, profile: SeekerProfile, body: str):
    """A group's editor writes to a findable person who matches the group.

    Side effects: a conversation is opened (counted in the editor's first
    contacts); the person gets an e-mail (queued task).
    """
    body = _check_body(body)
    if not profile.findable or not profile.user.is_active:
        raise HabitatError(_("Cette personne ne souhaite pas être contactée."))
    if not Match.objects.filter(seeker=profile, group__project=project).exists():
        raise HabitatError(_("Cette personne ne correspond pas à votre recherche."))
    _check_not_blocked(profile.user, project=project)
    conversation = Conversation.objects.filter(
        person=profile.user, project=project
    ).first()
    if conversation is None:
        _check_first_contact_quota(editor)
        conversation = Conversation.objects.create(
            person=profile.user,
            project=project,
            started_by=editor,
            started_by_person=False,
            last_message_at=timezone.now(),
        )
    _add_message(conversation, sender=editor, from_person=False, body=body)
    return conversation


@transaction.atomic
def reply(*, conversation: Conversation, sender, body: str) -> Message:
    """Answer in an existing conversation (either side).

    Side effects: the other side gets an e-mail (queued task).
    """
    body = _check_body(body)
    _check_not_blocked(
        conversation.person, project=conversation.project, ad=conversation.ad
    )
    from_person = sender.pk == conversation.person_id
    return _add_message(conversation, sender=sender, from_person=from_person, body=body)


def share_email(*, conversation: Conversation, user) -> None:
    """Show the person's (or this editor's) e-mail to the other side."""
    if user.pk == conversation.person_id:
        conversation.person_shares_email = True
        conversation.save(update_fields=["person_shares_email"])
    else:
        conversation.group_shares_email = True
        conversation.group_sharer = user
        conversation.save(update_fields=["group_shares_email", "group_sharer"])


def mark_read(*, conversation: Conversation, user) -> None:
    now = timezone.now()
    if user.pk == conversation.person_id:
        Conversation.objects.filter(pk=conversation.pk).update(person_read_at=now)
    else:
        Conversation.objects.filter(pk=conversation.pk).update(group_read_at=now)


@transaction.atomic
def block(*, conversation: Conversation, user) -> Block:
    """Stop all messages between the person and the group (or ad), either way.

    Side effects: the match between them is removed and is not recomputed.
    """
    by_person = user.pk == conversation.person_id
    blocked, _created = Block.objects.get_or_create(
        person=conversation.person,
        project=conversation.project,
        ad=conversation.ad,
        defaults={"by_person": by_person, "blocker": user},
    )
    if conversation.project_id:
        Match.objects.filter(
            seeker__user=conversation.person, group__project=conversation.project
        ).delete()
    logger.info("Conversation %s blocked", conversation.pk)
    return blocked


def report_message(*, message: Message, reporter, reason: str):
    """Flag a message for the moderators of the group's territory.

    Side effects: a moderation Report and an audit line; from then on the
    territory's moderators may read this message (and only this one).
    """
    if message.sender_id == reporter.pk:
        raise HabitatError(
            _("Vous ne pouvez pas signaler votre propre message."), field="reason"
        )
    return moderation.report(obj=message, reporter=reporter, reason=reason)
