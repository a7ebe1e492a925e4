from django import forms
from django.utils.translation import gettext_lazy as _

from habitat.accounts.models import Organisation
from habitat.territories.forms import CommuneField
from habitat.territories.models import Department, Region

from .models import Ad, Category, Kind, PosterKind, SavedSearch

LAND_FIELDS = (
    "poster_kind",
    "surface_m2",
    "is_built",
    "state",
    "transaction",
    "constraints",
    "call_deadline",
)


class NamedSelectsMixin:
    """Give each drop-down its own accessible name.

    core/components/field.html renders every widget with options (plain
    <select> included) as a <fieldset> with a <legend> and no <label>, so a
    <select> has no name of its own (axe: select-name). Redundant once that
    component keeps <label> for plain selects.
    """

    def name_selects(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select) and widget.input_type == "select":
                widget.attrs.setdefault("aria-label", str(field.label))


class AdForm(NamedSelectsMixin, forms.ModelForm):
    commune = CommuneField()
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Au nom de"),
        empty_label=_("En mon nom"),
    )

    class Meta:
        model = Ad
        fields = (
            "category",
            "kind",
            "title",
            "body",
            "commune",
            "price",
            "price_text",
            "organisation",
            *LAND_FIELDS,
        )
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "constraints": forms.Textarea(attrs={"rows": 3}),
            "call_deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, land_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=("editor", "moderator", "admin"),
        ).distinct()
        if not self.fields["organisation"].queryset.exists():
            del self.fields["organisation"]
        if land_only:
            del self.fields["category"]
            del self.fields["kind"]
            self.fields["poster_kind"].required = True
            self.order_fields(["poster_kind", "title", "commune"])
        self.name_selects()

    def ad_data(self) -> dict:
        data = dict(self.cleaned_data)
        if "organisation" not in self.fields:
            data["organisation"] = None
        return data


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo (JPEG, PNG ou WebP, 5 Mo au plus)"))
    alt = forms.CharField(
        label=_("Description de la photo"),
        max_length=200,
        required=False,
        help_text=_("Pour les personnes qui ne voient pas l'image."),
    )


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Il est transmis par e-mail à l'auteur, avec votre adresse pour qu'il "
            "puisse vous répondre. Son adresse ne vous est pas communiquée."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Qu'est-ce qui pose problème ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AdFilterForm(NamedSelectsMixin, forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Catégorie"),
        required=False,
        choices=[("", _("Toutes"))] + Category.choices,
    )
    kind = forms.ChoiceField(
        label=_("Offre ou demande"),
        required=False,
        choices=[("", _("Toutes"))] + Kind.choices,
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label=_("Toutes"),
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        required=False,
        queryset=Department.objects.order_by("code"),
        empty_label=_("Tous"),
    )
    price_min = forms.DecimalField(
        label=_("Prix minimum (€)"), required=False, min_value=0, max_digits=12
    )
    price_max = forms.DecimalField(
        label=_("Prix maximum (€)"), required=False, min_value=0, max_digits=12
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_selects()

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("Le maximum est inférieur au minimum."))
        return data

    def criteria(self) -> dict:
        return dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}

    def query(self) -> dict:
        """The valid filters as strings, for links, feeds and saved searches."""
        out = {}
        for key, value in self.criteria().items():
            if value in (None, ""):
                continue
            out[key] = str(getattr(value, "pk", value))
        return out


class SavedSearchForm(NamedSelectsMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom de la recherche"), max_length=100, required=False
    )
    frequency = forms.ChoiceField(
        label=_("Recevoir les nouvelles annonces"),
        choices=SavedSearch.Frequency.choices,
        initial=SavedSearch.Frequency.DAILY,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_selects()


POSTER_KIND_LABELS = dict(PosterKind.choices)
