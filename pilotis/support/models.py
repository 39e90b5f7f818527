"""Demandes d'assistance, routed by the académie's table to a channel (e-mail, GLPI, a link)."""
