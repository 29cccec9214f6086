"""Forms a chat platform shows as a dialog (a Slack modal, a Discord modal): the words are ours."""

from __future__ import annotations

from typing import NamedTuple


class Form(NamedTuple):
    """A one-box form: ``id`` names the handler its submission goes to."""

    id: str
    title: str  # at most 24 characters (Slack's modal title)
    label: str  # at most 45 characters (Discord's text input label)
    placeholder: str  # at most 100 characters
    submit: str
    result_title: str  # the dialog's title when it shows the answer


CHECK_FORM = Form(
    id="statusbot.check",
    title="Check a response",
    label="Response head, log line or exchange",
    placeholder="HTTP/1.1 429 Too Many Requests (with its headers), or POST /users -> 404",
    submit="Check",
    result_title="statusbot check",
)
FORMS = {CHECK_FORM.id: CHECK_FORM}

# the message menu entry (Discord's message command; Slack's shortcut is named in its manifest)
CHECK_MESSAGE = "Check with statusbot"
