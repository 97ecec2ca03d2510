"""The demo seeding gives people trainings, assessments and certificates."""

from django.db.models import Count, Q

from competency.demo import demo_competency_seed
from competency.models import Certificate, Enrolment, TrainingClass
from tests.factories import EngagementFactory, PersonFactory


def test_demo_seed_fills_every_page(framework):
    for _ in range(30):
        EngagementFactory(person=PersonFactory())

    counts = demo_competency_seed(seed=2020, share=1.0)
    again = demo_competency_seed(seed=2020, share=1.0)

    assert counts["people"] == 30
    assert counts["certificates"] >= 30
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    assert counts["expired"] >= 1
    assert Certificate.objects.filter(status="kedaluwarsa").count() == counts["expired"]
    assert Enrolment.objects.exists()
    assert counts["rpl"] >= 1
    assert again["skipped"]


def test_no_demo_class_holds_more_people_than_its_capacity(framework):
    # given: more people than the finished classes have seats (the demo once showed 74 of 30)
    people = PersonFactory.create_batch(150)

    demo_competency_seed(seed=2020, share=1.0)

    # then
    classes = TrainingClass.objects.annotate(
        taken=Count("enrolments", filter=~Q(enrolments__status="batal"))
    )
    assert classes.exists() and len(people) == 150
    assert [(c.name, c.taken, c.capacity) for c in classes if c.taken > c.capacity] == []
    # and the LSP's certification manager issued them, on the assessor's recommendation
    certificate = Certificate.objects.select_related("assessment").first()
    assert certificate.created_by.username == "manajer-lsp"
    assert certificate.assessment.recommended_by is not None
