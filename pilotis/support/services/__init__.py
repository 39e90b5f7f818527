"""Every write of the demandes d'assistance, each in a transaction with its audit row. Each
service checks its author itself (`PermissionDenied`) and refuses bad input with a French
`ValidationError` before writing anything.

Sending is the worker's (`tasks.send_request`): « Envoyer » marks the request queued; `deliver`
hands it to its channel, and on a `ChannelFailure` the request becomes « À renvoyer » with the
reason, tried again after `BACKOFF`; nothing the school wrote is touched. A GLPI ticket is then
followed (`tasks.follow_request`) until it is closed.

A package split by what the writes are about (`requests`, `sending`, `attachments`, the DANE's
`routing_table`); its names are re-exported here, so that callers write `services.deliver`."""

from pilotis.support.services.attachments import (  # noqa: F401
    MAX_ATTACHMENTS,
    attach,
    attachment_files,
    bytes_used,
    remove_attachment,
)
from pilotis.support.services.base import STALE, StaleRequest, enqueue_follow, enqueue_send, require  # noqa: F401
from pilotis.support.services.requests import (  # noqa: F401
    RequestInput,
    ask_to_send,
    change_state,
    close_request,
    delete_draft,
    mark_done_on_portal,
    record_request,
    sending_problem,
)
from pilotis.support.services.routing_table import ChannelInput, delete_route, save_channel, set_route  # noqa: F401
from pilotis.support.services.sending import BACKOFF, deliver, follow, follow_delay  # noqa: F401
