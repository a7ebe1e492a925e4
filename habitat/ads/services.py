"""Writes on ads: create, edit, renew, withdraw, photos, reports, contacts, searches.

Every function raises HabitatError with a French message a person can act on.
"""

import io
import logging

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from habitat.core.exceptions import HabitatError
from habitat.core.text import strip_control
from habitat.core.uploads import clean_image
from habitat.moderation import services as moderation
from habitat.moderation.models import ModerationLog, Status

from . import relay, spam
from .models import AD_LIFETIME, Ad, Category, Kind, Photo, SavedSearch

logger = logging.getLogger(__name__)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
RENEW_SALT = "habitat.ads.renew"
RENEW_MAX_AGE = 60 * 60 * 24 * 60

AD_FIELDS = (
    "category",
    "kind",
    "title",
    "body",
    "commune",
    "price",
    "price_text",
    "organisation",
    "poster_kind",
    "surface_m2",
    "is_built",
    "state",
    "transaction",
    "constraints",
    "call_deadline",
)


def needs_moderation(user) -> bool:
    """First ads of an account wait for moderation; later ones do not.

    An account that never had an ad approved, or had one hidden or
    refused, goes through the queue.
    """
    ads = Ad.objects.filter(author=user)
    if ads.filter(status__in=(Status.HIDDEN, Status.REJECTED)).exists():
        return True
    return not ads.filter(published_at__isnull=False).exists()


def _check_verified(user) -> None:
    if not (user.is_authenticated and user.is_active and user.email_verified):
        raise HabitatError(
            _("Confirmez d'abord votre adresse e-mail pour publier une annonce."),
            code="unverified",
        )


def _check_organisation(user, organisation) -> None:
    if organisation is None:
        return
    if not organisation.memberships.filter(
        user=user, role__in=("editor", "moderator", "admin")
    ).exists():
        raise HabitatError(
            _(
                "Vous ne pouvez publier qu'au nom d'une organisation dont vous êtes "
                "éditeur ou éditrice."
            ),
            field="organisation",
        )


def _clean_fields(data: dict) -> dict:
    values = {key: data[key] for key in AD_FIELDS if key in data}
    for key in ("title", "body", "price_text", "state", "constraints"):
        if key in values:
            values[key] = strip_control(values[key] or "").strip()
    if not values.get("title"):
        raise HabitatError(_("Donnez un titre à votre annonce."), field="title")
    if not values.get("body"):
        raise HabitatError(
            _("Décrivez votre annonce en quelques lignes."), field="body"
        )
    if values.get("price") is not None and values["price"] < 0:
        raise HabitatError(_("Le prix ne peut pas être négatif."), field="price")
    if values.get("category") != Category.LAND:
        for key in ("poster_kind", "state", "transaction", "constraints"):
            values[key] = ""
        values.update(surface_m2=None, is_built=False, call_deadline=None)
    return values


@transaction.atomic
def create_ad(*, author, data: dict, honeypot: str = "") -> Ad:
    """Publish an ad, or queue it for moderation when the author is new.

    Side effects: one ModerationLog line (submitted or approved), the daily
    counter of the author incremented, and alerts of saved searches queued
    when the ad is published at once.
    """
    if honeypot:
        logger.info("Ad refused by the honeypot for user %s", author.pk)
        raise HabitatError(_("Votre annonce n'a pas pu être enregistrée."), code="spam")
    _check_verified(author)
    values = _clean_fields(data)
    spam.check_links(user=author, text=values["body"])
    spam.check_rate(user=author, action="ad")
    _check_organisation(author, values.get("organisation"))

    ad = Ad(author=author, **values)
    if needs_moderation(author):
        ad.status = Status.PENDING
        action = ModerationLog.Action.SUBMITTED
    else:
        ad.status = Status.PUBLISHED
        ad.published_at = timezone.now()
        action = ModerationLog.Action.APPROVED
    ad.save()
    spam.record(user=author, action="ad")
    moderation.log_action(obj=ad, action=action, actor=author)
    logger.info("Ad %s created with status %s", ad.pk, ad.status)
    return ad


@transaction.atomic
def update_ad(*, ad: Ad, editor, data: dict) -> Ad:
    """Change an ad's text; a hidden or withdrawn ad cannot be edited.

    Side effects: one ModerationLog line (edited) with the changed fields.
    """
    if ad.status in (Status.HIDDEN, Status.WITHDRAWN):
        raise HabitatError(_("Cette annonce ne peut plus être modifiée."))
    values = _clean_fields(data)
    spam.check_links(user=editor, text=values["body"])
    _check_organisation(editor, values.get("organisation"))

    # A ModelForm may already have set the new values on `ad`: compare with
    # what is stored.
    stored = Ad.objects.get(pk=ad.pk)
    changes = {}
    for key, value in values.items():
        old = getattr(stored, key)
        if old != value:
            changes[key] = {"old": str(old or ""), "new": str(value or "")}
            setattr(ad, key, value)
    if ad.status == Status.REJECTED:
        ad.status = Status.PENDING
    ad.save()
    if changes:
        moderation.log_action(
            obj=ad, action=ModerationLog.Action.EDITED, actor=editor, changes=changes
        )
    return ad


def renew_ad(*, ad: Ad) -> Ad:
    """Push the expiry three months from now; the reminder may be sent again."""
    if ad.status not in (Status.PUBLISHED, Status.PENDING):
        raise HabitatError(_("Cette annonce ne peut pas être renouvelée."))
    now = timezone.now()
    ad.expires_at = now + AD_LIFETIME
    ad.renewed_at = now
    ad.reminded_at = None
    ad.save(update_fields=["expires_at", "renewed_at", "reminded_at"])
    logger.info("Ad %s renewed", ad.pk)
    return ad


