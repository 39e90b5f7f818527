from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    # Read only for now: a write scope would be a new value here, checked by the API's permission.
    READ = "read", _("Lecture")
