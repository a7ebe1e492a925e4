"""Agenda pages: list and month grid, event sheet, proposing and editing,
registration, embeds, the open-days campaign and the staff import page."""

import calendar as calendar_module
import logging
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from habitat.core.exceptions import HabitatError
from habitat.core.pagination import paginate

from . import exports, importer, queries, recurrence, services
from .forms import EditEventForm, EventForm, ImportForm, filter_bar
from .models import Event, EventType, Registration, Source

logger = logging.getLogger(__name__)

MONTHS = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _filters_or_empty(request):
    try:
        return queries.parse_filters(request.GET), None
    except HabitatError as error:
        return queries.Filters(), error


def _listing_page(request, events, *, per_page=20):
    """A page of `events` (ordered): counted and chosen on ids only, through
    the partial listing indexes, then its rows are loaded.

    Not one query with a window count: PostgreSQL then costs the LIMIT as if
    the count stopped early and walks the whole start index.
    """
    page_obj = paginate(request, events.values_list("id", "rrule"), per_page=per_page)
    rows = list(page_obj.object_list)
    return page_obj, queries.listed_events(
        [pk for pk, _rrule in rows], series={pk for pk, rrule in rows if rrule}
    )


def event_list(request):
    """Upcoming events (list or month grid), filters, search and archive."""
    filters, error = _filters_or_empty(request)
    if error:
        messages.error(request, error.message)
    if request.GET.get("vue") == "mois":
        return _month_grid(request, filters)

    now = timezone.now()
    archive = request.GET.get("archive") == "1"
    events = queries.public_events(filters)
    if archive:
        events = events.past(now).order_by("-start", "-id")
    else:
        events = events.upcoming(now).order_by("start", "id")
    page_obj, listed = _listing_page(request, events)
    rows = (
        [{"event": event, "occurrence": None} for event in listed]
        if archive
        else queries.next_occurrences(listed, now)
    )
    return render(
        request,
        "agenda/list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "archive": archive,
            "filter_bar": filter_bar(request.GET),
            "feed_query": urlencode(filters.as_params()),
        },
    )


def _month_grid(request, filters):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    zone = queries.PARIS
    start = datetime.combine(first, time(), zone)
    last_day = calendar_module.monthrange(first.year, first.month)[1]
    end = datetime.combine(
        first.replace(day=last_day) + timedelta(days=1), time(), zone
    )
    events = (
        queries.public_events(filters)
        .overlapping(start, end)
        .select_related("commune")
        .for_listing()
    )
    by_day: dict[date, list] = {}
    for occurrence in queries.occurrences_between(events, start, end):
        day = max(occurrence.start.date(), first)
        by_day.setdefault(day, []).append(occurrence)

    weeks = []
    for week in calendar_module.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "day": day,
                    "in_month": day.month == first.month,
                    "occurrences": by_day.get(day, []),
                }
                for day in week
            ]
        )
    previous = (first - timedelta(days=1)).replace(day=1)
    following = first.replace(day=last_day) + timedelta(days=1)
    return render(
        request,
        "agenda/month.html",
        {
            "weeks": weeks,
            "month_label": f"{MONTHS[first.month]} {first.year}",
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "filter_bar": filter_bar(request.GET),
        },
    )


def _visible_event(request, slug):
    event = get_object_or_404(
        Event.objects.select_related("commune__department", "organiser").defer(
            "commune__department__outline"
        ),
        slug=slug,
        parent=None,
    )
    if not event.is_published and not request.user.has_perm(
        "agenda.view_unpublished_event", event
    ):
        raise Http404
    return event


