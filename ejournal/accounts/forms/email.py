from django import forms


class EmailUpdateForm(forms.Form):
    """ "Обновление информации о пользователе": the fields only; the view calls
    `email_confirmation.user_email_update`, which checks the password and the letter limit."""

    current_password = forms.CharField(
        label="Текущий пароль",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    email = forms.EmailField(
        label="Электронная почта",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
