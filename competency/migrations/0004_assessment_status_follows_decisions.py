# The status of an open assessment follows its unit decisions (issue 13): besides
# "dijadwalkan", "dinilai" (some units judged), "belum_kompeten" (a unit's latest verdict is
# Belum Kompeten) and "siap_rekomendasi" (every scheme unit Kompeten). Assessments scheduled
# before this get the status their recorded results give them.

from django.db import migrations, models


def statuses_from_results(apps, schema_editor):
    Assessment = apps.get_model("competency", "Assessment")
    UnitResult = apps.get_model("competency", "UnitResult")
    SchemeUnit = apps.get_model("competency", "SchemeUnit")
    judged = Assessment.objects.filter(status="dijadwalkan", results__isnull=False).distinct()
    for assessment in judged.iterator():
        latest = {}
        for code, verdict in (
            UnitResult.objects.filter(assessment_id=assessment.pk)
            .order_by("attempt")
            .values_list("unit_code", "verdict")
        ):
            latest[code] = verdict
        codes = list(
            SchemeUnit.objects.filter(scheme_id=assessment.scheme_id).values_list(
                "unit_code", flat=True
            )
        )
        verdicts = [latest.get(code) for code in codes]
        if "BK" in verdicts:
            status = "belum_kompeten"
        elif codes and all(v == "K" for v in verdicts):
            status = "siap_rekomendasi"
        elif any(verdicts):
            status = "dinilai"
        else:
            continue
        Assessment.objects.filter(pk=assessment.pk).update(status=status)


class Migration(migrations.Migration):

    dependencies = [
        ('competency', '0003_certificate_verification_code'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assessment',
            name='status',
            field=models.CharField(choices=[('dijadwalkan', 'Dijadwalkan'), ('dinilai', 'Sedang dinilai'), ('belum_kompeten', 'Ada unit Belum Kompeten'), ('siap_rekomendasi', 'Semua unit Kompeten, siap direkomendasikan'), ('direkomendasikan', 'Direkomendasikan asesor, menunggu keputusan LSP'), ('selesai', 'Selesai'), ('batal', 'Dibatalkan')], default='dijadwalkan', max_length=16),
        ),
        migrations.RunPython(statuses_from_results, migrations.RunPython.noop),
    ]
