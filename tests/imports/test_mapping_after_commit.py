"""POST /impor/<uid>/pemetaan/ after the run was saved to the registry: a clear refusal, not a
500 (the uploaded file is already gone), and the run stays committed (issue 12, item 10)."""

import pytest
from django.urls import reverse

from imports.models import ImportRun
from registry.models import Engagement
from tests.imports.test_views import run_job, uploaded  # noqa: F401 (a fixture)


@pytest.mark.django_db
def test_mapping_a_committed_run_is_refused(client, uploaded):  # noqa: F811
    # given: dry run, then commit
    client.post(reverse("imports:start", args=[uploaded.uid]), {"action": "dry_run"})
    run_job(uploaded)
    client.post(reverse("imports:start", args=[uploaded.uid]), {"action": "commit"})
    run_job(uploaded)
    uploaded.refresh_from_db()
    assert uploaded.status == ImportRun.Status.COMMITTED

    # when
    client.raise_request_exception = False
    response = client.post(
        reverse("imports:mapping", args=[uploaded.uid]),
        {"sheet": "Data", "header_row": 3, "col_nik": 0},
        follow=True,
    )

    # then
    assert response.status_code == 200
    assert "sudah disimpan ke registri" in response.content.decode()
    uploaded.refresh_from_db()
    assert uploaded.status == ImportRun.Status.COMMITTED
    assert Engagement.objects.count() == 1