def _google_link(event, occurrence) -> str:
    if event.all_day:
        dates = f"{occurrence.start:%Y%m%d}/{occurrence.end:%Y%m%d}"
    else:
        dates = "{}/{}".format(
            occurrence.start.astimezone(queries.ZoneInfo("UTC")).strftime(
                "%Y%m%dT%H%M%SZ"
            ),
            occurrence.end.astimezone(queries.ZoneInfo("UTC")).strftime(
                "%Y%m%dT%H%M%SZ"
            ),
        )
    params = {
        "action": "TEMPLATE",
        "text": occurrence.title,
        "dates": dates,
        "details": settings.SITE_URL + event.get_absolute_url(),
        "location": event.address or (event.commune.name if event.commune else ""),
        "ctz": event.time_zone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def _outlook_link(event, occurrence) -> str:
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": occurrence.title,
        "startdt": occurrence.start.isoformat(),
        "enddt": occurrence.end.isoformat(),
        "allday": "true" if event.all_day else "false",
        "body": settings.SITE_URL + event.get_absolute_url(),
        "location": event.address or (event.commune.name if event.commune else ""),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params)


def _registration_dates(event, occurrences, user, now) -> list[dict]:
    """The dates open to registration, with seats left and the user's place.

    Two queries whatever the number of dates: counts per date, and the
    signed-in person's registrations.
    """
    counts = services.seats_by_date(event)
    mine = {}
    if user.is_authenticated:
        mine = {
            registration.occurrence_start: registration
            for registration in event.registrations.filter(user=user).active()
        }
    rows = []
    for occurrence in occurrences:
        source = occurrence.source
        if source.capacity is None or occurrence.end <= now:
            continue
        key = occurrence.recurrence_id if event.rrule else None
        count = counts.get(key, {"confirmed": 0, "waiting": 0})
        rows.append(
            {
                "occurrence": occurrence,
                "key": key.isoformat() if key else "",
                "capacity": source.capacity,
                "seats_left": max(source.capacity - count["confirmed"], 0),
                "waiting": count["waiting"],
                "closed": occurrence.is_cancelled or event.is_cancelled,
                "registration": mine.get(key),
            }
        )
    return rows


def event_detail(request, slug):
    event = _visible_event(request, slug)
    now = timezone.now()
    overrides = list(event.overrides.all())
    upcoming = recurrence.expand(
        event, now - timedelta(days=1), now + timedelta(days=400), overrides=overrides
    )[:12]
    if not upcoming:
        upcoming = recurrence.expand(
            event, event.start, event.start + timedelta(days=400), overrides=overrides
        )[:1]
    first = upcoming[0] if upcoming else None
    user = request.user
    takes_registrations = event.capacity is not None or any(
        override.capacity is not None for override in overrides
    )
    registration_dates = (
        _registration_dates(event, upcoming, user, now) if takes_registrations else []
    )
    return render(
        request,
        "agenda/detail.html",
        {
            "event": event,
            "occurrences": upcoming,
            "first": first,
            "google_link": _google_link(event, first) if first else "",
            "outlook_link": _outlook_link(event, first) if first else "",
            "can_change": user.has_perm("agenda.change_event", event),
            "can_see_registrations": user.has_perm("agenda.view_registrations", event),
            "takes_registrations": takes_registrations,
            "registration_dates": registration_dates,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
def propose(request):
    if not request.user.has_perm("agenda.propose_event"):
        messages.error(
            request, _("Confirmez votre adresse e-mail avant de proposer un événement.")
        )
        raise PermissionDenied
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.propose_event(
                author=request.user, data=form.service_data()
            )
        except HabitatError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            if event.is_published:
                messages.success(request, _("Votre événement est publié."))
            else:
                messages.success(
                    request,
                    _(
                        "Merci ! Votre événement sera publié après relecture par la modération."
                    ),
                )
            return redirect(event.get_absolute_url())
    return render(request, "agenda/form.html", {"form": form, "event": None})


def _initial(event, occurrence_start=None) -> dict:
    start, end = event.local_start, event.local_end
    if occurrence_start is not None:
        start, end = occurrence_start, occurrence_start + (event.end - event.start)
    return {
        "title": event.title,
        "kind": event.kind,
        "state": event.state,
        "description": event.description,
        "all_day": event.all_day,
        "start": start.replace(tzinfo=None),
        "end": end.replace(tzinfo=None),
        "start_date": event.start_date,
        "end_date": event.end_date,
        "repeat": "custom" if event.rrule else "",
        "rrule": event.rrule,
        "commune": event.commune,
        "address": event.address,
        "online": event.online,
        "online_url": event.online_url,
        "organiser": event.organiser,
        "organiser_project": event.organiser_project,
        "audience": event.audience,
        "price": event.price,
        "registration_url": event.registration_url,
        "capacity": event.capacity,
        "image": event.image or None,
        "image_alt": event.image_alt,
        "image_credit": event.image_credit,
        "scope": "this" if occurrence_start is not None else "all",
        "occurrence": occurrence_start.isoformat() if occurrence_start else "",
    }


def _occurrence_param(value: str, event):
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=event.zone)
    return moment.astimezone(event.zone)


@login_required
def edit(request, slug):
    event = get_object_or_404(Event, slug=slug, parent=None)
    if not request.user.has_perm("agenda.change_event", event):
        raise PermissionDenied
    occurrence = _occurrence_param(
        request.POST.get("occurrence") or request.GET.get("occurrence", ""), event
    )
    form = EditEventForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=_initial(event, occurrence),
    )
    if not event.rrule:
        del form.fields["scope"]
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        scope = data.pop("scope", "all") or "all"
        data.pop("occurrence", None)
        if event.rrule and scope != "all":
            data.pop("rrule", None)
        try:
            changed = services.update_event(
                event=event,
                actor=request.user,
                data=data,
                scope=scope,
                occurrence_start=occurrence,
            )
        except HabitatError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            messages.success(request, _("Modification enregistrée."))
            return redirect(changed.get_absolute_url())
    return render(request, "agenda/form.html", {"form": form, "event": event})


