"""factory_boy factories for tests that need their own records beside the demo data."""

import factory

from django.contrib.auth import get_user_model

from collaborations.models import Municipality, Participation, Partnership, Role, YearRecord


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "geheim-wachtwoord")
        if create:
            self.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n:04d}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Samenwerking {n}")
    afkorting = factory.Sequence(lambda n: f"SW{n}")
    slug = factory.LazyAttribute(lambda o: o.afkorting.lower())


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    partnership = factory.SubFactory(PartnershipFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class YearRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearRecord

    participation = factory.SubFactory(ParticipationFactory)
    year = 2025
    status = YearRecord.Status.CONCEPT  # a working copy; publishing makes a version
    nagekeken = True


def grant(user, kind: str, scope) -> Role:
    """Give `user` a role for a municipality (invoerder, vaststeller, raadslid) or a
    partnership (coordinator), as the beheerder would on the page Rollen."""
    if kind == Role.Kind.COORDINATOR:
        return Role.objects.get_or_create(user=user, kind=kind, partnership=scope)[0]
    return Role.objects.get_or_create(user=user, kind=kind, municipality=scope)[0]


def invoerder_of(municipality):
    """The first invoerder of a municipality (the demo's clerk)."""
    return Role.objects.filter(kind=Role.Kind.INVOERDER, municipality=municipality).first().user
