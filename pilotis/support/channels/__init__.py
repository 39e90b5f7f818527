"""The ways a request reaches a channel, one module each; another ticketing tool is one more
module registered here (and its code in `enums.ChannelWay`)."""

from pilotis.support.channels.base import ChannelFailure, Sent, Way
from pilotis.support.channels.email import EmailWay
from pilotis.support.channels.glpi import GlpiWay
from pilotis.support.channels.link import LinkWay

WAYS: dict[str, Way] = {}


def register(way: Way) -> Way:
    WAYS[way.code] = way
    return way


for _way in (EmailWay(), GlpiWay(), LinkWay()):
    register(_way)


def way_of(channel) -> Way:
    return WAYS[channel.way]


__all__ = ["WAYS", "ChannelFailure", "Sent", "Way", "register", "way_of"]
