from django.urls import reverse


def test_the_sign_in_error_is_an_alert(client, world):
    response = client.post(reverse("accounts:login"), {"username": "rupn_a", "password": "faux mot de passe"})
    html = response.content.decode()
    assert '<div class="fr-alert fr-alert--error fr-mb-3w" role="alert">' in html
    assert "Identifiant ou mot de passe incorrect." in html


def test_a_long_email_can_be_typed(client, world):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'maxlength="254"' in html
