"""Each demo role signs in through the real form and visits every page it can reach.

Every page is checked by `Site.check()`: axe-core finds no WCAG 2.1 A/AA violation, the console
shows no error (CSP included), the page has one <h1> and a <title> naming Pilotis.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.commission.enums import MeetingState
from pilotis.commission.models import CommissionMember, Meeting
from pilotis.core.school_years import current_school_year
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, Objective, Plan, PlanVersion
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI, LYCEE_UAI
from tests.browser.pages import MembersPage, SchoolListPage, SignInPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGOUT = "/compte/deconnexion/"
PASSWORD_RESET = "/compte/mot-de-passe/oubli/"
PROFILE = "/compte/"
PASSWORD_CHANGE = "/compte/mot-de-passe/changer/"
MY_SCHOOLS = "/compte/mes-etablissements/"
SCHOOL_LIST = SchoolListPage.PATH
TERRITORY_ROLES = "/compte/roles-territoriaux/"
ADMIN = "/admin/"


def school(uai):
    return f"/etablissements/{uai}/"


@dataclass(frozen=True)
class Role:
    username: str
    landing: str  # where "/" leads once signed in
    school: str  # a school page the role reads
    department: str | None = None  # a correspondant's département code
    manages_members: bool = False
    browses: bool = False  # the school list of a territory
    territory_roles: bool = False
    admin: bool = False
    out_of_scope: str | None = None  # a school the role must not see

    @property
    def reachable(self) -> set[str]:
        """Pages the role must reach by following links from its landing page."""
        pages = {self.landing, school(self.school) if not self.browses else SCHOOL_LIST, PROFILE, PASSWORD_CHANGE}
        if not self.browses:
            pages.add(MembersPage.path(self.school))
        if self.territory_roles:
            pages.add(TERRITORY_ROLES)
        if self.admin:
            pages.add(ADMIN)
        return pages


ROLES = [
    Role("direction", school(COLLEGE_UAI), COLLEGE_UAI, manages_members=True, out_of_scope=LYCEE_UAI),
    Role("rupn", school(COLLEGE_UAI), COLLEGE_UAI, out_of_scope=LYCEE_UAI),
    Role("enseignant", school(COLLEGE_UAI), COLLEGE_UAI, out_of_scope=LYCEE_UAI),
    Role("rupn64", school(LYCEE_UAI), LYCEE_UAI, out_of_scope=COLLEGE_UAI),
    Role("correspondant40", SCHOOL_LIST, COLLEGE_UAI, department="040", browses=True, out_of_scope=LYCEE_UAI),
    Role("correspondant64", SCHOOL_LIST, LYCEE_UAI, department="064", browses=True, out_of_scope=COLLEGE_UAI),
    Role("dane", SCHOOL_LIST, COLLEGE_UAI, browses=True, territory_roles=True),
    Role("admin", SCHOOL_LIST, LYCEE_UAI, browses=True, territory_roles=True, admin=True),
]


def allowed_for(role: Role):
    def allow(path: str) -> bool:
        if path.startswith((LOGOUT, SignInPage.PATH, PASSWORD_RESET, "/static/")):
            return False  # signing out ends the crawl; the signed-out pages were seen signed out
        if path.startswith(ADMIN):
            return role.admin and path == ADMIN  # the admin's index, never the admin's own pages
        return True

    return allow


@pytest.mark.parametrize("role", ROLES, ids=[r.username for r in ROLES])
def test_every_page_a_role_reaches_is_accessible(site, demo, role):
    # Signed out: the password reset page, and the sign-in page where "/" leads.
    site.visit(PASSWORD_RESET)
    site.visit("/")
    assert site.path == "/compte/connexion/?next=/"

    site.sign_in(role.username)  # and back to "/", the page asked for
    assert site.path == role.landing, f"{role.username} signed in and landed on {site.path}"

    # The pages every role must see, whether or not a link leads there.
    if role.browses:
        _browse_schools(site, role)
    for path in [school(role.school), PROFILE, PASSWORD_CHANGE, MY_SCHOOLS]:
        if path not in site.visited():
            site.visit(path)
    members = MembersPage(site)
    site.visit(MembersPage.path(role.school))
    assert members.invite_form().count() == (1 if role.manages_members else 0)
    assert members.role_selects().count() == (len(members.emails()) if role.manages_members else 0)

    # Then everything else the links lead to.
    # The DANE's links reach about sixty routes (every board tab, the catalogue, each app's pages of a
    # school): the guard against an endless crawl sits above them.
    crawled = site.crawl(allow=allowed_for(role), max_pages=100)
    unlinked = role.reachable - site.linked()
    assert not unlinked, f"{role.username}: no link leads to {sorted(unlinked)}"
    unvisited = role.reachable - site.visited()
    assert not unvisited, f"{role.username}: {sorted(unvisited)} not visited (crawled: {crawled})"

    # What the role must not reach is not linked, and answers 404 ("does not exist for you").
    unreachable = {SCHOOL_LIST} if not role.browses else set()
    unreachable |= {TERRITORY_ROLES} if not role.territory_roles else set()
    assert not unreachable & site.linked(), f"{role.username} is shown links to {unreachable & site.linked()}"
    assert site.status_of(SCHOOL_LIST) == (200 if role.browses else 404)
    assert site.status_of(TERRITORY_ROLES) == (200 if role.territory_roles else 404)
    if role.out_of_scope:
        assert site.status_of(school(role.out_of_scope)) == 404
        assert site.status_of(MembersPage.path(role.out_of_scope)) == 404

    site.assert_clean()


def _browse_schools(site, role):
    """On the school list: the territory's schools only, a search with a filter, page 2."""
    schools = SchoolListPage(site)
    if site.path != SCHOOL_LIST:
        site.visit(SCHOOL_LIST)
    in_scope = School.objects.all()
    if role.department:
        in_scope = in_scope.filter(department__code=role.department)
        department = role.department.lstrip("0") + " "  # "40 Landes"
        departments = schools.department_options()
        assert len(departments) == 2 and departments[1].startswith(department), departments
        assert {d[: len(department)] for d in schools.departments()} == {department}
    else:
        assert in_scope.count() == 589  # the whole académie de Bordeaux
    assert schools.count() == in_scope.count()

    colleges = in_scope.filter(kind="college", search_text__contains="college")
    schools.search("collège", kind="Collège")
    assert schools.count() == colleges.count() > 25
    schools.go_to_page(2)
    assert "page=2" in site.path and "kind=college" in site.path and "q=coll" in site.path
    assert len(schools.uais()) == min(25, colleges.count() - 25)

    if role.out_of_scope:
        schools.search(role.out_of_scope, kind="Tous")  # the UAI of a school of another département
        assert schools.count() == 0


