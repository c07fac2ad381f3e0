"""Background work (Django's tasks framework): thin task functions that call a job.

In development the tasks run inline; in production `python manage.py db_worker`
(django-tasks-db) runs them."""

from django.tasks import task


@task()
def build_bundle(bundle_id: int) -> None:
    from .bundles import build_bundle as build  # the job imports the PDF stack: load it lazily

    build(bundle_id=bundle_id)


@task()
def render_version_pdf(version_id: int) -> None:
    """Make the PDF of a just published version, so the first reader does not wait for it."""
    from collaborations.models import YearVersion

    from .published import published_pdf

    version = YearVersion.objects.select_related("participation__partnership").get(pk=version_id)
    published_pdf(version)
