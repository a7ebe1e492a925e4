import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habitat.core.exceptions import HabitatError
from habitat.core.pagination import paginate

from . import services
from .forms import (
    AdFilterForm,
    AdForm,
    ContactForm,
    PhotoForm,
    ReportForm,
    SavedSearchForm,
)
from .models import Ad, Category, Kind, Photo, SavedSearch

logger = logging.getLogger(__name__)

PER_PAGE = 20


def _show_error(form, error: HabitatError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _get_ad(request, pk, perm="ads.view_ad") -> Ad:
    ad = get_object_or_404(
        Ad.objects.select_related("commune__department", "organisation", "author"),
        pk=pk,
    )
    if not request.user.has_perm("ads.view_ad", ad):
        raise Http404(_("Annonce introuvable"))
    if perm != "ads.view_ad" and not request.user.has_perm(perm, ad):
        raise PermissionDenied
    return ad


def ad_list(request):
    filters = AdFilterForm(request.GET or None)
    ads = Ad.objects.visible().matching(filters.criteria()).for_listing()
    page_obj = paginate(request, ads, per_page=PER_PAGE)
    query = filters.query()
    return render(
        request,
        "ads/ad_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "feed_query": query,
            "feed_qs": _urlencode(query),
            "search_form": SavedSearchForm() if request.user.is_authenticated else None,
        },
    )


def ad_detail(request, pk, slug=None):
    ad = _get_ad(request, pk)
    if slug != ad.slug and ad.is_visible:
        return redirect(ad.get_absolute_url(), permanent=True)
    user = request.user
    return render(
        request,
        "ads/ad_detail.html",
        {
            "ad": ad,
            "photos": list(ad.photos.all()),
            "contact_form": ContactForm()
            if user.has_perm("ads.contact_ad", ad)
            else None,
            "report_form": ReportForm() if user.has_perm("ads.report_ad", ad) else None,
            "can_edit": user.has_perm("ads.change_ad", ad),
            "can_moderate": user.has_perm("ads.moderate_ad", ad),
        },
    )


def _ad_form_view(request, *, ad=None, land_only=False):
    initial = {}
    if ad is None and land_only:
        initial = {"transaction": "sale"}
    elif ad is None and request.GET.get("categorie") in Category.values:
        category = request.GET["categorie"]
        initial = {"category": category, "kind": services.new_kind_for(category)}
    form = AdForm(
        request.POST or None,
        instance=ad,
        initial=initial,
        user=request.user,
        land_only=land_only,
    )
    if request.method == "POST" and form.is_valid():
        data = form.ad_data()
        if land_only:
            data.update(category=Category.LAND, kind=Kind.OFFER)
        try:
            if ad is None:
                saved = services.create_ad(
                    author=request.user,
                    data=data,
                    honeypot=request.POST.get("website", ""),
                )
            else:
                saved = services.update_ad(ad=ad, editor=request.user, data=data)
        except HabitatError as error:
            _show_error(form, error)
        else:
            if saved.status == "pending":
                messages.success(
                    request,
                    _(
                        "Merci ! Votre annonce sera publiée après une relecture par "
                        "l'association de votre territoire."
                    ),
                )
            else:
                messages.success(request, _("Votre annonce est enregistrée."))
            return redirect("ads:photos", pk=saved.pk)
    if ad is not None:
        template_title = _("Modifier l'annonce")
    elif land_only:
        template_title = _("Proposer un terrain ou un bâtiment")
    else:
        template_title = _("Déposer une annonce")
    return render(
        request,
        "ads/ad_form.html",
        {"form": form, "ad": ad, "title": template_title, "land_only": land_only},
    )


@login_required
def ad_create(request):
    if not request.user.has_perm("ads.add_ad"):
        messages.error(
            request,
            _("Confirmez d'abord votre adresse e-mail pour publier une annonce."),
        )
        return redirect("ads:list")
    return _ad_form_view(request)


@login_required
def land_create(request):
    if not request.user.has_perm("ads.add_ad"):
        messages.error(
            request,
            _("Confirmez d'abord votre adresse e-mail pour publier une annonce."),
        )
        return redirect("ads:land")
    return _ad_form_view(request, land_only=True)


@login_required
def ad_edit(request, pk):
    ad = _get_ad(request, pk, "ads.change_ad")
    return _ad_form_view(request, ad=ad, land_only=False)


