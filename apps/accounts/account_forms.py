"""allauth's forms in the GOV.UK Design System: labels in sentence case, hints instead of placeholders,
error messages that say what to do, and a crispy-forms-gds helper so the templates render them with
`{% crispy form %}` and `{% error_summary form %}`.

Settings name these in ACCOUNT_FORMS and MFA_FORMS. They live apart from forms.py because allauth's
SignupForm is built on ACCOUNT_SIGNUP_FORM_CLASS (forms.PractitionerDetailsForm): importing allauth's
forms from forms.py would import forms.py from itself.
"""

from __future__ import annotations

from allauth.account import forms as account
from allauth.core import context
from allauth.mfa.base import forms as mfa_base
from allauth.mfa.recovery_codes import forms as recovery_codes
from allauth.mfa.totp import forms as totp
from allauth.mfa.totp.internal import auth as totp_auth
from crispy_forms_gds.helper import FormHelper
from django.forms.forms import NON_FIELD_ERRORS

STRENGTH_HINT = (
    "Use at least 12 characters. A few unrelated words together make a good password. "
    "Do not use a password you use anywhere else."
)
CODE_HINT = "The 6-digit code your authenticator app shows now."


def gds_helper() -> FormHelper:
    """Fields only: allauth's templates write the <form>, its CSRF token and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class GovukForm:
    """Mixed into an allauth form: GOV.UK words for each field, no placeholders, and a crispy helper."""

    labels: dict[str, str] = {}
    hints: dict[str, str] = {}
    required: dict[str, str] = {}
    order: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                field.help_text = self.hints[name]
            if name in self.required:
                field.error_messages["required"] = self.required[name]
            if "email" in (getattr(field.widget, "input_type", ""), field.widget.attrs.get("type")):
                field.widget.attrs.update({"spellcheck": "false", "autocomplete": "email"})
                field.error_messages["invalid"] = "Enter an email address in the correct format, like name@example.org"
        if self.order:
            self.order_fields(self.order)
        self.helper = gds_helper()

    def full_clean(self):
        """A form-wide error (a wrong email address and password, too many attempts) is shown on the first
        field, GOV.UK's way: next to the field and linked from the error summary."""
        super().full_clean()
        visible = self.visible_fields()
        if self._errors and NON_FIELD_ERRORS in self._errors and visible:
            errors = self._errors.pop(NON_FIELD_ERRORS)
            self._errors.setdefault(visible[0].name, self.error_class()).extend(errors)


def _code_widget(field) -> None:
    field.widget.attrs.update(
        {
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "class": "govuk-input--width-10",
        }
    )


EMAIL = "Email address"
ENTER_EMAIL = "Enter your email address"


class LoginForm(GovukForm, account.LoginForm):
    labels = {"login": EMAIL, "password": "Password"}
    hints = {"password": ""}  # allauth's hint is a link; the page has its own "Forgotten your password?"
    required = {"login": ENTER_EMAIL, "password": "Enter your password"}

    @property
    def locked_out(self) -> bool:
        """Too many wrong passwords for this account: the page says how to get back in."""
        return self.has_error("login", "too_many_login_attempts")  # full_clean moved it to the first field


class SignupForm(GovukForm, account.SignupForm):
    labels = {"email": EMAIL, "password1": "Create a password", "password2": "Confirm your password"}
    hints = {
        "email": "Use your work email address. We will send you a link to confirm it.",
        "password1": STRENGTH_HINT,
        "password2": "",
    }
    required = {"email": ENTER_EMAIL, "password1": "Create a password", "password2": "Confirm your password"}
    order = ["first_name", "last_name", "email", "job_title", "organisation", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"


class AddEmailForm(GovukForm, account.AddEmailForm):
    labels = {"email": "New email address"}
    required = {"email": "Enter the email address you want to add"}


class ChangePasswordForm(GovukForm, account.ChangePasswordForm):
    labels = {"oldpassword": "Current password", "password1": "New password", "password2": "Confirm new password"}
    hints = {"oldpassword": "", "password1": STRENGTH_HINT}
    required = {
        "oldpassword": "Enter your current password",
        "password1": "Enter a new password",
        "password2": "Confirm your new password",
    }


class SetPasswordForm(GovukForm, account.SetPasswordForm):
    labels = {"password1": "Create a password", "password2": "Confirm your password"}
    hints = {"password1": STRENGTH_HINT}
    required = {"password1": "Create a password", "password2": "Confirm your password"}


class ResetPasswordForm(GovukForm, account.ResetPasswordForm):
    labels = {"email": EMAIL}
    hints = {"email": "The email address you sign in with."}
    required = {"email": ENTER_EMAIL}


class ResetPasswordKeyForm(GovukForm, account.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm new password"}
    hints = {"password1": STRENGTH_HINT}
    required = {"password1": "Enter a new password", "password2": "Confirm your new password"}


class ReauthenticateForm(GovukForm, account.ReauthenticateForm):
    labels = {"password": "Password"}
    hints = {"password": ""}
    required = {"password": "Enter your password"}


class AuthenticateForm(GovukForm, mfa_base.AuthenticateForm):
    labels = {"code": "Authenticator code"}
    hints = {"code": f"{CODE_HINT} If you cannot use your app, enter one of your recovery codes."}
    required = {"code": "Enter the code from your authenticator app"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_widget(self.fields["code"])
        self.fields["code"].widget.attrs["inputmode"] = "text"  # recovery codes have letters


class MFAReauthenticateForm(GovukForm, mfa_base.ReauthenticateForm):
    labels = {"code": "Authenticator code"}
    hints = {"code": CODE_HINT}
    required = {"code": "Enter the code from your authenticator app"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_widget(self.fields["code"])


class ActivateTOTPForm(GovukForm, totp.ActivateTOTPForm):
    labels = {"code": "Authenticator code"}
    hints = {"code": "After you add the hub to your app, enter the 6-digit code it shows."}
    required = {"code": "Enter the code from your authenticator app"}

    def __init__(self, *args, **kwargs):
        # allauth makes a new key on every load of the page, so someone who scanned the QR code and then
        # reloaded could never finish. The key stays in the session until set-up completes (allauth then
        # forgets it) or the session ends.
        session = context.request.session
        kept = session.get(totp_auth.SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if kept:
            self.secret = session[totp_auth.SECRET_SESSION_KEY] = kept
        _code_widget(self.fields["code"])


class DeactivateTOTPForm(GovukForm, totp.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(GovukForm, recovery_codes.GenerateRecoveryCodesForm):
    pass
