"""The one interface every way of sending a request speaks.

`send(request)` hands the request to the channel and returns what identifies it there (`Sent`),
or raises `ChannelFailure` with a French reason the school reads: it must never hold a secret
(no token, no header). `follow(request)` asks the channel where the request stands and returns
its new `RequestState`, or None when unchanged or not followable."""

from dataclasses import dataclass


class ChannelFailure(Exception):
    """The channel did not take the request; `reason` is shown on the request's page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sent:
    reference: str = ""
    message_id: str = ""


class Way:
    code = ""
    # Whether Pilotis sends the request itself (a link's request is made on the portal).
    sends = True
    follows = False

    def send(self, request) -> Sent:
        raise NotImplementedError

    def follow(self, request) -> str | None:
        return None

    def configured(self, channel) -> bool:
        """Whether the channel has what this way needs (credentials included)."""
        return True
