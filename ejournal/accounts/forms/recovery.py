from django import forms


class RecoveryForm(forms.Form):
    """ "Восстановление пароля": the field only; the view asks `recovery_request`."""

    email = forms.EmailField(
        label="Введите ваш E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
