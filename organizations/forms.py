from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .services import membership_validate


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. After 5 failed attempts the account is "
            "locked for 30 minutes."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class PortalPasswordChangeForm(PasswordChangeForm):
    pass


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "bureau", "division"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role"):
            try:
                membership_validate(
                    role=cleaned["role"],
                    bureau=cleaned.get("bureau"),
                    division=cleaned.get("division"),
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class MarkReadForm(forms.Form):
    """Which of the user's messages to mark as read: the ones listed, or all when none is."""

    id = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, notifications=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id"].choices = [(n.pk, n.pk) for n in notifications]
