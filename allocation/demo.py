"""Demo data of the allocation app: the Veilig Thuis Gelderland-Midden 2018 model (from the
engine's own data files, copied from the seed report)."""

from collaborations.models import Participation, Partnership, YearRecord

from . import engine, services
from .models import AllocationModel

VT_VARIANT_DIR = engine.DATA_DIR / "vt2018"


def load_allocation_demo() -> AllocationModel:
    """The Veilig Thuis Gelderland-Midden 2018 model with its five variants; variant A, "de
    huidige verdeling (toegepast 2017)", is the adopted one; published as version 1, as the
    report was."""
    inputs = engine.read_document(VT_VARIANT_DIR / "invoer.json")
    published = engine.read_document(engine.DATA_DIR / "vt2018_published.json")
    variants = []
    for code in engine.VT2018_VARIANTS:
        definition = engine.read_document(VT_VARIANT_DIR / f"{code}.json")
        variants.append(
            services.VariantInput(
                code=code,
                name=definition.get("naam", code),
                omschrijving=definition.get("omschrijving", ""),
                definition=definition,
            )
        )
    partnership = Partnership.objects.get(slug="vtgm")
    model = services.save_allocation_model(
        partnership=partnership,
        year=int(inputs["jaar"]),
        name=inputs["naam"],
        bron=inputs.get("bron", ""),
        inputs={k: v for k, v in inputs.items() if k not in ("formaat", "naam", "jaar", "bron")},
        variants=variants,
        cost_price={"salarismix": published["kostprijs"]["salarismix"]},
        adopted_code="A",
    )
    services.record_publication(model=model, note="Het rapport van 2017 met de vijf varianten")
    for participation in Participation.objects.filter(partnership=partnership):
        YearRecord.objects.get_or_create(
            participation=participation,
            year=model.year,
            defaults={"status": YearRecord.Status.GEPUBLICEERD, "nagekeken": True},
        )
    return model
