import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Each key-area list belongs to a region (the township or county whose HQ keeps it).

    No code wrote key areas before this migration, so the table is empty wherever it runs and the
    column is added NOT NULL at once; the placeholder default is dropped in the same step and is
    never stored (on a table with rows it would fail on the foreign key rather than invent data).
    """

    dependencies = [
        ("regions", "0001_initial"),
        ("screening", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyarea",
            name="region",
            field=models.ForeignKey(
                default=0,
                help_text="The township or county whose returnees this key area classifies.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="applies in",
            ),
            preserve_default=False,
        ),
    ]