def renewal_token(ad: Ad) -> str:
    return signing.dumps(ad.pk, salt=RENEW_SALT)


def ad_from_renewal_token(token: str) -> Ad:
    try:
        pk = signing.loads(token, salt=RENEW_SALT, max_age=RENEW_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise HabitatError(
            _(
                "Ce lien de renouvellement a expiré : renouvelez l'annonce depuis "
                "votre espace."
            ),
            code="expired",
        ) from exc
    except signing.BadSignature as exc:
        raise HabitatError(_("Ce lien n'est pas valide."), code="invalid") from exc
    ad = Ad.objects.filter(pk=pk).first()
    if ad is None:
        raise HabitatError(_("Cette annonce n'existe plus."), code="not_found")
    return ad


@transaction.atomic
def withdraw_ad(*, ad: Ad, actor) -> Ad:
    """The author takes the ad down. Side effects: one ModerationLog line."""
    ad.status = Status.WITHDRAWN
    ad.save(update_fields=["status"])
    moderation.log_action(obj=ad, action=ModerationLog.Action.WITHDRAWN, actor=actor)
    return ad


def _normalise_image(upload) -> tuple[bytes, str, tuple[int, int]]:
    """Re-encode an upload through core.uploads.clean_image.

    The type comes from the content, the EXIF orientation is applied, every
    metadata block (GPS position, camera) is dropped, SVG files and
    decompression bombs are refused. The result is a JPEG, or a PNG when the
    image has transparency.
    """
    if upload.size > MAX_PHOTO_BYTES:
        raise HabitatError(_("La photo dépasse 5 Mo."), field="image", code="too_big")
    try:
        cleaned = clean_image(upload, field="image")
    except HabitatError as error:
        raise HabitatError(error.message, field="image", code="bad_type") from error
    content = cleaned.read()
    with Image.open(io.BytesIO(content)) as image:
        size = image.size
    return content, cleaned.name.rsplit(".", 1)[-1], size


def add_photo(*, ad: Ad, upload, alt: str = "") -> Photo:
    """Attach a photo, re-encoded without its metadata (no GPS position)."""
    if ad.photos.count() >= MAX_PHOTOS:
        raise HabitatError(
            f"Une annonce compte au plus {MAX_PHOTOS} photos.", field="image"
        )
    content, extension, (width, height) = _normalise_image(upload)
    photo = Photo(ad=ad, alt=strip_control(alt)[:200], extension=extension)
    photo.position = ad.photos.count()
    photo.image.save(f"photo.{extension}", ContentFile(content), save=False)
    photo.width, photo.height = width, height
    photo.save()
    return photo


def delete_photo(*, photo: Photo) -> None:
    photo.image.delete(save=False)
    photo.delete()


def report_ad(*, ad: Ad, reporter, reason: str):
    """Flag an ad for its territory's moderators (rate limited)."""
    if not reporter.is_authenticated:
        raise HabitatError(_("Connectez-vous pour signaler une annonce."))
    spam.check_rate(user=reporter, action="report")
    created = moderation.report(obj=ad, reporter=reporter, reason=reason)
    spam.record(user=reporter, action="report")
    return created


@transaction.atomic
def send_contact(*, ad: Ad, sender, message: str, honeypot: str = ""):
    """Answer an ad through the portal's message box; returns the conversation.

    Side effects: a conversation with the author is opened (counted in the
    sender's first contacts) or continued, and the author is told by e-mail
    without the text or the sender's address (see `relay`); the sender's
    daily counter grows. Neither address is shown until its owner shares it;
    block and report work as in every conversation.
    """
    if honeypot:
        raise HabitatError(_("Votre message n'a pas pu être envoyé."), code="spam")
    if not (sender.is_authenticated and sender.email_verified):
        raise HabitatError(
            _("Confirmez votre adresse e-mail pour écrire aux auteurs d'annonces."),
            code="unverified",
        )
    if sender.pk == ad.author_id:
        raise HabitatError(_("C'est votre propre annonce."), field="message")
    message = strip_control(message or "").strip()
    if len(message) < 10:
        raise HabitatError(_("Votre message est trop court."), field="message")
    if len(message) > 5000:
        raise HabitatError(
            _("Votre message est limité à 5 000 caractères."), field="message"
        )
    spam.check_links(user=sender, text=message, field="message")
    spam.check_rate(user=sender, action="contact")

    try:
        conversation = relay.deliver(ad=ad, sender=sender, message=message)
    except HabitatError as error:
        raise HabitatError(error.message, field="message", code=error.code) from error
    spam.record(user=sender, action="contact")
    return conversation


def save_search(*, user, query: dict, frequency: str, name: str = "") -> SavedSearch:
    """Keep a search's filters; new matching ads are e-mailed at `frequency`."""
    if frequency not in SavedSearch.Frequency.values:
        raise HabitatError(_("Choisissez une fréquence d'alerte."), field="frequency")
    if user.ad_searches.filter(is_active=True).count() >= 20:
        raise HabitatError(_("Vous avez déjà 20 recherches enregistrées."))
    clean_query = {key: str(value) for key, value in query.items() if value}
    return SavedSearch.objects.create(
        user=user,
        query=clean_query,
        frequency=frequency,
        name=strip_control(name)[:100],
        last_sent_at=timezone.now(),
    )


def unsubscribe(*, search: SavedSearch) -> None:
    search.is_active = False
    search.save(update_fields=["is_active"])


def new_kind_for(category: str) -> str:
    """Default kind for a category: someone seeking a group makes a request."""
    return Kind.REQUEST if category == Category.SEEKING else Kind.OFFER
