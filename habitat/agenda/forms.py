from django import forms
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from habitat.accounts.models import Organisation
from habitat.core import uploads
from habitat.core.exceptions import HabitatError
from habitat.core.templatetags.core_tags import select_options
from habitat.territories.forms import CommuneField

from .models import EventState, EventType
from .queries import geography

REPEAT_CHOICES = [
    ("", _("Pas de répétition")),
    ("FREQ=WEEKLY", _("Chaque semaine")),
    ("FREQ=WEEKLY;INTERVAL=2", _("Toutes les deux semaines")),
    ("FREQ=MONTHLY", _("Chaque mois, à la même date")),
    ("custom", _("Règle personnalisée (RRULE)")),
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=EventType.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea,
        required=False,
        max_length=20_000,
        help_text=_("Markdown simple : **gras**, listes, liens."),
    )
    all_day = forms.BooleanField(label=_("Toute la journée"), required=False)
    start = forms.DateTimeField(
        label=_("Début"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Heure locale du lieu."),
    )
    end = forms.DateTimeField(
        label=_("Fin"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    start_date = forms.DateField(
        label=_("Premier jour"), required=False, widget=DateInput()
    )
    end_date = forms.DateField(
        label=_("Dernier jour"), required=False, widget=DateInput()
    )
    repeat = forms.ChoiceField(
        label=_("Répétition"), choices=REPEAT_CHOICES, required=False
    )
    repeat_until = forms.DateField(
        label=_("Répéter jusqu'au"), required=False, widget=DateInput()
    )
    rrule = forms.CharField(
        label=_("Règle personnalisée"),
        required=False,
        max_length=300,
        help_text=_("Format iCalendar, par exemple FREQ=MONTHLY;BYDAY=1TU;COUNT=9."),
    )
    commune = CommuneField(required=False)
    address = forms.CharField(
        label=_("Adresse ou lieu"), required=False, max_length=300
    )
    online = forms.BooleanField(label=_("Événement en ligne"), required=False)
    online_url = forms.URLField(
        label=_("Lien de connexion"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    organiser = forms.ModelChoiceField(
        label=_("Organisé par"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Moi-même"),
    )
    organiser_project = forms.ModelChoiceField(
        label=_("Organisé par le projet"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Un projet de l'annuaire dont vous êtes éditeur·rice."),
    )
    audience = forms.CharField(label=_("Public"), required=False, max_length=200)
    price = forms.CharField(label=_("Tarif"), required=False, max_length=100)
    registration_url = forms.URLField(
        label=_("Lien d'inscription externe"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=_("Places pour l'inscription sur le site"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Laissez vide pour ne pas ouvrir d'inscription ici."),
    )

    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus. La position GPS est retirée."),
    )
    image_alt = forms.CharField(
        label=_("Description de l'image"),
        required=False,
        max_length=250,
        help_text=_("Ce que montre l'image, lu à qui ne la voit pas."),
    )
    image_credit = forms.CharField(
        label=_("Crédit de l'image"),
        required=False,
        max_length=150,
        help_text=_("Auteur·rice ou source de l'image."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organiser"].queryset = Organisation.objects.filter(
                memberships__user=user
            ).distinct()
            project_model = apps.get_model("projects", "Project")
            self.fields["organiser_project"].queryset = project_model.objects.filter(
                editors=user
            )
        if not self.fields["organiser_project"].queryset.exists():
            del self.fields["organiser_project"]

    def clean_image(self):
        uploaded = self.cleaned_data.get("image")
        if not isinstance(uploaded, UploadedFile):
            return uploaded  # None, the current image, or False to remove it
        try:
            return uploads.clean_image(uploaded)
        except HabitatError as error:
            raise forms.ValidationError(error.message)

    def clean(self):
        data = super().clean()
        if (
            isinstance(data.get("image"), ContentFile)
            and not (data.get("image_alt") or "").strip()
        ):
            self.add_error(
                "image_alt",
                _("Décrivez l'image en quelques mots pour qui ne la voit pas."),
            )
        # Times are typed in the local time of the place, not the server's.
        for name in ("start", "end"):
            if data.get(name) is not None and timezone.is_aware(data[name]):
                data[name] = timezone.make_naive(data[name])
        if data.get("all_day"):
            if not data.get("start_date"):
                self.add_error("start_date", _("Indiquez le premier jour."))
        elif not data.get("start"):
            self.add_error("start", _("Indiquez la date et l'heure de début."))
        repeat = data.get("repeat") or ""
        if repeat == "custom":
            data["rrule"] = data.get("rrule", "")
        else:
            rule = repeat
            if rule and data.get("repeat_until"):
                rule += f";UNTIL={data['repeat_until']:%Y%m%d}"
            data["rrule"] = rule
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("repeat", "repeat_until"):
            data.pop(name, None)
        if data.get("image") is not False and not isinstance(
            data.get("image"), ContentFile
        ):
            data.pop("image", None)  # unchanged
        return data


class EditEventForm(EventForm):
    state = forms.ChoiceField(label=_("État"), choices=EventState.choices)
    scope = forms.ChoiceField(
        label=_("Appliquer la modification à"),
        choices=[
            ("this", _("Cette occurrence seulement")),
            ("following", _("Cette occurrence et les suivantes")),
            ("all", _("Toute la série")),
        ],
        initial="all",
        widget=forms.RadioSelect,
        required=False,
    )
    occurrence = forms.CharField(widget=forms.HiddenInput, required=False)


def filter_bar(params) -> dict:
    """What the filters above a list show: the values asked for, and each
    <select> with its options already built.

    Not a Django form: it validates nothing (queries.parse_filters does) and
    a form deep-copies its fields and their hundred-odd choices per page.
    """
    places = geography()
    selects = [
        ("region", _("Région"), [("", _("Toutes")), *places["regions"]]),
        ("departement", _("Département"), [("", _("Tous")), *places["departments"]]),
        ("type", _("Type"), [("", _("Tous")), *EventType.choices]),
    ]
    return {
        "q": params.get("q", ""),
        "du": params.get("du", ""),
        "au": params.get("au", ""),
        "en_ligne": bool(params.get("en_ligne")),
        "selects": [
            {
                "name": name,
                "label": label,
                "options": select_options(choices, params.get(name, "")),
            }
            for name, label, choices in selects
        ],
    }


class ImportForm(forms.Form):
    source = forms.CharField(label=_("Nom de la source"), max_length=150)
    file = forms.FileField(label=_("Fichier .ics"), required=False)
    url = forms.URLField(
        label=_("ou adresse d'abonnement"), required=False, assume_scheme="https"
    )
    trusted = forms.BooleanField(
        label=_("Source de confiance (publier sans modération)"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            self.add_error("file", _("Choisissez un fichier ou donnez une adresse."))
        return data
