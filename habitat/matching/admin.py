"""Only the groups' searches are in the admin: seekers' profiles and messages
are personal data, read by moderators only when a message is reported."""

from django.contrib import admin

from .models import GroupSearch


@admin.register(GroupSearch)
class GroupSearchAdmin(admin.ModelAdmin):
    list_display = ["project", "is_active", "dwellings_free", "department_code"]
    list_filter = ["is_active", "seeks_land"]
    raw_id_fields = ["project"]
