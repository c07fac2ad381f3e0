"""The last step of loading the demo data: give the years their BBV figures and risks
(`collaborations/data/demo_bbv.json`), then publish the years the source documents show as
published, each as its first version (as a beheerder would after adopting them)."""

from collaborations.demo import load_bbv_demo, read_json
from collaborations.models import YearRecord

from .services import ensure_versions


def publish_demo() -> int:
    """Idempotent; returns how many versions were made."""
    load_bbv_demo()
    for item in read_json("demo.json")["partnerships"]:
        for municipality_slug, perspective in item["perspectives"].items():
            for year, data in perspective.get("years", {}).items():
                if data.get("status") != YearRecord.Status.GEPUBLICEERD:
                    continue
                record = YearRecord.objects.get(
                    participation__partnership__slug=item["slug"],
                    participation__municipality__slug=municipality_slug,
                    year=int(year),
                )
                record.status = YearRecord.Status.GEPUBLICEERD
                record.nagekeken = True
                record._change_reason = "Demogegevens gepubliceerd"
                record.save(update_fields=["status", "nagekeken"])
    return ensure_versions()
