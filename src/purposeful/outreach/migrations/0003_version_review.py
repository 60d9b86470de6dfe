from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_message_offers"),
    ]

    operations = [
        migrations.AddField(
            model_name="messageversion",
            name="review",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="messageversion",
            name="lens_version",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
