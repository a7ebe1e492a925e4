import json
import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habitat.core.exceptions import HabitatError
from habitat.core.pagination import paginate
from habitat.projects.models import Project

from . import land, privacy, scoring, services
from .forms import (
    DeleteAccountForm,
    GroupSearchForm,
    MessageForm,
    ReportForm,
    SeekerProfileForm,
)
from .models import Conversation, GroupSearch, Match, Message, SeekerProfile
from .tasks import UNSUBSCRIBE_SALT

logger = logging.getLogger(__name__)


def _show_error(form, error: HabitatError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["profile"] = SeekerProfile.objects.filter(user=request.user).first()
        context["projects"] = Project.objects.filter(editors=request.user).order_by(
            "name"
        )
        context["land_offers"] = land.offers_of(request.user)
    return render(request, "matching/home.html", context)


@login_required
def edit_profile(request):
    profile = SeekerProfile.objects.filter(user=request.user).first()
    if profile is None:
        profile = SeekerProfile(user=request.user)
    form = SeekerProfileForm(request.POST or None, instance=profile)

    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                profile=form.save(),
                communes=form.communes,
                departments=form.cleaned_data["departments"],
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Profil enregistré : vos correspondances sont à jour.")
            )
            return redirect("matching:my_matches")
    return render(request, "matching/profile_form.html", {"form": form})


@login_required
def my_matches(request):
    profile = SeekerProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, _("Commencez par décrire ce que vous cherchez."))
        return redirect("matching:profile")
    matches = (
        Match.objects.filter(seeker=profile)
        .select_related("group__project__commune")
        .order_by("-score", "id")
    )
    page_obj = paginate(request, matches, per_page=20)
    for match in page_obj:
        match.explain(profile, match.group, reader=scoring.PERSON)
    return render(
        request, "matching/my_matches.html", {"profile": profile, "page_obj": page_obj}
    )


def _edited_project(request, slug) -> Project:
    project = get_object_or_404(Project.objects.select_related("commune"), slug=slug)
    if not request.user.has_perm("matching.manage_group_search", project):
        raise PermissionDenied
    return project


@login_required
def edit_group_search(request, slug):
    project = _edited_project(request, slug)
    search = GroupSearch.objects.filter(project=project).first() or GroupSearch(
        project=project
    )
    form = GroupSearchForm(request.POST or None, instance=search)

    if request.method == "POST" and form.is_valid():
        try:
            services.save_group_search(search=form.save(commit=False))
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Recherche enregistrée."))
            return redirect("matching:group_matches", slug=project.slug)
    return render(
        request, "matching/group_search_form.html", {"form": form, "project": project}
    )


@login_required
def group_matches(request, slug):
    project = _edited_project(request, slug)
    search = GroupSearch.objects.filter(project=project).first()
    if search is None:
        return redirect("matching:group_search", slug=project.slug)
    matches = (
        Match.objects.filter(group=search, findable=True)
        .select_related("seeker")
        .order_by("-score", "id")
    )
    hidden = Match.objects.filter(group=search, findable=False).count()
    page_obj = paginate(request, matches, per_page=20)
    for match in page_obj:
        match.explain(match.seeker, search, reader=scoring.GROUP)
    return render(
        request,
        "matching/group_matches.html",
        {
            "project": project,
            "search": search,
            "hidden_count": hidden,
            "page_obj": page_obj,
        },
    )


@login_required
def group_land(request, slug):
    project = _edited_project(request, slug)
    search = GroupSearch.objects.filter(project=project).first()
    if search is None:
        return redirect("matching:group_search", slug=project.slug)
    offers = land.offers_near(search)
    return render(
        request,
        "matching/group_land.html",
        {
            "project": project,
            "search": search,
            "page_obj": paginate(request, offers, per_page=20),
        },
    )


@login_required
def land_groups(request, pk):
    """The author of a land offer sees the groups seeking land around it."""
    from habitat.ads.models import Ad

    offer = get_object_or_404(
        Ad.objects.land_offers().select_related("commune"),
        pk=pk,
        author=request.user,
    )
    return render(
        request,
        "matching/land_groups.html",
        {
            "offer": offer,
            "page_obj": paginate(request, land.groups_near(offer), per_page=20),
        },
    )


