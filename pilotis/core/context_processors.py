from django.conf import settings
from django.middleware.csp import get_nonce


def site(request):
    return {
        "SITE_NAME": "Pilotis",
        "SITE_TAGLINE": "Pilotage du numérique éducatif dans les établissements",
        "DEBUG_BANNER": settings.DEBUG,
    }


def generate_csp_nonce(request):
    """Generates the request's CSP nonce up front (next to django.template.context_processors.csp).

    Django's nonce is lazy and counts as false until read; third-party tags such as
    `{% dsfr_js nonce=csp_nonce %}` test it with `{% if nonce %}` before reading it, so they left
    their `<script>` tags without a nonce and the header without `'nonce-…'`, while every inline
    script must carry the nonce (SECURITY.md, « Security headers and a strict CSP »).
    """
    nonce = get_nonce(request)
    if nonce is not None:
        str(nonce)  # evaluates the LazyNonce: truthy from now on, and sent in the CSP header
    return {}
