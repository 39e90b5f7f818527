"""A small GLPI for the demo and the tests: the REST API's four calls that Pilotis makes
(initSession, POST Ticket, GET Ticket/<id>, killSession), with GLPI's answers and its checks of
App-Token, `Authorization: user_token …` and Session-Token.

Switches, to show what Pilotis does when a GLPI misbehaves: `mode` = "ok", "error" (500),
"slow" (answers after `delay` seconds), "not_json", "too_large" (2 MB); `set_status(id, n)`
moves a ticket (1 new … 5 solved, 6 closed). `tickets` holds what was created. The same levers
answer GET /fake/tickets, /fake/status/<id>/<n> and /fake/mode/<mode>, for the demo."""

import contextlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("ok", "error", "slow", "not_json", "too_large")


class FakeGlpi:
    def __init__(self, *, app_token: str, user_token: str, host: str = "127.0.0.1", port: int = 0):
        self.app_token = app_token
        self.user_token = user_token
        self.mode = "ok"
        self.delay = 3.0
        self.tickets: dict[int, dict] = {}
        self.sessions: set[str] = set()
        self.killed: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self.thread = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/apirest.php"

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def set_status(self, ticket_id: int, status: int):
        with self.lock:
            self.tickets[ticket_id]["status"] = status

    def _handler(self):
        glpi = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the tests read the tickets, not a log
                pass

            def answer(self, status, payload):
                if glpi.mode == "not_json":
                    body, kind = b"<html><body>Maintenance</body></html>", "text/html"
                elif glpi.mode == "too_large":
                    body, kind = json.dumps({"padding": "x" * (2 * 1024 * 1024)}).encode(), "application/json"
                else:
                    body, kind = json.dumps(payload).encode(), "application/json; charset=UTF-8"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def misbehave(self) -> bool:
                if glpi.mode == "error":
                    self.answer(500, ["ERROR", "Internal Server Error"])
                    return True
                if glpi.mode == "slow":
                    time.sleep(glpi.delay)
                return False

            def path_after_api(self) -> str:
                path = self.path.split("?", 1)[0]
                marker = "/apirest.php/"
                return path.split(marker, 1)[1] if marker in path else ""

            def app_token_ok(self) -> bool:
                if self.headers.get("App-Token") != glpi.app_token:
                    self.answer(400, ["ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong"])
                    return False
                return True

            def session_ok(self) -> bool:
                if not self.app_token_ok():
                    return False
                if self.headers.get("Session-Token") not in glpi.sessions:
                    self.answer(401, ["ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid"])
                    return False
                return True

            def do_GET(self):
                if self.path.startswith("/fake/"):
                    self.switch(self.path.strip("/").split("/")[1:])
                    return
                if self.misbehave():
                    return
                what = self.path_after_api()
                if what == "initSession":
                    if not self.app_token_ok():
                        return
                    if self.headers.get("Authorization") != f"user_token {glpi.user_token}":
                        self.answer(401, ["ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid"])
                        return
                    token = uuid.uuid4().hex
                    with glpi.lock:
                        glpi.sessions.add(token)
                    self.answer(200, {"session_token": token})
                elif what == "killSession":
                    if not self.session_ok():
                        return
                    token = self.headers.get("Session-Token")
                    with glpi.lock:
                        glpi.sessions.discard(token)
                        glpi.killed.append(token)
                    self.answer(200, True)
                elif what.startswith("Ticket/"):
                    if not self.session_ok():
                        return
                    ticket = glpi.tickets.get(int(what[7:])) if what[7:].isdigit() else None
                    if ticket is None:
                        self.answer(404, ["ERROR_ITEM_NOT_FOUND", "Item not found"])
                    else:
                        self.answer(200, ticket)
                else:
                    self.answer(400, ["ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found"])

            def switch(self, parts):
                """The demo's levers, from a browser: /fake/tickets, /fake/status/<id>/<1-6>,
                /fake/mode/<ok|error|slow|not_json|too_large>."""
                if parts == ["tickets"]:
                    self.answer(200, list(glpi.tickets.values()))
                elif len(parts) == 3 and parts[0] == "status" and parts[1].isdigit() and parts[2] in "123456":
                    if int(parts[1]) not in glpi.tickets:
                        self.answer(404, ["ERROR_ITEM_NOT_FOUND", "Item not found"])
                        return
                    glpi.set_status(int(parts[1]), int(parts[2]))
                    self.answer(200, glpi.tickets[int(parts[1])])
                elif len(parts) == 2 and parts[0] == "mode" and parts[1] in MODES:
                    glpi.mode = parts[1]
                    self.answer(200, {"mode": glpi.mode})
                else:
                    self.answer(404, ["ERROR", "unknown switch"])

            def do_POST(self):
                if self.misbehave():
                    return
                if self.path_after_api() != "Ticket":
                    self.answer(400, ["ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found"])
                    return
                if not self.session_ok():
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    data = json.loads(self.rfile.read(length) or b"{}")["input"]
                    assert isinstance(data, dict) and data.get("name") and data.get("content")
                except (ValueError, KeyError, TypeError, AssertionError):
                    self.answer(400, ["ERROR_BAD_ARRAY", "input parameter must be an array of objects"])
                    return
                with glpi.lock:
                    ticket_id = len(glpi.tickets) + 1
                    glpi.tickets[ticket_id] = {
                        "id": ticket_id,
                        "name": data["name"],
                        "content": data["content"],
                        "type": data.get("type", 1),
                        "urgency": data.get("urgency", 3),
                        "itilcategories_id": data.get("itilcategories_id", 0),
                        "status": 1,
                    }
                self.answer(201, {"id": ticket_id, "message": f"Élément ajouté avec succès : {data['name']}"})

        return Handler
