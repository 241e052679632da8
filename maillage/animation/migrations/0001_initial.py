"""The network's own life, which lived in the network app: its tables keep their names and rows
(`network_call`, `network_application`… and `programmes_programme_calls`), only the state moves
here. The content types move too, so the journals (`core_transition`, `core_auditevent`) keep
pointing at the same records."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The models that moved, by their content type's name.
MOVED = [
    "call",
    "callquestion",
    "callcriterion",
    "selectioncommittee",
    "application",
    "assessment",
    "closingcommittee",
    "coachingplan",
    "actionitem",
    "followup",
    "coachingreminder",
    "training",
    "trainingsession",
    "trainingregistration",
    "resource",
    "infomeeting",
    "infomeetingregistration",
]


def _move_content_types(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # A database migrated from scratch has none yet: they are created after migrating.
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, "network", "animation")


def backwards(apps, schema_editor):
    _move_content_types(apps, "animation", "network")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('network', '0004_network_life_moves_to_animation'),
        ('programmes', '0004_calls_declared_by_calls'),
        ('territories', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Training',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                        ('title', models.CharField(max_length=200, verbose_name='intitulé')),
                        ('description', models.TextField(verbose_name='présentation')),
                        ('objectives', models.TextField(help_text='Ce que les participants savent faire à la fin : un par ligne.', verbose_name='objectifs')),
                        ('days', models.DecimalField(decimal_places=1, default=1, max_digits=3, validators=[django.core.validators.MinValueValidator(0.5)], verbose_name='durée (jours)')),
                        ('is_active', models.BooleanField(default=True, verbose_name='au catalogue')),
                    ],
                    options={
                        'verbose_name': 'formation',
                        'verbose_name_plural': 'formations',
                        'db_table': 'network_training',
                        'ordering': ['title'],
                    },
                ),
                migrations.CreateModel(
                    name='Call',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='titre')),
                        ('slug', models.SlugField(help_text="Utilisée dans l'adresse du formulaire public, par exemple relais-mel-2022.", max_length=80, unique=True, verbose_name='adresse courte')),
                        ('description', models.TextField(verbose_name='présentation')),
                        ('co_carriers', models.CharField(blank=True, default='', help_text='Par exemple : Métropole Européenne de Lille.', max_length=255, verbose_name='co-porteurs')),
                        ('opens_on', models.DateField(verbose_name='ouverture des candidatures')),
                        ('closes_on', models.DateField(verbose_name='clôture des candidatures')),
                        ('eligibility', models.TextField(help_text='Qui peut candidater : une condition par ligne.', verbose_name="critères d'éligibilité")),
                        ('places', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='nombre de places')),
                        ('coaching_months', models.PositiveSmallIntegerField(default=16, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(48)], verbose_name="durée de l'accompagnement (mois)")),
                        ('is_published', models.BooleanField(default=False, help_text="Un appel publié apparaît sur le site public pendant ses dates d'ouverture.", verbose_name='publié')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='créé le')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par')),
                        ('departments', models.ManyToManyField(related_name='calls', to='territories.department', verbose_name='départements concernés')),
                        ('programmes', models.ManyToManyField(blank=True, db_table='programmes_programme_calls', help_text='Les candidatures et sélections de cet appel comptent pour ces programmes.', related_name='calls', to='programmes.programme', verbose_name='programmes')),
                    ],
                    options={
                        'verbose_name': "appel à manifestation d'intérêt",
                        'verbose_name_plural': "appels à manifestation d'intérêt",
                        'db_table': 'network_call',
                        'ordering': ['-opens_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Application',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(editable=False, max_length=12, unique=True, verbose_name='référence')),
                        ('status', models.CharField(choices=[('draft', 'Brouillon'), ('submitted', 'Déposée'), ('shortlisted', 'Présélectionnée'), ('selected', 'Retenue'), ('not_selected', 'Non retenue')], db_index=True, default='draft', max_length=16, verbose_name='statut')),
                        ('token_digest', models.CharField(editable=False, max_length=64, unique=True)),
                        ('structure_name', models.CharField(max_length=200, verbose_name='nom de la structure')),
                        ('structure_kind', models.CharField(blank=True, choices=[('ccas_cias', 'CCAS / CIAS'), ('association', 'Association'), ('cada_huda', 'CADA / HUDA'), ('social_centre', 'Centre social'), ('library', 'Médiathèque'), ('france_services', 'France Services'), ('town_hall', 'Mairie'), ('esat', 'ESAT'), ('integration_worksite', "Chantier d'insertion"), ('mission_locale', 'Mission locale'), ('care_home', 'Résidence autonomie / EHPAD'), ('other', 'Autre')], max_length=32, verbose_name='type de structure')),
                        ('siret', models.CharField(blank=True, default='', max_length=14, verbose_name='SIRET')),
                        ('address', models.CharField(blank=True, default='', max_length=255, verbose_name='adresse')),
                        ('contact_name', models.CharField(max_length=150, verbose_name='nom de la personne à contacter')),
                        ('contact_role', models.CharField(blank=True, default='', max_length=150, verbose_name='fonction')),
                        ('contact_email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('contact_phone', models.CharField(blank=True, default='', max_length=20, verbose_name='téléphone')),
                        ('answers', models.JSONField(blank=True, default=dict, verbose_name='réponses')),
                        ('comment', models.TextField(blank=True, default='', verbose_name='avis du comité')),
                        ('decision_reason', models.TextField(blank=True, default='', verbose_name='motif de la décision')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='déposée le')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='décision le')),
                        ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territories.commune', verbose_name='commune')),
                        ('structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='network.structure', verbose_name='structure')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='animation.call')),
                    ],
                    options={
                        'verbose_name': 'candidature',
                        'verbose_name_plural': 'candidatures',
                        'db_table': 'network_application',
                        'ordering': ['call', 'structure_name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CallCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                        ('label', models.CharField(max_length=200, verbose_name='critère')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='animation.call')),
                    ],
                    options={
                        'verbose_name': 'critère de sélection',
                        'verbose_name_plural': 'critères de sélection',
                        'db_table': 'network_callcriterion',
                        'ordering': ['call', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(choices=[(0, '0'), (1, '1'), (2, '2'), (3, '3'), (4, '4'), (5, '5')], verbose_name='note')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='animation.application')),
                        ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='animation.callcriterion')),
                    ],
                    options={
                        'verbose_name': 'note',
                        'verbose_name_plural': 'notes',
                        'db_table': 'network_assessment',
                    },
                ),
                migrations.CreateModel(
                    name='CallQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                        ('label', models.CharField(max_length=300, verbose_name='question')),
                        ('help_text', models.CharField(blank=True, default='', max_length=300, verbose_name='aide')),
                        ('kind', models.CharField(choices=[('short_text', 'Réponse courte'), ('long_text', 'Réponse longue'), ('yes_no', 'Oui / non'), ('number', 'Nombre'), ('choice', 'Choix dans une liste')], default='long_text', max_length=16, verbose_name='type de réponse')),
                        ('choices', models.TextField(blank=True, default='', help_text='Pour une question à choix : un choix par ligne.', verbose_name='choix proposés')),
                        ('required', models.BooleanField(default=True, verbose_name='réponse obligatoire')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='animation.call')),
                    ],
                    options={
                        'verbose_name': 'question',
                        'verbose_name_plural': 'questions',
                        'db_table': 'network_callquestion',
                        'ordering': ['call', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ClosingCommittee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='date du comité de clôture')),
                        ('attendees', models.TextField(help_text='Un nom par ligne.', verbose_name='participants')),
                        ('minutes', models.TextField(verbose_name='compte rendu')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='closing_committees', to='animation.call', verbose_name='appel')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'comité de clôture',
                        'verbose_name_plural': 'comités de clôture',
                        'db_table': 'network_closingcommittee',
                        'ordering': ['-held_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CoachingPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_on', models.DateField(verbose_name="début de l'accompagnement")),
                        ('ends_on', models.DateField(verbose_name='fin prévue')),
                        ('status', models.CharField(choices=[('in_progress', 'En cours'), ('closed', 'Clôturé')], default='in_progress', max_length=16, verbose_name='statut')),
                        ('public_description', models.TextField(blank=True, default='', verbose_name='public accueilli')),
                        ('needs', models.TextField(blank=True, default='', verbose_name="besoins d'accompagnement")),
                        ('resources', models.TextField(blank=True, verbose_name='ressources (locaux, matériel, connexion)')),
                        ('civic_service_volunteers', models.PositiveSmallIntegerField(default=0, verbose_name='volontaires en service civique')),
                        ('digital_advisers', models.PositiveSmallIntegerField(default=0, verbose_name='conseillers numériques')),
                        ('volunteers', models.PositiveSmallIntegerField(default=0, verbose_name='bénévoles')),
                        ('staff_notes', models.TextField(blank=True, default='', verbose_name='équipe mobilisée')),
                        ('funding', models.TextField(blank=True, default='', verbose_name='financement des actions')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='clôturé le')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('application', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='coaching_plan', to='animation.application', verbose_name='candidature')),
                        ('closing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='animation.closingcommittee', verbose_name='comité de clôture')),
                        ('coach', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='coaching_plans', to=settings.AUTH_USER_MODEL, verbose_name="chargé·e d'accompagnement")),
                        ('structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='coaching_plans', to='network.structure')),
                    ],
                    options={
                        'verbose_name': 'accompagnement de structure',
                        'verbose_name_plural': 'accompagnements de structures',
                        'db_table': 'network_coachingplan',
                        'ordering': ['-starts_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='action')),
                        ('modality', models.CharField(choices=[('workshops', 'Ateliers collectifs'), ('drop_ins', 'Permanences connectées'), ('parcours', "Parcours d'initiation"), ('training', 'Formation des équipes'), ('equipment', 'Accès au matériel'), ('connection', 'Accès à la connexion'), ('staffing', 'Mobilisation des ressources humaines'), ('funding', 'Financement'), ('organisation', "Numérique de l'organisation")], max_length=16, verbose_name='modalité')),
                        ('priority', models.CharField(choices=[('high', 'Haute'), ('medium', 'Moyenne'), ('low', 'Basse')], default='medium', max_length=8, verbose_name='priorité')),
                        ('owner', models.CharField(help_text='Qui la mène : une personne de la structure ou du réseau.', max_length=150, verbose_name='porteur')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='échéance')),
                        ('status', models.CharField(choices=[('todo', 'À faire'), ('in_progress', 'En cours'), ('done', 'Fait'), ('dropped', 'Abandonné')], default='todo', max_length=16, verbose_name='état')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='animation.coachingplan')),
                    ],
                    options={
                        'verbose_name': 'action du plan',
                        'verbose_name_plural': 'actions du plan',
                        'db_table': 'network_actionitem',
                        'ordering': ['plan', 'due_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CoachingReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_contact_on', models.DateField()),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='animation.coachingplan')),
                    ],
                    options={
                        'db_table': 'network_coachingreminder',
                    },
                ),
                migrations.CreateModel(
                    name='FollowUp',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='date')),
                        ('kind', models.CharField(choices=[('visit', 'Visite'), ('call', 'Appel'), ('meeting', 'Réunion')], max_length=16, verbose_name='type de contact')),
                        ('notes', models.TextField(verbose_name='notes')),
                        ('next_steps', models.TextField(blank=True, default='', verbose_name='prochaines étapes')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followups', to='animation.coachingplan')),
                    ],
                    options={
                        'verbose_name': 'contact de suivi',
                        'verbose_name_plural': 'contacts de suivi',
                        'db_table': 'network_followup',
                        'ordering': ['plan', '-on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='InfoMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='titre')),
                        ('starts_at', models.DateTimeField(verbose_name='date et heure')),
                        ('minutes', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(15)], verbose_name='durée (minutes)')),
                        ('place', models.CharField(help_text='Une adresse, ou « En visioconférence ».', max_length=255, verbose_name='lieu')),
                        ('online_url', models.URLField(blank=True, default='', help_text="Envoyé aux inscrits dans l'e-mail de rappel.", verbose_name='lien de visioconférence')),
                        ('capacity', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='nombre de places')),
                        ('description', models.TextField(blank=True, default='', verbose_name='présentation')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='info_meetings', to='animation.call', verbose_name='appel présenté')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territories.department', verbose_name='département')),
                    ],
                    options={
                        'verbose_name': "réunion d'information",
                        'verbose_name_plural': "réunions d'information",
                        'db_table': 'network_infomeeting',
                        'ordering': ['-starts_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='InfoMeetingRegistration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(max_length=150, verbose_name='prénom et nom')),
                        ('structure_name', models.CharField(max_length=200, verbose_name='structure')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, default='', max_length=20, verbose_name='téléphone')),
                        ('attended', models.BooleanField(blank=True, null=True, verbose_name='présent·e')),
                        ('registered_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('reminder_sent_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='animation.infomeeting')),
                    ],
                    options={
                        'verbose_name': "inscription à une réunion d'information",
                        'verbose_name_plural': "inscriptions aux réunions d'information",
                        'db_table': 'network_infomeetingregistration',
                        'ordering': ['meeting', 'full_name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Resource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='titre')),
                        ('description', models.TextField(verbose_name='description')),
                        ('file', models.FileField(blank=True, upload_to='resources/%Y/', verbose_name='fichier')),
                        ('url', models.URLField(blank=True, default='', verbose_name='lien')),
                        ('themes', models.JSONField(default=list, verbose_name='thèmes')),
                        ('level', models.CharField(choices=[('beginner', 'Débutant'), ('intermediate', 'Intermédiaire'), ('advanced', 'Avancé')], max_length=16, verbose_name='niveau')),
                        ('audience', models.CharField(choices=[('referents', 'Référents et animateurs'), ('adults', 'Adultes'), ('seniors', 'Seniors'), ('youth', 'Jeunes'), ('newcomers', 'Personnes allophones')], max_length=16, verbose_name='public')),
                        ('is_published', models.BooleanField(default=True, verbose_name='partagée avec les référents')),
                        ('downloads', models.PositiveIntegerField(default=0, editable=False, verbose_name='téléchargements')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'ressource pédagogique',
                        'verbose_name_plural': 'ressources pédagogiques',
                        'db_table': 'network_resource',
                        'ordering': ['title', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SelectionCommittee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='date du comité')),
                        ('members', models.TextField(help_text='Un nom par ligne.', verbose_name='membres présents')),
                        ('minutes', models.TextField(blank=True, default='', verbose_name='compte rendu')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='animation.call')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'comité de sélection',
                        'verbose_name_plural': 'comités de sélection',
                        'db_table': 'network_selectioncommittee',
                        'ordering': ['call', '-held_on', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='application',
                    name='committee',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='animation.selectioncommittee'),
                ),
                migrations.CreateModel(
                    name='TrainingSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='date')),
                        ('start_time', models.TimeField(verbose_name='heure de début')),
                        ('end_time', models.TimeField(verbose_name='heure de fin')),
                        ('place', models.CharField(max_length=255, verbose_name='lieu')),
                        ('capacity', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='nombre de places')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('call', models.ForeignKey(blank=True, help_text="Facultatif : la session réservée aux structures retenues d'un appel.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_sessions', to='animation.call', verbose_name="pour l'appel")),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territories.department', verbose_name='département')),
                        ('trainer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='trainings_given', to=settings.AUTH_USER_MODEL, verbose_name='formateur·rice')),
                        ('training', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='animation.training', verbose_name='formation')),
                    ],
                    options={
                        'verbose_name': 'session de formation',
                        'verbose_name_plural': 'sessions de formation',
                        'db_table': 'network_trainingsession',
                        'ordering': ['-day', 'start_time', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingRegistration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(max_length=150, verbose_name='prénom et nom')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('attended', models.BooleanField(blank=True, null=True, verbose_name='présent·e')),
                        ('registered_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_registrations', to='network.structure', verbose_name='structure')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='training_registrations', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='animation.trainingsession')),
                    ],
                    options={
                        'verbose_name': 'inscription à une formation',
                        'verbose_name_plural': 'inscriptions aux formations',
                        'db_table': 'network_trainingregistration',
                        'ordering': ['session', 'full_name', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='call',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='call_closes_after_opening'),
                ),
                migrations.AddConstraint(
                    model_name='assessment',
                    constraint=models.UniqueConstraint(fields=('application', 'criterion'), name='one_score_per_criterion'),
                ),
                migrations.AddConstraint(
                    model_name='assessment',
                    constraint=models.CheckConstraint(condition=models.Q(('score__lte', 5)), name='score_at_most_five'),
                ),
                migrations.AddConstraint(
                    model_name='coachingplan',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'in_progress')), fields=('structure',), name='one_coaching_in_progress_per_structure'),
                ),
                migrations.AddConstraint(
                    model_name='coachingplan',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='coaching_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='coachingreminder',
                    constraint=models.UniqueConstraint(fields=('plan', 'last_contact_on'), name='one_reminder_per_silence'),
                ),
                migrations.AddIndex(
                    model_name='followup',
                    index=models.Index(fields=['plan', 'on'], name='network_fol_plan_id_3a0a8d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='infomeetingregistration',
                    constraint=models.UniqueConstraint(fields=('meeting', 'email'), name='one_meeting_registration_per_email'),
                ),
                migrations.AddConstraint(
                    model_name='resource',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('url', ''), models.Q(('file', ''), _negated=True)), models.Q(models.Q(('url', ''), _negated=True), ('file', '')), _connector='OR'), name='resource_is_a_file_or_a_link'),
                ),
                migrations.AddIndex(
                    model_name='application',
                    index=models.Index(fields=['call', 'status'], name='network_app_call_id_dd3666_idx'),
                ),
                migrations.AddConstraint(
                    model_name='trainingsession',
                    constraint=models.CheckConstraint(condition=models.Q(('end_time__gt', models.F('start_time'))), name='training_session_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='trainingregistration',
                    constraint=models.UniqueConstraint(fields=('session', 'email'), name='one_registration_per_email'),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
