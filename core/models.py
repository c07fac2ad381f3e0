"""History of the user accounts (who may do what is part of the record: roles and rights change
over time and must be traceable). Passwords and login times are left out of the history."""

from simple_history import register

from django.contrib.auth import get_user_model

register(
    get_user_model(),
    app="core",
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
)
