"""A portal the school uses itself (the ENT's assistance): Pilotis sends nothing, the page shows
the link and the writer marks the request « Faite sur le portail »."""

from pilotis.support.channels.base import Way
from pilotis.support.enums import ChannelWay


class LinkWay(Way):
    code = ChannelWay.LINK
    sends = False

    def configured(self, channel) -> bool:
        return bool(channel.portal_url)