@login_required
def write_to_group(request, slug):
    project = get_object_or_404(Project.objects.published(), slug=slug)
    if not request.user.has_perm("matching.write"):
        raise PermissionDenied
    existing = Conversation.objects.filter(person=request.user, project=project).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.write_to_group(
                person=request.user, project=project, body=form.cleaned_data["body"]
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Message envoyé au groupe."))
            return redirect(conversation)
    return render(
        request,
        "matching/write.html",
        {"form": form, "recipient": project.name, "project": project},
    )


@login_required
def write_about_ad(request, pk):
    """Answer an ad or a land offer: the conversation goes to the message box."""
    from habitat.ads.models import Ad

    ad = get_object_or_404(Ad.objects.visible(), pk=pk)
    if not request.user.has_perm("matching.write"):
        raise PermissionDenied
    existing = Conversation.objects.filter(person=request.user, ad=ad).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.write_about_ad(
                person=request.user, ad=ad, body=form.cleaned_data["body"]
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Message envoyé à l'auteur de l'annonce."))
            return redirect(conversation)
    return render(
        request,
        "matching/write.html",
        {
            "form": form,
            "recipient": _("l'auteur de l'annonce « %(title)s »") % {"title": ad.title},
            "ad": ad,
        },
    )


@login_required
def write_to_person(request, slug, profile_pk):
    project = _edited_project(request, slug)
    if not request.user.has_perm("matching.write"):
        raise PermissionDenied
    profile = get_object_or_404(
        SeekerProfile.objects.findable().select_related("user"),
        pk=profile_pk,
        matches__group__project=project,
    )
    existing = Conversation.objects.filter(person=profile.user, project=project).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.write_to_person(
                editor=request.user,
                project=project,
                profile=profile,
                body=form.cleaned_data["body"],
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Message envoyé."))
            return redirect(conversation)
    return render(
        request,
        "matching/write.html",
        {"form": form, "recipient": profile.card_name, "project": project},
    )


@login_required
def inbox(request):
    conversations = (
        Conversation.objects.filter(
            Q(person=request.user)
            | Q(project__in=Project.objects.filter(editors=request.user))
            | Q(ad__author=request.user)
        )
        .select_related("project", "ad", "person__seeker_profile")
        .order_by("-last_message_at", "-id")
    )
    page_obj = paginate(request, conversations, per_page=30)
    rows = []
    for conversation in page_obj:
        as_person = conversation.person_id == request.user.pk
        if as_person:
            other = conversation.subject
            read_at = conversation.person_read_at
        else:
            profile = getattr(conversation.person, "seeker_profile", None)
            other = conversation.person_name_for_group(profile)
            read_at = conversation.group_read_at
        unread = read_at is None or read_at < conversation.last_message_at
        rows.append(
            {
                "conversation": conversation,
                "other": other,
                "as_person": as_person,
                "unread": unread,
            }
        )
    return render(request, "matching/inbox.html", {"page_obj": page_obj, "rows": rows})


def _conversation_for(request, pk) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "project", "ad__author", "person__seeker_profile", "group_sharer"
        ),
        pk=pk,
    )
    if not request.user.has_perm("matching.view_conversation", conversation):
        raise Http404
    return conversation


@login_required
def conversation_detail(request, pk):
    conversation = _conversation_for(request, pk)
    as_person = conversation.person_id == request.user.pk
    form = MessageForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            services.reply(
                conversation=conversation,
                sender=request.user,
                body=form.cleaned_data["body"],
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            return redirect(conversation)

    services.mark_read(conversation=conversation, user=request.user)
    profile = getattr(conversation.person, "seeker_profile", None)
    person_name = conversation.person_name_for_group(profile)
    thread = conversation.messages.select_related("sender")
    blocked = services.Block.objects.filter(
        person_id=conversation.person_id,
        project_id=conversation.project_id,
        ad_id=conversation.ad_id,
    ).exists()
    return render(
        request,
        "matching/conversation.html",
        {
            "conversation": conversation,
            "as_person": as_person,
            "person_name": person_name,
            "thread": thread,
            "form": form,
            "blocked": blocked,
        },
    )


@login_required
@require_POST
def share_email(request, pk):
    conversation = _conversation_for(request, pk)
    services.share_email(conversation=conversation, user=request.user)
    messages.success(
        request,
        _("Votre adresse e-mail est maintenant visible de votre interlocuteur."),
    )
    return redirect(conversation)


@login_required
@require_POST
def block_conversation(request, pk):
    conversation = _conversation_for(request, pk)
    services.block(conversation=conversation, user=request.user)
    messages.success(
        request, _("Conversation bloquée : plus aucun message ne pourra être échangé.")
    )
    return redirect("matching:inbox")


@login_required
def report_message(request, pk, message_pk):
    conversation = _conversation_for(request, pk)
    message = get_object_or_404(Message, pk=message_pk, conversation=conversation)
    form = ReportForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(
                message=message,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
            )
        except HabitatError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Merci : les modérateurs vont examiner ce message.")
            )
            return redirect(conversation)
    return render(
        request,
        "matching/report.html",
        {"form": form, "conversation": conversation, "message": message},
    )


@login_required
def reported_message(request, pk):
    """A moderator reads one reported message, and nothing else of the relay."""
    message = get_object_or_404(
        Message.objects.select_related("conversation__project", "sender"), pk=pk
    )
    if not request.user.has_perm("matching.read_reported_message", message):
        raise PermissionDenied
    return render(request, "matching/reported_message.html", {"message": message})


@login_required
def my_data(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        privacy.delete_account(user=user)
        logout(request)
        messages.success(request, _("Votre compte a été supprimé."))
        return redirect("home")
    return render(request, "matching/my_data.html", {"form": form})


@login_required
def export_data(request):
    payload = json.dumps(
        privacy.export_user_data(request.user), ensure_ascii=False, indent=2
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    response["Cache-Control"] = "no-store"
    return response


def unsubscribe(request, token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise Http404
    if data.get("k") == "seeker":
        target = SeekerProfile.objects.filter(pk=data.get("id")).first()
    else:
        target = GroupSearch.objects.filter(pk=data.get("id")).first()
    if target is None:
        raise Http404
    done = False
    if request.method == "POST":
        target.notify_frequency = "never"
        target.save(update_fields=["notify_frequency"])
        done = True
    return render(request, "matching/unsubscribe.html", {"done": done})
