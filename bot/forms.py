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
    multiline: bool = True  # a box for pasting several lines, or one line (a number)


CHECK_FORM = Form(
    id="statusbot.check",
    title="Check a response",
    label="Response head, log line or exchange",
    placeholder="HTTP/1.1 429 Too Many Requests (with its headers), or POST /users -> 404",
    submit="Check",
    result_title="statusbot check",
)
# opened by the "Another code…" button after a 👎 (bot/feedback.py); the rated answer's id comes back with it
EXPECTED_FORM = Form(
    id="statusbot.expected",
    title="The right code",
    label="The status code you expected",
    placeholder="A number such as 422",
    submit="Save",
    result_title="statusbot feedback",
    multiline=False,
)
FORMS = {form.id: form for form in (CHECK_FORM, EXPECTED_FORM)}

# the message menu entry (Discord's message command; Slack's shortcut is named in its manifest)
CHECK_MESSAGE = "Check with statusbot"
