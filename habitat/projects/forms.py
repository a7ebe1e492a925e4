from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from habitat.accounts.models import Organisation
from habitat.core.forms import limit_text_lengths
from habitat.territories.forms import CommuneField

from .models import (
    PRIVATE_FIELDS,
    EcologicalFeature,
    LegalStructure,
    PhotoLicence,
    Project,
    SharedSpace,
    Tenure,
)
from .services import EDITABLE_FIELDS

LIST_FIELDS = {
    "legal_structures": LegalStructure.choices,
    "tenure_mix": Tenure.choices,
    "shared_spaces": SharedSpace.choices,
    "ecological_features": EcologicalFeature.choices,
}


class ProjectForm(forms.ModelForm):
    """The sheet's form; `version` carries the optimistic lock."""

    commune = CommuneField(
        required=False,
        help_text=_("Laissez vide si le lieu n'est pas encore connu."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [name for name in EDITABLE_FIELDS if name != "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "intentions": forms.Textarea(attrs={"rows": 4}),
            "social_life": forms.Textarea(attrs={"rows": 4}),
            "participation": forms.Textarea(attrs={"rows": 4}),
            "seeking_whom": forms.Textarea(attrs={"rows": 3}),
            "visit_info": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact_email": _(
                "Jamais affichée : les visiteurs vous écrivent par un formulaire."
            ),
            "address": _("Jamais affichée publiquement."),
        }

    def __init__(self, *args, include_private: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_lengths(self)
        if not include_private:
            # People outside the group never see the private contact fields.
            for name in PRIVATE_FIELDS:
                del self.fields[name]
        for name, choices in LIST_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=capfirst(Project._meta.get_field(name).verbose_name),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=getattr(self.instance, name, None) or [],
            )
        organisations = Organisation.objects.order_by("name")
        self.fields["landlord_partner"].queryset = organisations.filter(
            kind=Organisation.Kind.LANDLORD
        )
        self.fields["support_professional"].queryset = organisations.filter(
            kind=Organisation.Kind.PROFESSIONAL
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_data(self) -> dict:
        """cleaned_data restricted to the sheet's fields, for the services."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in EDITABLE_FIELDS
        }


class ContactForm(forms.Form):
    """The relay form: the visitor's address only goes in Reply-To."""

    name = forms.CharField(label=_("Votre nom"), max_length=80)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Transmise au groupe seulement, pour qu'il puisse vous répondre."),
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=4000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Honeypot: hidden by CSS, left empty by people, filled by robots.
    nickname = forms.CharField(
        label=_("Ne pas remplir"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Qu'est-ce qui pose problème ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    target = forms.SlugField(
        label=_("Adresse (slug) de la fiche à conserver"),
        help_text=_("Cette fiche-ci sera retirée et redirigée vers l'autre."),
    )


class PhotoDetailsForm(forms.Form):
    """Caption, credit and licence of a photo (checked again by the services)."""

    caption = forms.CharField(
        label=_("Légende"),
        max_length=200,
        help_text=_("Ce que montre la photo : lue aux personnes qui ne la voient pas."),
    )
    credit = forms.CharField(
        label=_("Crédit (auteur ou autrice)"),
        max_length=150,
        required=False,
        help_text=_("Obligatoire, sauf pour CC0 et la Licence Ouverte."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[("", _("Choisir une licence libre")), *PhotoLicence.choices],
        help_text=_(
            "Vous devez avoir le droit de publier la photo sous cette licence."
        ),
    )


class PhotoUploadForm(PhotoDetailsForm):
    # A plain FileField: the image is checked by core.uploads.clean_image.
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, WebP ou HEIC, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    field_order = ["image", "caption", "credit", "licence"]
