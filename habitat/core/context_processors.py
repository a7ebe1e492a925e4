from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# The links of every page's header and footer, by name in base.html.
SITE_ROUTES = {
    "projects": "projects:list",
    "map": "projects:map",
    "agenda": "agenda:list",
    "matching": "matching:home",
    "ads": "ads:list",
    "land": "ads:land",
    "dashboard": "accounts:dashboard",
    "moderation": "moderation:queue",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
    "set_language": "set_language",
    "api_docs": "api-docs",
    "about": "core:about",
}


@lru_cache(maxsize=8)
def _site_urls(prefix: str, urlconf: str) -> dict:
    urls = {}
    for key, name in SITE_ROUTES.items():
        try:
            urls[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:  # an app left out of this configuration
            urls[key] = None
    return urls


def site_urls() -> dict:
    """The header's and footer's links, reversed once per process."""
    return _site_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def site(request):
    return {
        "site_name": "Habitat Ensemble",
        "site_url": settings.SITE_URL,
        "site_urls": site_urls(),
    }
