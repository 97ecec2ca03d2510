"""The demo seeding gives people trainings, assessments and certificates."""

from competency.demo import demo_competency_seed
from competency.models import Certificate, Enrolment
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
