from django import forms
from django.utils.translation import gettext_lazy as _

from habitat.territories.forms import CommuneField
from habitat.territories.models import Department

from .choices import Skill, Tenure, Value
from .models import GroupSearch, SeekerProfile

COMMUNE_SLOTS = 3


def _checkboxes(choices, label, required=False):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
    )


class SeekerProfileForm(forms.ModelForm):
    commune_1 = CommuneField(
        label=_("Commune où vous aimeriez vivre"),
        required=False,
        help_text=_("Tapez le nom de la commune puis choisissez-la dans la liste."),
    )
    commune_2 = CommuneField(label=_("Autre commune"), required=False)
    commune_3 = CommuneField(label=_("Autre commune"), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("Ou des départements entiers"),
        queryset=Department.objects.order_by("code"),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    ages_text = forms.CharField(
        label=_("Âges des membres du foyer"),
        required=False,
        help_text=_("Séparés par des virgules, par exemple : 38, 41, 7."),
    )
    tenures = _checkboxes(Tenure.choices, _("Statuts d'occupation souhaités"))
    values = _checkboxes(Value.choices, _("Ce qui compte pour vous"))
    skills = _checkboxes(Skill.choices, _("Compétences que vous apportez"))

    class Meta:
        model = SeekerProfile
        fields = [
            "commune_1",
            "commune_2",
            "commune_3",
            "departments",
            "radius_km",
            "adults",
            "children",
            "ages_text",
            "budget_purchase",
            "budget_rent",
            "tenures",
            "timeline",
            "values",
            "skills",
            "needs_accessibility",
            "accessibility_needs",
            "about",
            "findable",
            "pseudonym",
            "notify_frequency",
        ]
        widgets = {
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "about": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "about": _("Visible de vous seul·e, et des groupes à qui vous écrivez."),
            "pseudonym": _("Le nom sous lequel les groupes vous voient."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.instance
        if profile.pk:
            communes = list(profile.communes.all()[:COMMUNE_SLOTS])
            for index, commune in enumerate(communes, start=1):
                self.initial[f"commune_{index}"] = commune
            self.initial["departments"] = list(profile.departments.all())
            self.initial["ages_text"] = ", ".join(str(age) for age in profile.ages)
        self.fields["radius_km"].widget.attrs.update(min=0, max=200)

    def clean_radius_km(self):
        radius = self.cleaned_data["radius_km"]
        if radius > 200:
            raise forms.ValidationError(_("Le rayon est limité à 200 km."))
        return radius

    def clean_ages_text(self):
        raw = self.cleaned_data["ages_text"]
        ages = []
        for chunk in raw.replace(";", ",").split(","):
            chunk = chunk.strip()
            if not chunk:
                continue
            if not chunk.isdigit() or int(chunk) > 120:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas un âge valide.") % {"value": chunk}
                )
            ages.append(int(chunk))
        return ages[:20]

    @property
    def communes(self):
        chosen = []
        for index in range(1, COMMUNE_SLOTS + 1):
            commune = self.cleaned_data.get(f"commune_{index}")
            if commune is not None and commune not in chosen:
                chosen.append(commune)
        return chosen

    def save(self, commit=False):
        profile = super().save(commit=False)
        profile.ages = self.cleaned_data["ages_text"]
        return profile


class GroupSearchForm(forms.ModelForm):
    tenures = _checkboxes(Tenure.choices, _("Statuts d'occupation proposés"))
    values = _checkboxes(Value.choices, _("Ce qui compte pour le groupe"))
    skills_sought = _checkboxes(Skill.choices, _("Compétences recherchées"))

    class Meta:
        model = GroupSearch
        fields = [
            "is_active",
            "dwellings_free",
            "sizes",
            "price_min",
            "price_max",
            "rent_min",
            "rent_max",
            "tenures",
            "timeline",
            "values",
            "wants_children",
            "age_min",
            "age_max",
            "skills_sought",
            "accessible",
            "seeks_land",
            "land_radius_km",
            "notify_frequency",
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Votre adresse e-mail n'est pas transmise : la réponse arrivera ici."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Ce qui pose problème"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Tapez SUPPRIMER pour confirmer"),
        max_length=20,
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "SUPPRIMER":
            raise forms.ValidationError(_("Tapez le mot SUPPRIMER pour confirmer."))
        return value
