"""How drf-spectacular describes our token authentication in the schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "pilotis.api.authentication.BearerTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Un jeton d’accès personnel, créé dans « Mon compte » › « Jetons d’accès à l’API ».",
        }
