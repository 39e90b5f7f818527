"""The demo's register of digital services: at the Landes collège, its ENT (administered by the
RUPN), Pix, its site, Éléa, Pronote (administered by the direction) and an online storage whose
only administrator has left the school — what the school's page flags for the handover; at the
Pyrénées-Atlantiques lycée, a few administered by its RUPN. Everything goes through the register's
services, as the RUPN would."""

from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership, User
from pilotis.digital_services import services
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.services import ServiceInput

# A former teacher who administered the online storage, then left the collège: no password, no
# membership any more.
FORMER = "ancien-enseignant"


def _former_member(college):
    user, _created = User.objects.get_or_create(
        username=FORMER, defaults={"first_name": "Dominique", "last_name": "Ancien", "is_active": True}
    )
    user.set_unusable_password()
    user.save()
    SchoolMembership.objects.get_or_create(user=user, school=college, defaults={"role": SchoolRole.MEMBRE})
    return user


def load_digital_services(users, college, lycee, stdout) -> None:
    if DigitalService.objects.filter(school=college).exists():
        return
    rupn, direction = users["rupn"], users["direction"]
    former = _former_member(college)
    for data in [
        ServiceInput(
            kind="ent",
            name="ENT Lycée connecté",
            address="https://ent.example.fr",
            administrator_ids=[rupn.pk],
            since="2018",
            support_channel="Département",
        ),
        ServiceInput(kind="pix", name="Pix Orga", administrator_ids=[rupn.pk], since="2020", support_channel="DANE"),
        ServiceInput(
            kind="website",
            name="Site du collège",
            address="https://college.example.fr",
            outside_administrator="Prestataire",
            since="01/09/2021",
            support_channel="Éditeur",
        ),
        ServiceInput(kind="learning", name="Éléa", since="2022", support_channel="DANE"),
        ServiceInput(
            kind="school_life",
            name="Pronote",
            administrator_ids=[direction.pk],
            since="2015",
            support_channel="Éditeur",
            note="Licence renouvelée chaque année en juin.",
        ),
        ServiceInput(
            kind="storage",
            name="Nextcloud du collège",
            administrator_ids=[former.pk],
            since="2021",
            note="Les comptes des enseignants y sont créés à la demande.",
        ),
    ]:
        services.record_service(college, data, by=rupn)
    # The storage's administrator has left: nobody administers it at the collège any more.
    SchoolMembership.objects.filter(user=former, school=college).delete()
    rupn64 = users["rupn64"]
    for data in [
        ServiceInput(kind="ent", name="ENT Lycée connecté", administrator_ids=[rupn64.pk], support_channel="AMÉRANA"),
        ServiceInput(kind="pix", name="Pix Orga", administrator_ids=[rupn64.pk], since="2019"),
        ServiceInput(kind="learning", name="Moodle du lycée", outside_administrator="Rectorat", since="2017"),
    ]:
        services.record_service(lycee, data, by=rupn64)
    stdout.write(_("  Services numériques : 6 au collège (1 sans administrateur), 3 au lycée"))
