"""On PostgreSQL, trigram indexes make searching the customer's words fast.

They need the pg_trgm extension. When the database user may not create it,
the migration says so and goes on: search then works the same, only slower.
SQLite needs nothing here.
"""

from django.db import migrations

INDEXES = {
    "signal_words_trgm": "UPPER(words)",
    "signal_sender_trgm": "UPPER(sender_name)",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                for name, expression in INDEXES.items():
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON feedback_signal "
                        f"USING gin ({expression} gin_trgm_ops)"
                    )
    except DatabaseError as error:
        print(
            f"\n  Note: no trigram search indexes ({str(error).strip().splitlines()[0]}); "
            "search works, only slower on large inboxes."
        )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_inbox_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
