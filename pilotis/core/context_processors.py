from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Pilotis",
        "SITE_TAGLINE": "Pilotage du numérique éducatif dans les établissements",
        "DEBUG_BANNER": settings.DEBUG,
    }
