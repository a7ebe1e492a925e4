"""A person's own data: export it all as JSON, or delete the account.

Other apps may offer `habitat/<app>/privacy.py` with `export_user_data(user)`
(a JSON-serialisable value) and optionally `delete_user_data(user)`; both are
called here when they exist.
"""

import importlib
import logging

from django.db import transaction
from django.utils import timezone

from habitat.accounts.models import Membership

from .models import Block, Conversation, SeekerProfile

logger = logging.getLogger(__name__)

OTHER_APPS = ["habitat.ads", "habitat.projects", "habitat.agenda"]


def _other_app(module_name: str, function: str):
    try:
        module = importlib.import_module(f"{module_name}.privacy")
    except ModuleNotFoundError:
        return None
    return getattr(module, function, None)


def _date(value):
    return value.isoformat() if value else None


def _profile_data(profile: SeekerProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "findable": profile.findable,
        "pseudonym": profile.pseudonym,
        "communes": [
            {"insee": commune.insee, "name": commune.name}
            for commune in profile.communes.all()
        ],
        "departments": list(profile.department_list),
        "radius_km": profile.radius_km,
        "adults": profile.adults,
        "children": profile.children,
        "ages": profile.ages,
        "budget_purchase": profile.budget_purchase,
        "budget_rent": profile.budget_rent,
        "tenures": profile.tenures,
        "timeline": profile.timeline,
        "values": profile.values,
        "skills": profile.skills,
        "needs_accessibility": profile.needs_accessibility,
        "accessibility_needs": profile.accessibility_needs,
        "about": profile.about,
        "notify_frequency": profile.notify_frequency,
        "created_at": _date(profile.created_at),
        "updated_at": _date(profile.updated_at),
        "matches": [
            {"group": match.group.project.name, "score": match.score}
            for match in profile.matches.select_related("group__project")
        ],
    }


def _conversations_data(user) -> list[dict]:
    conversations = (
        Conversation.objects.of_user(user)
        .select_related("project", "ad")
        .prefetch_related("messages__sender")
    )
    data = []
    for conversation in conversations:
        own = conversation.person_id == user.pk
        data.append(
            {
                "group": conversation.subject,
                "as": "person" if own else "group",
                "started_at": _date(conversation.created_at),
                "messages": [
                    {
                        "from": "vous"
                        if message.sender_id == user.pk
                        else (message.sender.public_name if message.sender else ""),
                        "at": _date(message.created_at),
                        "body": message.body,
                    }
                    for message in conversation.messages.all()
                ],
            }
        )
    return data


def export_user_data(user) -> dict:
    """Everything the platform holds about `user`, as JSON-ready data."""
    profile = SeekerProfile.objects.filter(user=user).first()
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "commune": user.commune.name if user.commune_id else None,
            "motive": user.motive,
            "email_verified": user.email_verified,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
            "memberships": [
                {"organisation": m.organisation.name, "role": m.role}
                for m in Membership.objects.filter(user=user).select_related(
                    "organisation"
                )
            ],
        },
        "seeker_profile": _profile_data(profile),
        "conversations": _conversations_data(user),
        "blocks": [
            {
                "group": block.project.name if block.project_id else block.ad.title,
                "at": _date(block.created_at),
            }
            for block in Block.objects.filter(blocker=user).select_related(
                "project", "ad"
            )
        ],
    }
    for app in OTHER_APPS:
        export = _other_app(app, "export_user_data")
        if export is not None:
            data[app.rsplit(".", 1)[1]] = export(user)
    return data


@transaction.atomic
def delete_account(*, user) -> None:
    """Remove or anonymise everything of `user`.

    Side effects: the seeker's profile and matches deleted; memberships,
    project editor rights, blocks and e-mail addresses removed; the User row
    anonymised and deactivated with deleted_at set. Messages stay for the
    other party, whose pages then show "compte supprimé". Other apps'
    `privacy.delete_user_data(user)` run first when they exist.
    """
    for app in OTHER_APPS:
        delete = _other_app(app, "delete_user_data")
        if delete is not None:
            delete(user)

    SeekerProfile.objects.filter(user=user).delete()
    Block.objects.filter(person=user).delete()
    Conversation.objects.filter(person=user).update(
        person_shares_email=False, person_has_written=True
    )
    Conversation.objects.filter(group_sharer=user).update(
        group_shares_email=False, group_sharer=None
    )
    Membership.objects.filter(user=user).delete()
    user.edited_projects.clear()

    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()

    user.email = f"compte-supprime-{user.pk}@invalid.example"
    user.display_name = ""
    user.commune = None
    user.motive = ""
    user.email_verified = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    logger.info("Account %s deleted and anonymised", user.pk)