def register(request, slug):
    """Register for a date, or cancel; a cancel link from an e-mail also lands
    here (`?jeton=`): it asks for confirmation, and only a POST cancels."""
    token = request.POST.get("jeton") or request.GET.get("jeton")
    if token:
        return _cancel_with_token(request, slug, token)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    event = _visible_event(request, slug)
    occurrence = _occurrence_param(request.POST.get("occurrence", ""), event)
    try:
        if request.POST.get("action") == "cancel":
            services.unregister(
                event=event, user=request.user, occurrence_start=occurrence
            )
            messages.success(request, _("Votre inscription est annulée."))
        else:
            registration = services.register(
                event=event, user=request.user, occurrence_start=occurrence
            )
            if registration.state == Registration.State.WAITING:
                messages.success(
                    request, _("Complet : vous êtes sur la liste d'attente.")
                )
            else:
                messages.success(request, _("Vous êtes inscrit·e."))
    except HabitatError as error:
        messages.error(request, error.message)
    return redirect(event.get_absolute_url())


def _cancel_with_token(request, slug, token):
    try:
        registration = services.registration_from_token(token)
    except HabitatError as error:
        return render(
            request,
            "agenda/cancel_registration.html",
            {"error": error.message, "zone": services.DEFAULT_ZONE},
            status=400,
        )
    event = registration.event
    if event.slug != slug:
        raise Http404
    if request.method == "POST":
        services.cancel_registration(registration=registration)
        messages.success(request, _("Votre inscription est annulée."))
        return redirect(event.get_absolute_url())
    when = None
    if registration.state != Registration.State.CANCELLED:
        when = services.registration_date(event, registration.occurrence_start)
    return render(
        request,
        "agenda/cancel_registration.html",
        {
            "event": event,
            "registration": registration,
            "when": when,
            "token": token,
            "zone": event.time_zone,
        },
    )