@login_required
def ad_photos(request, pk):
    ad = _get_ad(request, pk, "ads.change_ad")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_photo(
                ad=ad, upload=form.cleaned_data["image"], alt=form.cleaned_data["alt"]
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Photo ajoutée."))
            return redirect("ads:photos", pk=ad.pk)
    return render(
        request,
        "ads/ad_photos.html",
        {"ad": ad, "form": form, "photos": list(ad.photos.all())},
    )


@login_required
@require_POST
def photo_delete(request, pk, photo_pk):
    ad = _get_ad(request, pk, "ads.change_ad")
    photo = get_object_or_404(Photo, pk=photo_pk, ad=ad)
    services.delete_photo(photo=photo)
    messages.success(request, _("Photo supprimée."))
    return redirect("ads:photos", pk=ad.pk)


@login_required
@require_POST
def ad_withdraw(request, pk):
    ad = _get_ad(request, pk, "ads.withdraw_ad")
    services.withdraw_ad(ad=ad, actor=request.user)
    messages.success(request, _("Votre annonce est retirée."))
    return redirect("ads:mine")


@login_required
@require_POST
def ad_renew_mine(request, pk):
    ad = _get_ad(request, pk)
    if ad.author_id != request.user.pk:
        raise PermissionDenied
    try:
        services.renew_ad(ad=ad)
    except HabitatError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Annonce renouvelée pour trois mois."))
    return redirect("ads:mine")


def ad_renew(request, token):
    """One click from the reminder e-mail: the signed link is the permission."""
    try:
        ad = services.ad_from_renewal_token(token)
        services.renew_ad(ad=ad)
    except HabitatError as error:
        return render(request, "ads/renewed.html", {"error": error.message}, status=400)
    return render(request, "ads/renewed.html", {"ad": ad})


@login_required
def my_ads(request):
    ads = (
        Ad.objects.of_author(request.user)
        .select_related("commune")
        .order_by("-created_at")
    )
    searches = SavedSearch.objects.filter(user=request.user, is_active=True)
    return render(
        request,
        "ads/my_ads.html",
        {
            "page_obj": paginate(request, ads, per_page=PER_PAGE),
            "searches": searches,
        },
    )


@login_required
@require_POST
def ad_contact(request, pk):
    ad = _get_ad(request, pk)
    if not request.user.has_perm("ads.contact_ad", ad):
        raise PermissionDenied
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            conversation = services.send_contact(
                ad=ad,
                sender=request.user,
                message=form.cleaned_data["message"],
                honeypot=request.POST.get("website", ""),
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre message a été transmis à l'auteur : sa réponse arrivera "
                    "dans votre messagerie."
                ),
            )
            return redirect(conversation)
    return render(
        request,
        "ads/ad_detail.html",
        {
            "ad": ad,
            "photos": list(ad.photos.all()),
            "contact_form": form,
            "report_form": ReportForm(),
        },
        status=400,
    )


@login_required
@require_POST
def ad_report(request, pk):
    ad = _get_ad(request, pk)
    if not request.user.has_perm("ads.report_ad", ad):
        raise PermissionDenied
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_ad(
                ad=ad, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except HabitatError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Merci, l'équipe de modération va examiner cette annonce.")
            )
    else:
        messages.error(request, _("Dites en quelques mots ce qui pose problème."))
    return redirect(ad.get_absolute_url())


@login_required
@require_POST
def search_save(request):
    filters = AdFilterForm(request.POST)
    form = SavedSearchForm(request.POST)
    if not filters.is_valid() or not form.is_valid():
        messages.error(request, _("Cette recherche n'a pas pu être enregistrée."))
        return redirect("ads:list")
    try:
        services.save_search(
            user=request.user,
            query=filters.query(),
            frequency=form.cleaned_data["frequency"],
            name=form.cleaned_data["name"],
        )
    except HabitatError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Recherche enregistrée : vous recevrez les nouvelles annonces.")
        )
    return redirect(reverse("ads:list") + "?" + _urlencode(filters.query()))


def _urlencode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


def unsubscribe(request, token):
    """One click from an alert e-mail; the unguessable token is the permission."""
    search = get_object_or_404(SavedSearch, token=token)
    services.unsubscribe(search=search)
    return render(request, "ads/unsubscribed.html", {"search": search})


def land_list(request):
    filters = AdFilterForm(request.GET or None)
    criteria = {**filters.criteria(), "category": None, "kind": None}
    offers = Ad.objects.land_offers().matching(criteria).for_listing()
    page_obj = paginate(request, offers, per_page=PER_PAGE)
    query = {
        key: value
        for key, value in filters.query().items()
        if key not in ("category", "kind")
    }
    return render(
        request,
        "ads/land_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "feed_query": query,
            "feed_qs": _urlencode(query),
            "search_form": SavedSearchForm() if request.user.is_authenticated else None,
            "map_data_url": reverse("ads:land_map"),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def land_map_data(request):
    """GeoJSON of the visible land offers, public fields only.

    Cached under a key that changes when an offer is added, changed, hidden or
    expires (the count and latest change are taken on the visible set).
    """
    visible = Ad.objects.land_offers()
    stamp = visible.aggregate(n=Count("id"), last=Max("updated_at"))
    key = f"ads:landmap:{stamp['n']}:{stamp['last'] and stamp['last'].timestamp()}"
    payload = cache.get(key)
    if payload is None:
        payload = land_geojson(visible)
        cache.set(key, payload, timeout=60 * 10)
    return JsonResponse(payload)


def land_geojson(queryset) -> dict:
    rows = queryset.filter(
        commune__latitude__isnull=False, commune__longitude__isnull=False
    ).values_list(
        "pk",
        "slug",
        "title",
        "poster_kind",
        "surface_m2",
        "commune__name",
        "commune__latitude",
        "commune__longitude",
    )
    features = []
    for pk, slug, title, poster_kind, surface, commune, lat, lon in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "title": title,
                    "url": reverse("ads:detail", kwargs={"pk": pk, "slug": slug}),
                    "commune": commune,
                    "poster": poster_kind,
                    "surface": surface,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
