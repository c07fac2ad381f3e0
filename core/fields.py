"""Model fields without a domain."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

from core.formatting import format_number

TEXT_MAX_LENGTH = 10_000  # a long answer: some four pages of A4
NOTE_MAX_LENGTH = 2_000  # a remark, a reason, a short explanation


class BoundedTextField(models.TextField):
    """Free text with a maximum that holds everywhere: in the form (the textarea's maxlength
    and a Dutch error naming the field) and in the model (`full_clean`, which every service
    runs), so that a pasted megabyte never reaches the pages or the PDF."""

    def __init__(self, *args, max_length: int = TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self) -> list:
        return [*super().validators, MaxLengthValidator(self.max_length)]


def require_max_length(value: str, limit: int, label: str) -> None:
    """The same maximum for text that reaches a service without a form (a POSTed remark)."""
    if len(value) > limit:
        raise ValidationError(
            f"{label}: hoogstens {format_number(limit)} tekens (nu {format_number(len(value))})."
        )
