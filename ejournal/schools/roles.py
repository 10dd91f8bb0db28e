"""Who a person is at a school: what an account is for and what an invitation makes of it.

Here, below both accounts (User.role) and invitations (Invitation.role), which share it.
"""

from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Ученик"
    PARENT = "parent", "Родитель"
    TEACHER = "teacher", "Учитель"
    CURATOR = "curator", "Куратор"
    OPERATOR = "operator", "Техническая поддержка"
