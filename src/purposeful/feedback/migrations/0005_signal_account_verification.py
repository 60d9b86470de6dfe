from django.db import migrations, models


def mark_typed_links_unverified(apps, schema_editor):
    # Public-form messages were linked to a customer by whatever address was
    # typed; none of those links was ever confirmed.
    Signal = apps.get_model("feedback", "Signal")
    Signal.objects.filter(source="public_form", account__isnull=False).update(
        is_account_verified=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_trigram_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="confirm_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="signal",
            name="is_account_verified",
            field=models.BooleanField(
                default=True, verbose_name="link to the customer verified"
            ),
        ),
        migrations.RunPython(mark_typed_links_unverified, migrations.RunPython.noop),
    ]
