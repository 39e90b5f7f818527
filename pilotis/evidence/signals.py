"""A piece deleted with its target (an action, a fiche, a meeting deleted; CASCADE) takes its file
with it, once the deletion is committed: no file outlives its row."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pilotis.evidence.models import Piece


@receiver(post_delete, sender=Piece)
def delete_stored_file(sender, instance, **kwargs):
    if instance.stored_name and instance.removed_at is None:
        from pilotis.evidence.services import storage

        stored = instance.stored_name
        transaction.on_commit(lambda: storage().delete(stored))
