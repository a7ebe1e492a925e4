"""Personal data held by the ads app, for the export and deletion of an account."""

from django.db import transaction

from habitat.moderation.models import Status

from .models import Ad, SavedSearch


def export_user_data(user) -> dict:
    """Everything of `user` kept by the ads app, as plain JSON-ready values."""
    ads = Ad.objects.filter(author=user).select_related("commune")
    return {
        "ads": [
            {
                "id": ad.pk,
                "category": ad.category,
                "kind": ad.kind,
                "title": ad.title,
                "body": ad.body,
                "commune": ad.commune.name,
                "price": str(ad.price) if ad.price is not None else None,
                "price_text": ad.price_text,
                "status": ad.status,
                "created_at": ad.created_at.isoformat(),
                "expires_at": ad.expires_at.isoformat(),
                "photos": [photo.image.name for photo in ad.photos.all()],
            }
            for ad in ads.prefetch_related("photos")
        ],
        "saved_searches": [
            {
                "name": search.name,
                "query": search.query,
                "frequency": search.frequency,
                "is_active": search.is_active,
                "created_at": search.created_at.isoformat(),
            }
            for search in SavedSearch.objects.filter(user=user)
        ],
    }


@transaction.atomic
def erase_user_data(user) -> None:
    """Withdraw the ads of a deleted account, delete its photos and searches.

    The ads are kept withdrawn (never shown) for the moderation trail.
    """
    ads = Ad.objects.filter(author=user)
    for ad in ads.prefetch_related("photos"):
        for photo in ad.photos.all():
            photo.image.delete(save=False)
            photo.delete()
    for ad in ads:
        ad.status = Status.WITHDRAWN
        ad.body = ""
        ad.price_text = ""
        ad.save()
    SavedSearch.objects.filter(user=user).delete()


# The account-deletion feature (habitat/matching/privacy.py) looks for this name.
delete_user_data = erase_user_data
