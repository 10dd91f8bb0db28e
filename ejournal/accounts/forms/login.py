from django import forms


class LoginForm(forms.Form):
    """ "Вход в журнал": the fields only; the view logs in through `flows.login`."""

    username = forms.CharField(
        label="Логин",
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Пароль",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
