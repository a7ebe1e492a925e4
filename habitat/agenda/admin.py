from django.contrib import admin

from .models import Calendar, Event, Registration, Source


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "kind", "state", "status", "department"]
    list_filter = ["status", "state", "kind"]
    search_fields = ["title", "slug", "source_uid"]
    raw_id_fields = ["commune", "organiser", "author", "parent", "source"]
    filter_horizontal = ["calendars"]


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "trusted", "last_fetched_at"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "state", "created_at"]
    raw_id_fields = ["event", "user"]
