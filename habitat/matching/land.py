"""Land offers ("foncier") that fit a group seeking land.

The ads app owns land offers (`Ad.objects.land_offers()`: visible ones
only, by date). Candidates come from a bounding box on the communes'
coordinates; the exact distance is computed here, nearest first.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import scoring


@dataclass
class LandFit:
    offer: object
    distance_km: int
    reasons: list[str]


def offers_near(search) -> list[LandFit]:
    from habitat.ads.models import Ad

    if search.latitude is None:
        offers = Ad.objects.land_offers().filter(
            department_id=search.department_code or None
        )
        point = None
    else:
        min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(
            search.latitude, search.longitude, search.land_radius_km
        )
        offers = Ad.objects.land_offers().filter(
            commune__latitude__range=(min_lat, max_lat),
            commune__longitude__range=(min_lng, max_lng),
        )
        point = (search.latitude, search.longitude)

    fits = []
    for offer in offers.select_related("commune").order_by("id")[:500]:
        distance = 0
        if point is not None and offer.commune.latitude is not None:
            distance = round(
                scoring.distance_km(
                    point, (offer.commune.latitude, offer.commune.longitude)
                )
            )
            if distance > search.land_radius_km:
                continue
        reasons = [
            _("sur place")
            if distance < 1
            else _("à %(km)d km du projet") % {"km": distance}
        ]
        if offer.transaction:
            reasons.append(offer.get_transaction_display())
        if offer.surface_m2:
            reasons.append(_("%(m2)s m²") % {"m2": offer.surface_m2})
        if offer.call_deadline:
            reasons.append(
                _("appel à projets jusqu'au %(date)s")
                % {"date": offer.call_deadline.strftime("%d/%m/%Y")}
            )
        fits.append(LandFit(offer=offer, distance_km=distance, reasons=reasons))
    fits.sort(key=lambda fit: (fit.distance_km, fit.offer.pk))
    return fits
