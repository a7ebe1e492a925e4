from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Photo, Project, ProjectChange


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 1


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "commune",
        "department",
        "status",
        "project_stage",
        "updated_at",
    ]
    list_filter = ["status", "project_stage", "group_stage", "is_demo", "source"]
    search_fields = ["name", "slug", "source_id"]
    raw_id_fields = [
        "commune",
        "created_by",
        "landlord_partner",
        "support_professional",
    ]
    filter_horizontal = ["editors"]
    readonly_fields = [
        "version",
        "department",
        "merged_into",
        "created_at",
        "updated_at",
    ]
    inlines = [PhotoInline]


@admin.register(ProjectChange)
class ProjectChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "author", "status", "created_at", "applied_at"]
    list_filter = ["status"]
    raw_id_fields = ["project", "author"]
