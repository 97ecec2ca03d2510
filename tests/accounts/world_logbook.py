"""The logbook's part of the matrix world, written out by hand like the rest.

- the ``pendamping`` (Ani, children's cluster, Kabupaten Bandung) has one entry, with a photo,
  and a submitted report of her own;
- Lina (elderly cluster, Kabupaten Bandung: the ``koordinator``'s area) and Lukas (elderly
  cluster, Kota Bandung: outside it) each have an entry and a submitted report, recorded
  directly (they have no accounts in the matrix).
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from logbook import services
from logbook.demo import activity_types_load_file
from logbook.models import ActivityType, Entry, MonthlyReport
from regions.models import Village
from tests.accounts.world import World

# Who sees entries one by one (their own, or their area as coordinator).
ENTRY_READERS = {"pendamping", "koordinator"}
# Who sees a report (its totals): the registry scope over the report's engagement.
REPORT_IN = {
    "pendamping": "ani",
    "koordinator": "lina",
    "admin_nasional": "lina",
    "operator_provinsi": "lina",
    "operator_kabkota": "lina",
    "verifikator_kabkota": "lina",
    "auditor": "lina",
    "admin_klaster": "ani",
}
REPORT_OUT = {
    "pendamping": "lina",
    "koordinator": "lukas",
    "admin_klaster": "lina",
    "operator_kabkota": "lukas",
    "verifikator_kabkota": "lukas",
    "admin_klaster_kosong": "lina",
    "operator_kabkota_kosong": "lina",
    "asesor": "lina",
    "penyelenggara_pelatihan": "lina",
}


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


def build_logbook(world: World) -> None:
    activity_types_load_file()
    today = timezone.localdate()
    for key in ("ani", "lina", "lukas"):
        engagement = world.engagements[key]
        kind = ActivityType.objects.filter(programme_id=engagement.programme_id).first()
        village = Village.objects.filter(code__startswith=engagement.regency_id + ".").first()
        if key == "ani":
            entry, _ = services.entry_create(
                actor=world.users["pendamping"],
                engagement=engagement,
                date=today,
                village=village,
                activity_type=kind,
                clients_served=2,
                duration_minutes=30,
                attachment=_photo(),
            )
        else:
            entry = Entry.objects.create(
                engagement=engagement,
                person_id_ref=engagement.person_id,
                programme_id_ref=engagement.programme_id,
                province_id_ref=engagement.province_id,
                regency_id_ref=engagement.regency_id,
                month=today.replace(day=1),
                date=today,
                village=village,
                activity_type=kind,
                clients_served=4,
                duration_minutes=60,
                attachment=_photo(),
            )
        world.logbook[f"entry-{key}"] = entry
        world.logbook[f"report-{key}"] = MonthlyReport.objects.create(
            engagement=engagement,
            person_id_ref=engagement.person_id,
            programme_id_ref=engagement.programme_id,
            province_id_ref=engagement.province_id,
            regency_id_ref=engagement.regency_id,
            month=(today.replace(day=1) - dt.timedelta(days=1)).replace(day=1),
            status=MonthlyReport.Status.SUBMITTED,
            entries=1,
            cases=4,
            submitted_at=timezone.now(),
        )
