from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from habitat.core.pagination import paginate

from .forms import ProfileForm
from .models import Organisation


@login_required
def dashboard(request):
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/dashboard.html", {"memberships": memberships})


@login_required
def edit_profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil enregistré."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_form.html", {"form": form})


def organisation_list(request):
    organisations = Organisation.objects.exclude(
        kind=Organisation.Kind.NATIONAL
    ).order_by("kind", "name")
    kind = request.GET.get("type")
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page_obj": paginate(request, organisations, per_page=50),
            "kinds": Organisation.Kind.choices,
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("regions", "departments"), slug=slug
    )
    return render(
        request, "accounts/organisation_detail.html", {"organisation": organisation}
    )
