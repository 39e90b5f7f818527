import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.core.scope import Scope, scope_of
from pilotis.territories.models import Academy, Department, School


class PilotisUserManager(UserManager):
    def get_by_login(self, login: str):
        """A user by username or by e-mail (both case-insensitive). A login with an "@" is an
        e-mail first, then a username (Django's usernames may hold an "@")."""
        login = (login or "").strip()
        if "@" in login:
            try:
                return self.get(email__iexact=login)
            except self.model.DoesNotExist:
                pass
        return self.get(username__iexact=login)


def new_roles_stamp() -> str:
    return secrets.token_hex(8)


# How long a scope stays in the cache: a bound on memory, not on freshness (the stamp sees to that).
SCOPE_CACHE_SECONDS = 600


class User(AbstractUser):
    email = models.EmailField(_("adresse électronique"), blank=True)
    # Changed with every role the person gains, changes or loses (accounts.signals): the key of
    # their scope in the cache, so that no request reads a scope older than its user row.
    roles_stamp = models.CharField(max_length=16, default=new_roles_stamp, editable=False)
    # When the person was told their unused account would be anonymised (anonymise_inactive);
    # signing in afterwards keeps the account.
    inactivity_notice_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PilotisUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"),
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def scope(self) -> Scope:
        """Once per request (the user object lives for one request), and read from the cache as
        long as the roles have not changed: two queries less on every page and every autosave."""
        if not self.is_active:
            return Scope()
        if self.is_superuser:
            return Scope(everything=True)
        key = f"pilotis:scope:{self.pk}:{self.roles_stamp}"
        scope = cache.get(key)
        if scope is None:
            scope = self._read_scope()
            cache.set(key, scope, SCOPE_CACHE_SECONDS)
        return scope

    def _read_scope(self) -> Scope:
        school_roles = dict(self.school_memberships.values_list("school_id", "role"))
        department_ids, academy_ids = set(), set()
        for kind, department_id, academy_id in self.territory_roles.values_list("kind", "department_id", "academy_id"):
            if kind == TerritoryRoleKind.CORRESPONDANT and department_id:
                department_ids.add(department_id)
            elif kind == TerritoryRoleKind.DANE and academy_id:
                academy_ids.add(academy_id)
        return Scope(
            school_roles=school_roles,
            department_ids=frozenset(department_ids),
            academy_ids=frozenset(academy_ids),
        )


class SchoolMembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        """Memberships visible to the user: those of schools they may read."""
        return self.filter(school__in=School.objects.for_user(user))


class SchoolMembership(models.Model):
    """A person's role in one school. One role per person and school."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_memberships")
    school = models.ForeignKey(
        School, verbose_name=_("établissement"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=SchoolRole.choices)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SchoolMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre d'un établissement")
        verbose_name_plural = _("membres des établissements")
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="membership_unique_user_school")]
        ordering = ["school", "role", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.school.uai}"


class TerritoryRoleQuerySet(models.QuerySet):
    def for_user(self, user):
        """Territory roles a user may see: all for the administrator, those of their académie for the DANE."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if not scope.academy_ids:
            return self.filter(user=user) if scope_of(user).is_territorial else self.none()
        return self.filter(Q(academy_id__in=scope.academy_ids) | Q(department__academy_id__in=scope.academy_ids))


class TerritoryRole(models.Model):
    """A correspondent for one département, or the DANE of one académie."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_roles")
    kind = models.CharField(_("rôle"), max_length=20, choices=TerritoryRoleKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="territory_roles",
    )
    academy = models.ForeignKey(
        Academy,
        verbose_name=_("académie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="territory_roles",
    )
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TerritoryRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle territorial")
        verbose_name_plural = _("rôles territoriaux")
        constraints = [
            # A correspondent is tied to a département, the DANE to an académie, never both.
            models.CheckConstraint(
                condition=(
                    Q(kind=TerritoryRoleKind.CORRESPONDANT, department__isnull=False, academy__isnull=True)
                    | Q(kind=TerritoryRoleKind.DANE, academy__isnull=False, department__isnull=True)
                ),
                name="territory_role_kind_matches_territory",
            ),
            models.UniqueConstraint(fields=["user", "department"], name="territory_role_unique_department"),
            models.UniqueConstraint(fields=["user", "academy"], name="territory_role_unique_academy"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} — {self.territory}"

    @property
    def territory(self):
        return self.department or self.academy

    @property
    def territory_academy_id(self) -> int:
        return self.academy_id or self.department.academy_id


def roles_changed(user_ids) -> None:
    """New stamps for these people: their cached scopes are no longer read. The signals call it
    for every membership and territory role saved or deleted; a bulk write must call it too."""
    User.objects.filter(pk__in=list(user_ids)).update(roles_stamp=new_roles_stamp())


class ProConnectIdentity(models.Model):
    """A ProConnect identity that signs in as this user. `sub` is unique per identity provider only
    (ProConnect federates many), hence the pair (idp_id, sub); a person may hold several (an agent
    who changes ministry keeps their account)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identities")
    idp_id = models.CharField(_("fournisseur d'identité"), max_length=200)
    sub = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    # What ProConnect said at the last sign-in: shown in the admin, given back with one's data.
    email = models.EmailField(_("adresse électronique donnée par ProConnect"), blank=True)
    siret = models.CharField(_("SIRET de l'organisation"), max_length=14, blank=True)
    created_at = models.DateTimeField(_("lié le"), default=timezone.now)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")
        constraints = [models.UniqueConstraint(fields=["idp_id", "sub"], name="proconnect_identity_unique_idp_sub")]

    def __str__(self):
        return f"{self.user} — {self.idp_id}"
