"""Background work (Django's tasks framework). In development the tasks run inline; in
production `python manage.py db_worker` (django-tasks-db) runs them."""

from django.tasks import task


@task()
def build_bundle(bundle_id: int) -> None:
    from .services import build_bundle as build

    build(bundle_id=bundle_id)
