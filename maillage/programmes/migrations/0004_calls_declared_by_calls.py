"""A call now declares the programmes it counts for (`Call.programmes`, animation app): the
relation leaves the programme, its table and rows stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0003_calls'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='programme',
                    name='calls',
                ),
    
            ],
        ),
    ]
