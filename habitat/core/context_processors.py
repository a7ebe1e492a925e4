from django.conf import settings


def site(request):
    return {
        "site_name": "Habitat Ensemble",
        "site_url": settings.SITE_URL,
    }
