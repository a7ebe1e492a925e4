from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from habitat.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("habitat.core.urls")),
    # No CSRF token on the language switch: the header stays cacheable for
    # anonymous visitors (habitat/core/pagecache.py); a forged switch only
    # changes the language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("comptes/", include("allauth.urls")),
    path("espace/", include("habitat.accounts.urls")),
    path("moderation/", include("habitat.moderation.urls")),
    path("api/v1/", include("habitat.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", core_views.api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Public routes of the feature apps; each app names its own paths.
urlpatterns += [
    path("", include("habitat.projects.urls")),
    path("", include("habitat.agenda.urls")),
    path("", include("habitat.matching.urls")),
    path("", include("habitat.ads.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.HABITAT_BENCH_FLOOR:
    from bench.floor import floor

    urlpatterns.insert(0, path("_bench/floor", floor, name="bench-floor"))

urlpatterns.append(path("pages/", include(wagtail_urls)))

handler400 = "habitat.core.errors.bad_request"
handler403 = "habitat.core.errors.permission_denied"
handler404 = "habitat.core.errors.page_not_found"
handler500 = "habitat.core.errors.server_error"
