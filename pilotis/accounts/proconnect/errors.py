"""Why a ProConnect sign-in is refused. The browser learns only that it failed (or, for a true
agent, that Pilotis does not know them); the audit journal keeps `reason` and `detail`."""


class SignInFailed(Exception):
    """ProConnect's answer is not to be trusted: malformed, replayed, expired, not for us."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class AgentRefused(Exception):
    """A valid answer about an agent Pilotis does not admit: unknown (no account nor invitation for
    their e-mail, domain not allowed), deactivated, or whose account is tied to another identity
    of the same provider."""

    def __init__(self, reason: str, identity: dict, user=None):
        super().__init__(reason)
        self.reason = reason
        self.identity = identity
        self.user = user
