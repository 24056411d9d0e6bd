from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import Membership, User
from .services import ACCOUNT_FIELDS, membership_check


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
    """The user's own change; the view saves it through ``password_set`` (history, expiry)."""


class OTPTokenForm(forms.Form):
    """A six-digit code of the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    # Where to go after the log-in (checked against the host before it is used).
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class RecoveryRenewForm(forms.Form):
    """A code of the authenticator app, to replace the recovery codes."""

    token = forms.CharField(
        label=_("Code of the authenticator app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UserAdminChangeForm(forms.ModelForm):
    """The account fields the system administrator edits, and nothing else (no superuser,
    staff, groups or permissions: those are not fields of this form at all)."""

    class Meta:
        model = User
        fields = ACCOUNT_FIELDS


class UserAdminCreationForm(UserCreationForm):
    """A new account with a provisional password, changed at the first log-in."""

    class Meta:
        model = User
        fields = ("username", "full_name")


class MembershipAdminForm(forms.ModelForm):
    # Set by the admin to the security administrator granting (see MembershipAdmin.get_form).
    granted_by = None

    class Meta:
        model = Membership
        fields = ["user", "role", "bureau", "division"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and cleaned.get("user"):
            try:
                membership_check(
                    user=cleaned["user"],
                    role=cleaned["role"],
                    bureau=cleaned.get("bureau"),
                    division=cleaned.get("division"),
                    by=self.granted_by,
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
