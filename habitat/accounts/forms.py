from django import forms
from django.utils.translation import gettext_lazy as _

from habitat.territories.forms import CommuneField

from .models import User


class SignupExtraForm(forms.Form):
    """Fields allauth's signup form asks on top of e-mail and password."""

    display_name = forms.CharField(
        label=_("Nom affiché"), max_length=80, required=False
    )
    motive = forms.ChoiceField(
        label=_("Ce qui vous amène"),
        choices=[("", "—")] + User.Motive.choices,
        required=False,
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        user.motive = self.cleaned_data.get("motive", "")
        user.save(update_fields=["display_name", "motive"])


class ProfileForm(forms.ModelForm):
    commune = CommuneField(required=False)

    class Meta:
        model = User
        fields = ["display_name", "commune", "motive"]
