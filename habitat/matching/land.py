"""Land offers ("foncier") and groups seeking land: who fits whom, in words.

The ads app owns land offers (`Ad.objects.land_offers()`: visible ones
only, by date). Candidates come from a bounding box on coordinates in the
database; the exact distance is computed here, nearest first. A group reads
about the offer (`offers_near`), the offer's author reads about the groups
(`groups_near`): the same facts, worded for each reader.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import scoring
from .choices import TIMELINE_LABELS, Tenure
from .models import GroupSearch

# A group's land radius is capped by the form; the owner's prefilter uses it.
MAX_LAND_RADIUS_KM = 200
MAX_RESULTS = 500


@dataclass
class LandFit:
    offer: object
    distance_km: int
    reasons: list[str]
    search: GroupSearch | None = None


def _distance(search, offer) -> int | None:
    """Kilometres between a group and an offer, None when one has no place."""
    commune = offer.commune
    if search.latitude is None or commune.latitude is None:
        return None
    return round(
        scoring.distance_km(
            (search.latitude, search.longitude), (commune.latitude, commune.longitude)
        )
    )


def reasons_for_group(offer, distance: int | None) -> list[str]:
    """What a group seeking land reads about an offer."""
    if distance is None:
        reasons = [_("dans votre département")]
    elif distance < 1:
        reasons = [_("dans la commune de votre projet")]
    else:
        reasons = [_("à %(km)d km de votre projet") % {"km": distance}]
    if offer.transaction:
        reasons.append(offer.get_transaction_display())
    if offer.surface_m2:
        reasons.append(_("%(m2)s m²") % {"m2": offer.surface_m2})
    if offer.call_deadline:
        reasons.append(
            _("appel à projets jusqu'au %(date)s")
            % {"date": offer.call_deadline.strftime("%d/%m/%Y")}
        )
    return reasons


def reasons_for_owner(search: GroupSearch, distance: int | None) -> list[str]:
    """What the author of an offer reads about a group seeking land."""
    if distance is None:
        reasons = [_("projet dans le département de votre terrain")]
    elif distance < 1:
        reasons = [_("projet dans la commune de votre terrain")]
    else:
        reasons = [_("projet à %(km)d km de votre terrain") % {"km": distance}]
    reasons.append(
        _("cherche un terrain à %(km)d km au plus") % {"km": search.land_radius_km}
    )
    tenures = dict(Tenure.choices)
    if search.tenures:
        reasons.append(
            _("habitat prévu en : %(tenures)s")
            % {"tenures": ", ".join(str(tenures.get(t, t)) for t in search.tenures)}
        )
    if search.timeline:
        reasons.append(
            _("emménagement %(when)s")
            % {"when": TIMELINE_LABELS.get(search.timeline, search.timeline)}
        )
    return reasons


def offers_near(search: GroupSearch) -> list[LandFit]:
    """Visible land offers within the group's land radius, nearest first."""
    from habitat.ads.models import Ad

    offers = Ad.objects.land_offers()
    if search.latitude is None:
        offers = offers.filter(department_id=search.department_code or None)
    else:
        min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(
            search.latitude, search.longitude, search.land_radius_km
        )
        offers = offers.filter(
            commune__latitude__range=(min_lat, max_lat),
            commune__longitude__range=(min_lng, max_lng),
        )

    fits = []
    for offer in offers.select_related("commune").order_by("id")[:MAX_RESULTS]:
        distance = _distance(search, offer)
        if distance is not None and distance > search.land_radius_km:
            continue
        reasons = reasons_for_group(offer, distance)
        fits.append(LandFit(offer=offer, distance_km=distance or 0, reasons=reasons))
    fits.sort(key=lambda fit: (fit.distance_km, fit.offer.pk))
    return fits


def groups_near(offer) -> list[LandFit]:
    """Active groups seeking land whose radius reaches the offer, nearest first."""
    commune = offer.commune
    searches = GroupSearch.objects.active().filter(seeks_land=True)
    if commune.latitude is None:
        searches = searches.filter(department_code=offer.department_id)
    else:
        min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(
            commune.latitude, commune.longitude, MAX_LAND_RADIUS_KM
        )
        searches = searches.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
        ) | searches.filter(latitude__isnull=True, department_code=offer.department_id)

    fits = []
    for search in searches.select_related("project__commune").order_by("id")[
        :MAX_RESULTS
    ]:
        distance = _distance(search, offer)
        if distance is not None and distance > search.land_radius_km:
            continue
        reasons = reasons_for_owner(search, distance)
        fits.append(
            LandFit(
                offer=offer,
                distance_km=distance or 0,
                reasons=reasons,
                search=search,
            )
        )
    fits.sort(key=lambda fit: (fit.distance_km, fit.search.pk))
    return fits


def offers_of(user) -> list:
    """The visible land offers `user` wrote, for the links to their groups."""
    from habitat.ads.models import Ad

    return list(Ad.objects.land_offers().filter(author=user).order_by("title", "id"))
