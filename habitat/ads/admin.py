from django.contrib import admin

from .models import Ad, Photo, SavedSearch


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0


@admin.register(Ad)
class AdAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "kind", "commune", "status", "expires_at")
    list_filter = ("category", "kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("commune", "author", "organisation")
    inlines = [PhotoInline]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "frequency", "is_active")
    raw_id_fields = ("user",)