# --- The action plan, the commission numérique and the accompaniment log ---------------------------
#
# Their pages are listed rather than left to the crawl: a form, a confirmation page (adoption,
# validation of minutes, convocation) or a record is reached by a person who means to, not by
# following every link, and each must be checked for each role that sees it. Every page is seen at
# desktop width, then again on a 375 px phone, where the page itself must not scroll sideways (wide
# tables scroll in their wrapper).

PHONE = {"width": 375, "height": 800}


def _demo_records():
    """The demo collège's plan of this school year, its records, and the campaigns' years."""
    year = current_school_year()
    start = int(year[:4])
    college = School.objects.get(uai=COLLEGE_UAI)
    plan = Plan.objects.filter(school=college).covering(year).get()
    actions = Action.objects.filter(plan=plan).order_by("position", "pk")
    meetings = Meeting.objects.filter(school=college)
    return {
        "uai": COLLEGE_UAI,
        "year": year,
        "last_year": f"{start - 1}-{start}",
        "plan": plan.pk,
        "objective": Objective.objects.filter(plan=plan).order_by("position", "pk").first().pk,
        "action": actions.filter(indicators__isnull=False).exclude(status=ActionStatus.DONE).first().pk,
        "done": actions.filter(status=ActionStatus.DONE, indicators__isnull=False).first().pk,
        "teacher_action": actions.filter(responsible__username="enseignant").first().pk,
        "version": PlanVersion.objects.filter(plan=plan).order_by("number").first().number,
        "member": CommissionMember.objects.filter(school=college, user__isnull=True).order_by("pk").first().pk,
        "planned": meetings.get(state=MeetingState.PLANNED).pk,
        "validated": meetings.filter(state=MeetingState.VALIDATED).order_by("-starts_at").first().pk,
        "entry": AccompanimentEntry.objects.filter(school=college).order_by("-happened_on", "-pk").first().pk,
    }


