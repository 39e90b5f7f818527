"""A channel that is a GLPI (the collectivités' ticketing tool), through its REST API:
initSession (App-Token and the user token) → POST Ticket → killSession; following a ticket reads
its status with GET Ticket/<id>.

The tokens come from settings `SUPPORT_GLPI[<the channel's credentials name>]` and go into
headers only: no reason, log line or audit row ever holds them. Every call has a timeout, an
answer is read up to `MAX_ANSWER_BYTES`, and anything unexpected (no JSON, a 5xx, a timeout, a
refusal) is a `ChannelFailure` whose French reason names the step and the HTTP status alone."""

import json
import logging

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from pilotis.support.channels.base import ChannelFailure, Sent, Way
from pilotis.support.enums import ChannelWay, RequestState

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 1024 * 1024
INCIDENT, REQUEST = 1, 2
# GLPI's ticket statuses → ours; 1 (new) is what « Envoyée » already says.
STATES = {
    2: RequestState.TAKEN,
    3: RequestState.TAKEN,
    4: RequestState.TAKEN,
    5: RequestState.SOLVED,
    6: RequestState.CLOSED,
}
# Categories that describe something broken rather than something wanted.
INCIDENT_CATEGORIES = {"network", "devices", "ent"}


def credentials(channel) -> dict | None:
    """The channel's entry of settings SUPPORT_GLPI, when it has both tokens."""
    entry = (getattr(settings, "SUPPORT_GLPI", None) or {}).get(channel.glpi_credentials or "")
    if not entry or not entry.get("APP_TOKEN") or not entry.get("USER_TOKEN"):
        return None
    return entry


def api_url(channel, entry) -> str:
    """The apirest.php address: the settings' URL when given (it wins), else the channel's."""
    return (entry.get("URL") or channel.glpi_url or "").rstrip("/")


def timeout() -> tuple[float, float]:
    seconds = float(getattr(settings, "SUPPORT_GLPI_TIMEOUT", 10))
    return (min(seconds, 5.0), seconds)


class Session:
    """One API session; `close` always kills it (when it was opened)."""

    def __init__(self, channel):
        entry = credentials(channel)
        if entry is None:
            raise ChannelFailure(_("Les identifiants GLPI de ce canal ne sont pas configurés."))
        self.base = api_url(channel, entry)
        if not self.base:
            raise ChannelFailure(_("L'adresse de l'API GLPI de ce canal n'est pas indiquée."))
        self.app_token = entry["APP_TOKEN"]
        self.user_token = entry["USER_TOKEN"]
        self.session_token = ""
        self.http = requests.Session()

    def call(self, method: str, path: str, step: str, *, headers: dict, body=None, ok=(200, 201)):
        try:
            response = self.http.request(
                method,
                f"{self.base}/{path}",
                headers={"Content-Type": "application/json", **headers},
                data=json.dumps(body) if body is not None else None,
                timeout=timeout(),
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise ChannelFailure(_("GLPI n'a pas répondu à temps (%(step)s).") % {"step": step}) from None
        except requests.RequestException:
            raise ChannelFailure(_("GLPI est injoignable (%(step)s).") % {"step": step}) from None
        try:
            content = b""
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > MAX_ANSWER_BYTES:
                    raise ChannelFailure(
                        _("La réponse de GLPI est trop volumineuse (%(step)s).") % {"step": step}
                    ) from None
        except requests.RequestException:
            raise ChannelFailure(_("GLPI n'a pas répondu à temps (%(step)s).") % {"step": step}) from None
        finally:
            response.close()
        if response.status_code >= 500:
            raise ChannelFailure(
                _("GLPI a répondu par une erreur %(status)s (%(step)s).")
                % {"status": response.status_code, "step": step}
            )
        if response.status_code not in ok:
            raise ChannelFailure(
                _("GLPI a refusé la demande : réponse %(status)s (%(step)s).")
                % {"status": response.status_code, "step": step}
            )
        try:
            return json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ChannelFailure(_("GLPI a répondu autre chose que du JSON (%(step)s).") % {"step": step}) from None

    def open(self):
        answer = self.call(
            "GET",
            "initSession",
            _("ouverture de session"),
            headers={"App-Token": self.app_token, "Authorization": f"user_token {self.user_token}"},
        )
        token = answer.get("session_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise ChannelFailure(_("GLPI n'a pas ouvert de session."))
        self.session_token = token
        return self

    def headers(self) -> dict:
        return {"App-Token": self.app_token, "Session-Token": self.session_token}

    def close(self):
        if self.session_token:
            try:
                self.call("GET", "killSession", _("fermeture de session"), headers=self.headers())
            except ChannelFailure as failure:
                logger.warning("GLPI killSession failed: %s", failure.reason)
            self.session_token = ""
        self.http.close()


def ticket_input(request) -> dict:
    from pilotis.support.documents import plain_text

    data = {
        "name": f"[{request.school.uai}] {request.subject}",
        "content": plain_text(request),
        "type": INCIDENT if request.category in INCIDENT_CATEGORIES else REQUEST,
        "urgency": request.urgency_glpi,
    }
    category_id = (request.channel.glpi_categories or {}).get(request.category)
    if category_id:
        data["itilcategories_id"] = int(category_id)
    return data


class GlpiWay(Way):
    code = ChannelWay.GLPI
    follows = True

    def configured(self, channel) -> bool:
        entry = credentials(channel)
        return entry is not None and bool(api_url(channel, entry))

    def send(self, request) -> Sent:
        session = Session(request.channel)
        try:
            session.open()
            answer = session.call(
                "POST",
                "Ticket",
                _("création du ticket"),
                headers=session.headers(),
                body={"input": ticket_input(request)},
            )
            ticket_id = answer.get("id") if isinstance(answer, dict) else None
            if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
                raise ChannelFailure(_("GLPI n'a pas donné de numéro de ticket."))
            return Sent(reference=str(ticket_id))
        finally:
            session.close()

    def follow(self, request) -> str | None:
        if not request.reference.isdigit():
            return None
        session = Session(request.channel)
        try:
            session.open()
            answer = session.call("GET", f"Ticket/{request.reference}", _("suivi du ticket"), headers=session.headers())
        finally:
            session.close()
        status = answer.get("status") if isinstance(answer, dict) else None
        state = STATES.get(status) if isinstance(status, int) else None
        return state if state and state != request.state else None