@login_required
def registrations(request, slug):
    """Organisers' list of registrations, per date, and its CSV export."""
    event = get_object_or_404(Event, slug=slug, parent=None)
    if not request.user.has_perm("agenda.view_registrations", event):
        raise PermissionDenied
    rows = (
        event.registrations.active()
        .select_related("user")
        .order_by("occurrence_start", "state", "created_at", "id")
    )
    chosen = _occurrence_param(request.GET.get("date", ""), event)
    if chosen is not None:
        rows = rows.filter(occurrence_start=chosen)
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            exports.registrations_csv(event, rows.iterator(chunk_size=500)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="inscriptions-{event.slug[:60]}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    dates = [
        {
            "start": (key or event.start).astimezone(event.zone),
            "param": key.astimezone(event.zone).isoformat() if key else "",
            **counts,
        }
        for key, counts in sorted(
            services.seats_by_date(event).items(),
            key=lambda item: item[0] or event.start,
        )
    ]
    csv_params = {"format": "csv"}
    if chosen is not None:
        csv_params["date"] = chosen.isoformat()
    return render(
        request,
        "agenda/registrations.html",
        {
            "event": event,
            "dates": dates if event.rrule else [],
            "chosen": chosen,
            "csv_query": urlencode(csv_params),
            "page_obj": paginate(request, rows, per_page=100),
        },
    )


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request):
    """The agenda for association sites: no cookie, no tracker, no header."""
    filters, _error = _filters_or_empty(request)
    now = timezone.now()
    events = queries.public_events(filters).upcoming(now).order_by("start", "id")
    page_obj, listed = _listing_page(request, events)
    response = render(
        request,
        "agenda/embed.html",
        {
            "page_obj": page_obj,
            "rows": queries.next_occurrences(listed, now),
            "title": request.GET.get("titre", "")[:100]
            or _("Agenda de l'habitat participatif"),
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def embed_builder(request):
    """Snippet generator: the filters chosen here are kept in the iframe URL."""
    filters, error = _filters_or_empty(request)
    if error:
        messages.error(request, error.message)
    params = filters.as_params()
    embed_url = settings.SITE_URL + "/agenda/embed/"
    if params:
        embed_url += "?" + urlencode(params)
    snippet = (
        f'<iframe src="{embed_url}" title="{_("Agenda de l’habitat participatif")}" '
        'width="100%" height="600" loading="lazy" style="border:0"></iframe>'
    )
    return render(
        request,
        "agenda/embed_builder.html",
        {
            "filter_bar": filter_bar(request.GET),
            "snippet": snippet,
            "embed_url": embed_url,
        },
    )


def open_days(request):
    """Every open day of a weekend, as a list and on a map, printable."""
    raw = request.GET.get("weekend", "")
    try:
        chosen = date.fromisoformat(raw) if raw else None
    except ValueError:
        chosen = None
        messages.error(request, _("Date invalide : utilisez le format AAAA-MM-JJ."))
    if chosen is None:
        today = timezone.localdate()
        chosen = today + timedelta(days=(5 - today.weekday()) % 7)
    saturday = chosen - timedelta(days=(chosen.weekday() - 5) % 7)
    start = datetime.combine(saturday, time(), queries.PARIS)
    end = start + timedelta(days=2)
    events = (
        queries.public_events()
        .filter(kind=EventType.OPEN_DAY)
        .overlapping(start - timedelta(hours=6), end + timedelta(hours=6))
        .for_listing()
    )
    occurrences = queries.occurrences_between(events, start, end)
    points = [
        {
            "title": occurrence.title,
            "lat": occurrence.event.commune.latitude,
            "lon": occurrence.event.commune.longitude,
            "url": occurrence.event.get_absolute_url(),
        }
        for occurrence in occurrences
        if occurrence.event.commune and occurrence.event.commune.latitude is not None
    ]
    return render(
        request,
        "agenda/open_days.html",
        {
            "occurrences": occurrences,
            "points": points,
            "saturday": saturday,
            "sunday": saturday + timedelta(days=1),
            "previous": saturday - timedelta(days=7),
            "following": saturday + timedelta(days=7),
        },
    )


@staff_member_required
def import_page(request):
    """Staff import of an ICS file or subscription URL, with its report."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source, _created = Source.objects.get_or_create(name=data["source"])
        source.trusted = data["trusted"]
        if data.get("url"):
            source.url = data["url"]
        source.save()
        try:
            if data.get("file"):
                report = importer.import_calendar(
                    source=source, payload=data["file"].read(), actor=request.user
                )
            else:
                report = importer.fetch_source(source=source)
                if report is None:
                    messages.info(
                        request, _("Calendrier inchangé depuis la dernière lecture.")
                    )
        except HabitatError as error:
            form.add_error("file" if data.get("file") else "url", error.message)
    return render(request, "agenda/import.html", {"form": form, "report": report})
