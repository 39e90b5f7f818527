"""One way to ask before an irreversible action: a page that says what will happen, then a POST.

Validating, signing, closing, sending to many people, deleting: the button that starts such an
action is a link (GET) to a confirmation page, which says what the action will do (how many, what
is missing) and holds the form whose POST does it. It needs no JavaScript, and a page left open
cannot do it by accident. Views do:

    if request.method == "GET":
        return confirmation_page(request, Confirmation(title=…, action_label=…, cancel_url=…, …))
    … the POST does the action …

A view that needs more than lists (an e-mail's preview) renders its own template extending
`core/confirm.html` and fills its `details` block.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


@dataclass(frozen=True)
class Link:
    label: str
    url: str = ""


@dataclass(frozen=True)
class Confirmation:
    title: str
    action_label: str
    cancel_url: str
    # What the action will do, one sentence each (« 46 établissements recevront un courriel »).
    consequences: list[str] = field(default_factory=list)
    # What is missing or will be lost (unanswered indicators…), with links where they can be mended.
    warnings_title: str = ""
    warnings: list[Link] = field(default_factory=list)
    # Destructive actions (delete, close) get the DSFR's warning look.
    danger: bool = False
    # Where the form posts; empty: the same URL.
    action_url: str = ""
    # Hidden fields the POST must carry (a revision the page showed…).
    hidden: dict = field(default_factory=dict)
    # Set when the action cannot be done now: the page says why and offers no button.
    refusal: str = ""


def confirmation_page(request, confirmation: Confirmation, *, template="core/confirm.html", context=None, status=200):
    return render(request, template, {"confirm": confirmation, **(context or {})}, status=status)


def carry_out(request, action: Callable, *, success: str, then: str, failed_then: str = ""):
    """The POST of a confirmation page: runs `action()`, a service that refuses with a French
    `ValidationError` before writing anything. Says the refusal or `success`, and goes to `then`
    (to `failed_then`, if given, after a refusal: the page deleted is gone)."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(failed_then or then)
    messages.success(request, success)
    return redirect(then)
