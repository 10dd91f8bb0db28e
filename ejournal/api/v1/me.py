"""The user the token logs in: who they are, and whose diary they read."""

from ninja import Router

from ejournal.accounts.selectors import parent_children
from ejournal.core.http import SchoolRequest
from ejournal.schools.models import Student
from ejournal.schools.roles import Role

from .schemas import Errors, MeOut, StudentOut

router = Router(tags=["me"])


def _student(student: Student) -> StudentOut:
    return StudentOut(
        id=student.pk,
        last_name=student.last_name,
        first_name=student.first_name,
        middle_name=student.middle_name,
        class_label=student.school_class.label,
    )


@router.get("/me", response={200: MeOut, 401: Errors}, summary="The logged-in user")
def me(request: SchoolRequest) -> MeOut:
    """A student's own record (`student`), a parent's children (`children`)."""
    user = request.user
    student = None
    if user.role == Role.STUDENT:
        record = Student.objects.select_related("school_class").filter(
            school=request.school, user=user
        )
        student = next((_student(s) for s in record), None)
    children = []
    if user.role == Role.PARENT:
        children = [_student(link.student) for link in parent_children(user)]
    return MeOut(
        id=user.pk,
        login=user.login,
        role=user.role,
        last_name=user.last_name,
        first_name=user.first_name,
        middle_name=user.middle_name,
        student=student,
        children=children,
    )
