from django.db import migrations, models
from django.db.models import Q

# The residence permits of Hong Kong, Macau and Taiwan residents (港澳台居民居住证) start with these
# area codes; reports sent before the form asked for the document type were told apart by them.
PERMIT_AREAS = ("810000", "820000", "830000")


def mark_permits(apps, schema_editor):
    SelfReport = apps.get_model("screening", "SelfReport")
    permits = Q()
    for area in PERMIT_AREAS:
        permits |= Q(id_number__startswith=area)
    SelfReport.objects.filter(permits).update(document_type="hkmt_residence")


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_selfreport"),
    ]

    operations = [
        migrations.AddField(
            model_name="selfreport",
            name="document_type",
            field=models.CharField(
                choices=[
                    ("resident_id", "Resident ID card"),
                    ("hkmt_residence", "Hong Kong/Macau/Taiwan residence permit"),
                    ("hk_macau_permit", "Hong Kong/Macau travel permit"),
                    ("taiwan_permit", "Taiwan travel permit"),
                    ("passport", "Passport"),
                    ("foreign_pr", "Foreign permanent residence ID"),
                    ("other", "Other document"),
                ],
                default="resident_id",
                max_length=20,
                verbose_name="document type",
            ),
        ),
        migrations.RunPython(mark_permits, migrations.RunPython.noop),
    ]
