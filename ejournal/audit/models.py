from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    STUDENT_CREATED = "student.created", "Ученик добавлен"
    STUDENT_UPDATED = "student.updated", "Данные ученика изменены"
    STUDENT_MOVED = "student.moved", "Ученик переведён в другой класс"
    STUDENT_ARCHIVED = "student.archived", "Ученик выбыл"
    TEACHER_CREATED = "teacher.created", "Учитель добавлен"
    TEACHER_UPDATED = "teacher.updated", "Данные учителя изменены"
    TEACHER_ARCHIVED = "teacher.archived", "Учитель выбыл"
    CLASS_CREATED = "class.created", "Класс создан"
    CLASS_UPDATED = "class.updated", "Класс изменён"
    SCHOOL_UPDATED = "school.updated", "Настройки школы изменены"
    PERIOD_CLOSED = "period.closed", "Период закрыт"
    PERIOD_REOPENED = "period.reopened", "Период открыт снова"
    ROSTER_IMPORTED = "roster.imported", "Список учеников загружен"
    INVITATIONS_ISSUED = "invitations.issued", "Пригласительные коды выданы"
    INVITATIONS_REVOKED = "invitations.revoked", "Пригласительные коды отозваны"
    ACCOUNT_REGISTERED = "account.registered", "Регистрация в журнале"
    CHILD_LINKED = "account.child_linked", "Родитель добавил ребёнка по коду"
    PROFILE_UPDATED = "account.profile_updated", "Данные пользователя изменены"
    EMAIL_CHANGED = "account.email_changed", "Адрес электронной почты изменён"
    EMAIL_CONFIRMED = "account.email_confirmed", "Электронная почта подтверждена"
    PASSWORD_CHANGED = "account.password_changed", "Пароль изменён"
    PASSWORD_RECOVERED = "account.password_recovered", "Пароль восстановлен по почте"
    PASSWORD_SET_BY_CURATOR = "account.password_set_by_curator", "Куратор сменил пароль"
    LOGIN_THROTTLED = "account.login_throttled", "Вход приостановлен после неудачных попыток"
    API_TOKEN_CREATED = "account.api_token_created", "Вход из приложения"
    API_TOKEN_REVOKED = "account.api_token_revoked", "Приложение отключено"
    API_TOKENS_REVOKED = "account.api_tokens_revoked", "Все приложения отключены"
    MARK_SET = "journal.mark_set", "Оценка поставлена"
    MARK_DELETED = "journal.mark_deleted", "Оценка удалена"
    ATTENDANCE_SET = "journal.attendance_set", "Отметка о посещаемости"
    ATTENDANCE_CLEARED = "journal.attendance_cleared", "Отметка о посещаемости снята"
    FINAL_MARK_SET = "journal.final_mark_set", "Итоговая оценка поставлена"
    FINAL_MARK_DELETED = "journal.final_mark_deleted", "Итоговая оценка удалена"
    LESSON_UPDATED = "journal.lesson_updated", "Урок изменён"
    REMARK_ADDED = "journal.remark_added", "Замечание"
    HOLIDAY_CREATED = "journal.holiday_created", "Каникулы или праздник добавлены"
    HOLIDAY_DELETED = "journal.holiday_deleted", "Каникулы или праздник удалены"


class AuditEvent(models.Model):
    """Append-only: who did what to which record, with the values before and after."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="audit_school_time"),
            models.Index(fields=["school", "target_type", "target_id"], name="audit_school_target"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