def _plan_pages(r, *, write=False, adopt=False) -> list[str]:
    uai = r["uai"]
    pages = [
        reverse("plans:home", args=[uai]),
        reverse("plans:action", args=[uai, r["action"]]),
        reverse("plans:action", args=[uai, r["done"]]),  # with the loop's proposals
        reverse("plans:indicator_updates", args=[uai, r["done"]]),
        reverse("plans:versions", args=[uai, r["plan"]]),
        reverse("plans:version", args=[uai, r["plan"], r["version"]]),
        # The synthesis with the plan's block, and a domain page with « Ce que Pilotis sait par ailleurs ».
        reverse("assessments:synthesis", args=[uai, r["last_year"]]),
        reverse("assessments:domain", args=[uai, r["year"], "PIL"]),
    ]
    if write:
        pages += [
            reverse("plans:prepare", args=[uai]),
            reverse("plans:edit", args=[uai, r["plan"]]),
            reverse("plans:objective_add", args=[uai, r["plan"]]),
            reverse("plans:objective_edit", args=[uai, r["objective"]]),
            reverse("plans:objective_delete", args=[uai, r["objective"]]),
            reverse("plans:action_add", args=[uai, r["plan"]]),
            reverse("plans:action_edit", args=[uai, r["action"]]),
            reverse("plans:action_delete", args=[uai, r["action"]]),
        ]
    if adopt:
        pages.append(reverse("plans:adopt", args=[uai, r["plan"]]))
    return pages


def _commission_pages(r, *, run=False, validate=False) -> list[str]:
    uai = r["uai"]
    pages = [
        reverse("commission:home", args=[uai]),
        reverse("commission:meeting", args=[uai, r["planned"]]),
        reverse("commission:meeting", args=[uai, r["validated"]]),
    ]
    if run:
        pages += [
            reverse("commission:member_add", args=[uai]),
            reverse("commission:member_edit", args=[uai, r["member"]]),
            reverse("commission:meeting_create", args=[uai]),
            reverse("commission:meeting_edit", args=[uai, r["planned"]]),
            reverse("commission:meeting_minutes", args=[uai, r["planned"]]),
            reverse("commission:meeting_convene", args=[uai, r["planned"]]),
            reverse("commission:meeting_delete", args=[uai, r["planned"]]),
        ]
    if validate:
        pages += [
            reverse("commission:meeting_validate", args=[uai, r["planned"]]),
            reverse("commission:meeting_reopen", args=[uai, r["validated"]]),
        ]
    return pages


def _log_pages(r) -> list[str]:
    uai = r["uai"]
    return [
        reverse("accompaniment:log", args=[uai]),  # with its form to add an entry
        reverse("accompaniment:edit", args=[uai, r["entry"]]),
        reverse("accompaniment:delete", args=[uai, r["entry"]]),
        reverse("accompaniments:list"),
    ]


def _evidence_pages(r, *, write=False) -> list[str]:
    """An answer with the demo's pieces (its block, with the forms for who fills in), the school's
    list of pieces, the form alone and a removal's confirmation page."""
    from pilotis.evidence.models import Piece

    uai = r["uai"]
    piece = Piece.objects.filter(school__uai=uai, answer__indicator__code="PIL.1.06").order_by("pk").first()
    pages = [reverse("assessments:history", args=[uai, r["year"], "PIL.1.06"])]
    if write:
        pages += [
            reverse("evidence:list", args=[uai]),
            reverse("evidence:add", args=[uai]) + f"?kind=file&target=answer&target_id={piece.answer_id}",
            reverse("evidence:remove", args=[uai, piece.pk]),
        ]
    return pages


NEW_PAGES = {
    # The direction writes and adopts the plan, runs the commission, validates the minutes.
    "direction": lambda r: [
        *_plan_pages(r, write=True, adopt=True),
        *_commission_pages(r, run=True, validate=True),
        reverse("accompaniment:shared", args=[r["uai"]]),
        *_evidence_pages(r, write=True),
    ],
    # The RUPN writes the plan and runs the commission; the loop's buttons are hers.
    "rupn": lambda r: [
        *_plan_pages(r, write=True),
        *_commission_pages(r, run=True),
        reverse("accompaniment:shared", args=[r["uai"]]),
    ],
    # A member of the team reads, and follows the status of the action she is responsible for.
    "enseignant": lambda r: [
        *_plan_pages(r),
        reverse("plans:action", args=[r["uai"], r["teacher_action"]]),
        *_commission_pages(r),
    ],
    # The territory reads the school's plan and commission, and keeps its own log.
    "correspondant40": lambda r: [*_plan_pages(r), *_commission_pages(r), *_log_pages(r), *_evidence_pages(r)],
    "dane": lambda r: [reverse("plans:home", args=[r["uai"]]), *_log_pages(r)],
}


@pytest.mark.parametrize("username", NEW_PAGES, ids=list(NEW_PAGES))
def test_every_page_of_the_plan_the_commission_and_the_log_is_accessible_on_a_desktop_and_a_phone(site, demo, username):
    pages = NEW_PAGES[username](_demo_records())
    assert len(pages) == len(set(pages))
    site.sign_in(username)
    for path in pages:
        site.visit(path)
        assert site.path == path, f"{username}: {path} led to {site.path}"

    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"{username}: on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
