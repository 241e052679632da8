"""The catalogue the network starts with; admins edit it afterwards in the application."""

from django.db import migrations

TWO_HOURS = 120

COURSES = [
    {
        "code": "initiation-computer",
        "title": "Initiation ordinateur",
        "description": "Pour les grands débutants de l'informatique : six séances de deux heures pour s'approprier le clavier, la souris et les compétences numériques de base.",
        "device": "computer",
        "level": "beginner",
        "session_count": 6,
        "minutes_per_session": TWO_HOURS,
        "syllabus": [
            "Découvrir l'ordinateur : allumer, éteindre, la souris",
            "Le clavier : écrire, corriger, les caractères spéciaux",
            "Le bureau Windows : fenêtres, dossiers et fichiers",
            "Se connecter et naviguer sur internet",
            "Créer et utiliser une boîte e-mail",
            "Faire des recherches en ligne et bilan du parcours",
        ],
        "themes": ["device", "browsing", "email"],
        "publics": ["Grands débutants"],
    },
    {
        "code": "initiation-tablet",
        "title": "Initiation tablette",
        "description": "Prendre en main une tablette, découvrir la navigation sur internet, télécharger et utiliser les applications (14 heures).",
        "device": "tablet",
        "level": "beginner",
        "session_count": 7,
        "minutes_per_session": TWO_HOURS,
        "syllabus": [
            "Découvrir la tablette : allumer, l'écran tactile, les gestes",
            "Les réglages : son, luminosité, wifi",
            "Naviguer sur internet",
            "Le magasin d'applications : installer, mettre à jour",
            "E-mail et messageries",
            "Photos et vidéos",
            "Les applications du quotidien et bilan du parcours",
        ],
        "themes": ["device", "browsing", "email"],
        "publics": ["Grands débutants", "Seniors"],
    },
    {
        "code": "initiation-smartphone",
        "title": "Initiation smartphone",
        "description": "Se servir de son smartphone au quotidien, en cinq séances de deux heures.",
        "device": "smartphone",
        "level": "beginner",
        "session_count": 5,
        "minutes_per_session": TWO_HOURS,
        "syllabus": [
            "Découvrir son smartphone : appels, contacts, SMS",
            "Les réglages et la sécurité du téléphone",
            "Internet et les applications",
            "Photos, messageries et appels vidéo",
            "Les applications utiles au quotidien et bilan",
        ],
        "themes": ["device", "browsing", "safety"],
        "publics": ["Grands débutants"],
    },
    {
        "code": "decouverte-ordinateur-internet",
        "title": "Découverte de l'ordinateur et d'internet",
        "description": "Dix heures pour découvrir l'ordinateur, la navigation, le traitement de texte, la messagerie et les sites clés.",
        "device": "computer",
        "level": "novice",
        "session_count": 5,
        "minutes_per_session": TWO_HOURS,
        "syllabus": [
            "L'ordinateur",
            "La navigation sur internet",
            "Le traitement de texte",
            "La messagerie",
            "Les sites clés : services publics, santé, emploi",
        ],
        "themes": ["device", "browsing", "office", "email", "procedures"],
        "publics": ["Débutants"],
    },
    {
        "code": "mobilite",
        "title": "Parcours mobilité",
        "description": "Se déplacer avec le numérique : itinéraires, GPS, horaires, réservation de billets et abonnements.",
        "device": "smartphone",
        "level": "novice",
        "session_count": 3,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["Itinéraires et GPS", "Horaires et réservation de billets", "Abonnements et bons plans"],
        "themes": ["mobility", "browsing"],
        "publics": ["Jeunes", "Demandeurs d'emploi"],
    },
    {
        "code": "emploi",
        "title": "Parcours emploi",
        "description": "Chercher un emploi en ligne : CV, candidatures, espace France Travail, entretiens en visio.",
        "device": "computer",
        "level": "novice",
        "session_count": 4,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["Son espace France Travail", "Écrire son CV", "Répondre à une offre", "L'entretien en visio"],
        "themes": ["employment", "office", "email"],
        "publics": ["Demandeurs d'emploi"],
    },
    {
        "code": "sante",
        "title": "Parcours santé",
        "description": "Ameli, Mon espace santé, prendre un rendez-vous médical en ligne.",
        "device": "smartphone",
        "level": "novice",
        "session_count": 3,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["Son compte Ameli", "Mon espace santé", "Prendre un rendez-vous en ligne"],
        "themes": ["health", "procedures"],
        "publics": ["Tout public"],
    },
    {
        "code": "e-parentalite",
        "title": "Parcours e-parentalité",
        "description": "Accompagner ses enfants dans le numérique : espace numérique de travail, écrans, réseaux sociaux.",
        "device": "computer",
        "level": "novice",
        "session_count": 3,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["L'espace numérique de travail du collège", "Les écrans et les réseaux sociaux", "Le contrôle parental"],
        "themes": ["parenting", "schooling", "safety"],
        "publics": ["Parents"],
    },
    {
        "code": "seniors",
        "title": "Parcours seniors",
        "description": "Garder le lien avec ses proches et éviter les arnaques : appels vidéo, photos, sécurité.",
        "device": "tablet",
        "level": "beginner",
        "session_count": 4,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["Appels vidéo avec ses proches", "Partager des photos", "Reconnaître les arnaques", "Ses démarches de retraite en ligne"],
        "themes": ["device", "safety", "procedures"],
        "publics": ["Seniors"],
    },
    {
        "code": "acces-aux-droits",
        "title": "Parcours accès aux droits",
        "description": "Réaliser ses démarches en ligne : CAF, impôts, FranceConnect, justificatifs.",
        "device": "none",
        "level": "novice",
        "session_count": 4,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["FranceConnect et l'identité numérique", "La CAF en ligne", "Les impôts en ligne", "Scanner et envoyer ses justificatifs"],
        "themes": ["procedures", "safety"],
        "publics": ["Tout public"],
    },
    {
        "code": "jeunes",
        "title": "Parcours jeunes",
        "description": "Les usages utiles du numérique pour les 16-25 ans : démarches, recherche d'emploi, réseaux sociaux en sécurité.",
        "device": "smartphone",
        "level": "intermediate",
        "session_count": 3,
        "minutes_per_session": TWO_HOURS,
        "syllabus": ["Ses démarches en ligne", "Trouver un stage ou un emploi", "Réseaux sociaux et cyberharcèlement"],
        "themes": ["procedures", "employment", "social_networks"],
        "publics": ["Jeunes"],
    },
]


def seed(apps, schema_editor):
    Course = apps.get_model("learning", "Course")
    for course in COURSES:
        Course.objects.update_or_create(code=course["code"], defaults=course)


def unseed(apps, schema_editor):
    apps.get_model("learning", "Course").objects.filter(code__in=[c["code"] for c in COURSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
