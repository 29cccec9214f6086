"""A strict Block Kit checker for tests: the limits Slack enforces, plus typo-catching on keys.

``validate_blocks`` and ``validate_view`` return human-readable problems (an empty list means valid), each
prefixed with a JSON-ish path such as ``blocks[2].elements[0].text``. Limits follow the Block Kit reference
(see shared/notes/slack-offline-testing.md §4). The checker is deliberately stricter than Slack in two ways:
unknown keys are reported (Slack rejects most of them anyway, and they hide typos), and ``action_id`` must be
unique across the whole message or view by default (Slack only requires uniqueness within a block).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
KNOWN_BLOCK_TYPES = ("section", "header", "divider", "context", "actions", "input", "image", "rich_text", "markdown")

_BLOCK_KEYS: dict[str, frozenset[str]] = {
    "section": frozenset({"type", "block_id", "text", "fields", "accessory", "expand"}),
    "header": frozenset({"type", "block_id", "text"}),
    "divider": frozenset({"type", "block_id"}),
    "context": frozenset({"type", "block_id", "elements"}),
    "actions": frozenset({"type", "block_id", "elements"}),
    "input": frozenset({"type", "block_id", "label", "element", "dispatch_action", "hint", "optional"}),
    "image": frozenset({"type", "block_id", "image_url", "slack_file", "alt_text", "title"}),
    "rich_text": frozenset({"type", "block_id", "elements"}),
    "markdown": frozenset({"type", "block_id", "text"}),
}

_BLOCK_REQUIRED: dict[str, tuple[str, ...]] = {
    "header": ("text",),
    "context": ("elements",),
    "actions": ("elements",),
    "input": ("label", "element"),
    "image": ("alt_text",),
    "rich_text": ("elements",),
    "markdown": ("text",),
}

_SELECTS = frozenset(
    {
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
_PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})
_TEXT_INPUTS = frozenset(
    {"plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input", "file_input"}
)
# Which element types each container accepts (Block Kit reference, "compatible blocks" of each element).
_ACCESSORY_TYPES = frozenset({"button", "overflow", "image", "checkboxes", "radio_buttons", "workflow_button"}) | (
    _SELECTS | {"datepicker", "timepicker"}
)
_ACTIONS_TYPES = (_ACCESSORY_TYPES - {"image"}) | {"datetimepicker"}
_INPUT_TYPES = _SELECTS | _PICKERS | _TEXT_INPUTS | {"checkboxes", "radio_buttons"}

_ELEMENT_KEYS: dict[str, frozenset[str]] = {
    "button": frozenset({"type", "text", "action_id", "url", "value", "style", "confirm", "accessibility_label"}),
    "static_select": frozenset(
        {"type", "action_id", "options", "option_groups", "initial_option", "confirm", "focus_on_load", "placeholder"}
    ),
    "multi_static_select": frozenset(
        {
            "type",
            "action_id",
            "options",
            "option_groups",
            "initial_options",
            "confirm",
            "max_selected_items",
            "focus_on_load",
            "placeholder",
        }
    ),
    "overflow": frozenset({"type", "action_id", "options", "confirm"}),
    "image": frozenset({"type", "image_url", "slack_file", "alt_text"}),
    "plain_text_input": frozenset(
        {
            "type",
            "action_id",
            "initial_value",
            "multiline",
            "min_length",
            "max_length",
            "dispatch_action_config",
            "focus_on_load",
            "placeholder",
        }
    ),
    "checkboxes": frozenset({"type", "action_id", "options", "initial_options", "confirm", "focus_on_load"}),
    "radio_buttons": frozenset({"type", "action_id", "options", "initial_option", "confirm", "focus_on_load"}),
    "datepicker": frozenset({"type", "action_id", "initial_date", "confirm", "focus_on_load", "placeholder"}),
}
_TEXT_KEYS = {"plain_text": frozenset({"type", "text", "emoji"}), "mrkdwn": frozenset({"type", "text", "verbatim"})}
_RICH_TEXT_TYPES = frozenset({"rich_text_section", "rich_text_list", "rich_text_preformatted", "rich_text_quote"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Checker:
    """Collects problems and the ids that must be unique across one message or view."""

    def __init__(self, *, unique_action_ids_per: Literal["message", "block"]) -> None:
        self.problems: list[str] = []
        self.block_ids: dict[str, str] = {}
        self.action_ids: dict[str, str] = {}
        self.unique_action_ids_per = unique_action_ids_per

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    # -- primitives -------------------------------------------------------------------------------------------

    def keys(self, path: str, obj: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str] = ()) -> None:
        allowed_set = frozenset(allowed)
        for key in obj:
            if key not in allowed_set:
                self.add(path, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed_set))})")
        for key in required:
            if key not in obj:
                self.add(path, f"missing required key {key!r}")

    def string(self, path: str, value: Any, max_len: int, *, min_len: int = 0) -> None:
        if not isinstance(value, str):
            self.add(path, f"must be a string, got {type(value).__name__}")
        elif len(value) > max_len:
            self.add(path, f"is {len(value)} characters; max {max_len}")
        elif len(value) < min_len:
            self.add(path, f"is {len(value)} characters; min {min_len}")

    def boolean(self, path: str, value: Any) -> None:
        if not isinstance(value, bool):
            self.add(path, f"must be a boolean, got {value!r}")

    def dict_or_report(self, path: str, value: Any) -> bool:
        if isinstance(value, Mapping):
            return True
        self.add(path, f"must be an object, got {type(value).__name__}")
        return False

    def list_or_report(self, path: str, value: Any, *, min_len: int, max_len: int, what: str) -> bool:
        if not isinstance(value, list):
            self.add(path, f"must be a list, got {type(value).__name__}")
            return False
        if len(value) < min_len:
            self.add(path, f"has {len(value)} {what}; min {min_len}")
        if len(value) > max_len:
            self.add(path, f"has {len(value)} {what}; max {max_len}")
        return True

    def text_object(
        self, path: str, obj: Any, *, max_len: int, plain_only: bool = False, strip_min: bool = False
    ) -> None:
        """A composition text object: {type: plain_text|mrkdwn, text: non-empty string}."""
        if not self.dict_or_report(path, obj):
            return
        kind = obj.get("type")
        allowed_types = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if kind not in allowed_types:
            self.add(f"{path}.type", f"must be {' or '.join(allowed_types)}, got {kind!r}")
        else:
            self.keys(path, obj, _TEXT_KEYS[kind], ("text",))
            for flag in ("emoji", "verbatim"):
                if flag in obj:
                    self.boolean(f"{path}.{flag}", obj[flag])
        text = obj.get("text")
        if "text" in obj:
            self.string(f"{path}.text", text, max_len, min_len=1)
            if strip_min and isinstance(text, str) and text and not text.strip():
                self.add(f"{path}.text", "is only whitespace; Slack requires at least one visible character")

    def block_id(self, path: str, value: Any) -> None:
        self.string(f"{path}.block_id", value, 255, min_len=1)
        if isinstance(value, str):
            if value in self.block_ids:
                self.add(f"{path}.block_id", f"duplicate block_id {value!r} (first used at {self.block_ids[value]})")
            else:
                self.block_ids[value] = path

    def action_id(self, path: str, value: Any, scope: dict[str, str]) -> None:
        self.string(f"{path}.action_id", value, 255, min_len=1)
        if isinstance(value, str):
            if value in scope:
                self.add(f"{path}.action_id", f"duplicate action_id {value!r} (first used at {scope[value]})")
            else:
                scope[value] = path

    # -- composition objects ----------------------------------------------------------------------------------

    def confirm(self, path: str, obj: Any) -> None:
        if not self.dict_or_report(path, obj):
            return
        self.keys(path, obj, ("title", "text", "confirm", "deny", "style"), ("title", "text", "confirm", "deny"))
        if "title" in obj:
            self.text_object(f"{path}.title", obj["title"], max_len=100, plain_only=True)
        if "text" in obj:
            self.text_object(f"{path}.text", obj["text"], max_len=300)
        for key in ("confirm", "deny"):
            if key in obj:
                self.text_object(f"{path}.{key}", obj[key], max_len=30, plain_only=True)
        if "style" in obj and obj["style"] not in ("primary", "danger"):
            self.add(f"{path}.style", f"must be 'primary' or 'danger', got {obj['style']!r}")

    def option(self, path: str, obj: Any, *, plain_only: bool, url_allowed: bool = False) -> None:
        if not self.dict_or_report(path, obj):
            return
        allowed = {"text", "value", "description"} | ({"url"} if url_allowed else set())
        self.keys(path, obj, allowed, ("text", "value"))
        if "text" in obj:
            self.text_object(f"{path}.text", obj["text"], max_len=75, plain_only=plain_only)
        if "value" in obj:
            self.string(f"{path}.value", obj["value"], 150, min_len=1)
        if "description" in obj:
            self.text_object(f"{path}.description", obj["description"], max_len=75, plain_only=plain_only)
        if "url" in obj:
            self.string(f"{path}.url", obj["url"], 3000, min_len=1)

    def options(
        self, path: str, value: Any, *, max_len: int, plain_only: bool = True, url_allowed: bool = False
    ) -> list[Any]:
        if not self.list_or_report(path, value, min_len=1, max_len=max_len, what="options"):
            return []
        for i, opt in enumerate(value):
            self.option(f"{path}[{i}]", opt, plain_only=plain_only, url_allowed=url_allowed)
        return list(value)

    def initial_options(self, path: str, value: Any, options: list[Any], *, single: bool) -> None:
        chosen = [value] if single else value
        if not isinstance(chosen, list):
            self.add(path, "must be a list of options")
            return
        values = {o.get("value") for o in options if isinstance(o, Mapping)}
        for opt in chosen:
            if not isinstance(opt, Mapping) or opt.get("value") not in values:
                self.add(path, f"{opt!r} is not one of the element's options")

    # -- elements ---------------------------------------------------------------------------------------------

    def element(self, path: str, obj: Any, allowed_types: frozenset[str], ids: dict[str, str]) -> None:
        if not self.dict_or_report(path, obj):
            return
        kind = obj.get("type")
        if kind not in allowed_types:
            allowed = ", ".join(sorted(allowed_types))
            self.add(f"{path}.type", f"element type {kind!r} is not allowed here (allowed: {allowed})")
            return
        if kind in _ELEMENT_KEYS:
            self.keys(path, obj, _ELEMENT_KEYS[kind])
        if "action_id" in obj:
            self.action_id(path, obj["action_id"], ids)
        if "placeholder" in obj:
            self.text_object(f"{path}.placeholder", obj["placeholder"], max_len=150, plain_only=True)
        if "confirm" in obj:
            self.confirm(f"{path}.confirm", obj["confirm"])
        if "focus_on_load" in obj:
            self.boolean(f"{path}.focus_on_load", obj["focus_on_load"])
        check = getattr(self, f"_element_{kind}", None)
        if check is not None:
            check(path, obj)

    def _element_button(self, path: str, obj: Mapping[str, Any]) -> None:
        if "text" not in obj:
            self.add(path, "missing required key 'text'")
        else:
            self.text_object(f"{path}.text", obj["text"], max_len=75, plain_only=True)
        if "value" in obj:
            self.string(f"{path}.value", obj["value"], 2000, min_len=1)
        if "url" in obj:
            self.string(f"{path}.url", obj["url"], 3000, min_len=1)
        if "accessibility_label" in obj:
            self.string(f"{path}.accessibility_label", obj["accessibility_label"], 75, min_len=1)
        if "style" in obj and obj["style"] not in ("primary", "danger"):
            self.add(f"{path}.style", f"must be 'primary' or 'danger' (omit it for default), got {obj['style']!r}")

    def _static_select(self, path: str, obj: Mapping[str, Any], *, single: bool) -> None:
        has_options, has_groups = "options" in obj, "option_groups" in obj
        if has_options == has_groups:
            self.add(path, "needs exactly one of 'options' or 'option_groups'")
        options: list[Any] = []
        if has_options:
            options = self.options(f"{path}.options", obj["options"], max_len=100)
        if has_groups:
            groups = obj["option_groups"]
            if self.list_or_report(f"{path}.option_groups", groups, min_len=1, max_len=100, what="groups"):
                for i, group in enumerate(groups):
                    gpath = f"{path}.option_groups[{i}]"
                    if not self.dict_or_report(gpath, group):
                        continue
                    self.keys(gpath, group, ("label", "options"), ("label", "options"))
                    if "label" in group:
                        self.text_object(f"{gpath}.label", group["label"], max_len=75, plain_only=True)
                    options += self.options(f"{gpath}.options", group.get("options"), max_len=100)
        key = "initial_option" if single else "initial_options"
        if key in obj:
            self.initial_options(f"{path}.{key}", obj[key], options, single=single)

    def _element_static_select(self, path: str, obj: Mapping[str, Any]) -> None:
        self._static_select(path, obj, single=True)

    def _element_multi_static_select(self, path: str, obj: Mapping[str, Any]) -> None:
        self._static_select(path, obj, single=False)

    def _element_overflow(self, path: str, obj: Mapping[str, Any]) -> None:
        if "options" not in obj:
            self.add(path, "missing required key 'options'")
        else:
            self.options(f"{path}.options", obj["options"], max_len=5, url_allowed=True)

    def _required_options(self, path: str, obj: Mapping[str, Any]) -> list[Any]:
        if "options" not in obj:
            self.add(path, "missing required key 'options'")
            return []
        return self.options(f"{path}.options", obj["options"], max_len=10, plain_only=False)

    def _element_checkboxes(self, path: str, obj: Mapping[str, Any]) -> None:
        options = self._required_options(path, obj)
        if "initial_options" in obj:
            self.initial_options(f"{path}.initial_options", obj["initial_options"], options, single=False)

    def _element_radio_buttons(self, path: str, obj: Mapping[str, Any]) -> None:
        options = self._required_options(path, obj)
        if "initial_option" in obj:
            self.initial_options(f"{path}.initial_option", obj["initial_option"], options, single=True)

    def _element_datepicker(self, path: str, obj: Mapping[str, Any]) -> None:
        date = obj.get("initial_date")
        if date is not None and not (isinstance(date, str) and _DATE.match(date)):
            self.add(f"{path}.initial_date", f"must be YYYY-MM-DD, got {date!r}")

    def _element_image(self, path: str, obj: Mapping[str, Any]) -> None:
        self._image_source(path, obj)
        if "alt_text" not in obj:
            self.add(path, "missing required key 'alt_text'")
        else:
            self.string(f"{path}.alt_text", obj["alt_text"], 2000, min_len=1)

    def _element_plain_text_input(self, path: str, obj: Mapping[str, Any]) -> None:
        if "multiline" in obj:
            self.boolean(f"{path}.multiline", obj["multiline"])
        max_len = obj.get("max_length", 3000)
        for key, low in (("min_length", 0), ("max_length", 1)):
            if key in obj:
                value = obj[key]
                if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 3000:
                    self.add(f"{path}.{key}", f"must be an integer {low}..3000, got {value!r}")
        min_len = obj.get("min_length", 0)
        if isinstance(min_len, int) and isinstance(max_len, int) and min_len > max_len:
            self.add(path, f"min_length {min_len} is greater than max_length {max_len}")
        if "initial_value" in obj:
            limit = max_len if isinstance(max_len, int) else 3000
            self.string(f"{path}.initial_value", obj["initial_value"], limit)

    def _image_source(self, path: str, obj: Mapping[str, Any]) -> None:
        if ("image_url" in obj) == ("slack_file" in obj):
            self.add(path, "needs exactly one of 'image_url' or 'slack_file'")
        if "image_url" in obj:
            self.string(f"{path}.image_url", obj["image_url"], 3000, min_len=1)

    # -- blocks -----------------------------------------------------------------------------------------------

    def block(self, path: str, block: Any, surface: Surface) -> None:
        if not self.dict_or_report(path, block):
            return
        kind = block.get("type")
        if kind not in _BLOCK_KEYS:
            self.add(f"{path}.type", f"unknown block type {kind!r} (known: {', '.join(KNOWN_BLOCK_TYPES)})")
            return
        path = f"{path} ({kind})"
        self.keys(path, block, _BLOCK_KEYS[kind], _BLOCK_REQUIRED.get(kind, ()))
        if "block_id" in block:
            self.block_id(path, block["block_id"])
        # Per-message scope by default; per-block scope starts afresh for every block.
        ids = self.action_ids if self.unique_action_ids_per == "message" else {}
        getattr(self, f"_block_{kind}")(path, block, ids, surface)

    def _block_section(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        if "text" not in block and "fields" not in block:
            self.add(path, "needs 'text' or 'fields'")
        if "text" in block:
            self.text_object(f"{path}.text", block["text"], max_len=3000, strip_min=True)
        if "fields" in block:
            fields = block["fields"]
            if self.list_or_report(f"{path}.fields", fields, min_len=1, max_len=10, what="fields"):
                for i, field in enumerate(fields):
                    self.text_object(f"{path}.fields[{i}]", field, max_len=2000)
        if "accessory" in block:
            self.element(f"{path}.accessory", block["accessory"], _ACCESSORY_TYPES, ids)
        if "expand" in block:
            self.boolean(f"{path}.expand", block["expand"])

    def _block_header(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        if "text" in block:
            self.text_object(f"{path}.text", block["text"], max_len=150, plain_only=True)

    def _block_divider(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        pass

    def _block_context(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        elements: Any = block.get("elements")
        if "elements" not in block or not self.list_or_report(
            f"{path}.elements", elements, min_len=1, max_len=10, what="elements"
        ):
            return
        for i, element in enumerate(elements):
            epath = f"{path}.elements[{i}]"
            if isinstance(element, Mapping) and element.get("type") == "image":
                self.element(epath, element, frozenset({"image"}), ids)
            else:
                self.text_object(epath, element, max_len=2000)

    def _block_actions(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        elements: Any = block.get("elements")
        if "elements" in block and self.list_or_report(
            f"{path}.elements", elements, min_len=1, max_len=25, what="elements"
        ):
            for i, element in enumerate(elements):
                self.element(f"{path}.elements[{i}]", element, _ACTIONS_TYPES, ids)

    def _block_input(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        if "label" in block:
            self.text_object(f"{path}.label", block["label"], max_len=2000, plain_only=True)
        if "hint" in block:
            self.text_object(f"{path}.hint", block["hint"], max_len=2000, plain_only=True)
        if "element" in block:
            self.element(f"{path}.element", block["element"], _INPUT_TYPES, ids)
        for flag in ("optional", "dispatch_action"):
            if flag in block:
                self.boolean(f"{path}.{flag}", block[flag])

    def _block_image(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        self._image_source(path, block)
        if "alt_text" in block:
            self.string(f"{path}.alt_text", block["alt_text"], 2000, min_len=1)
        if "title" in block:
            self.text_object(f"{path}.title", block["title"], max_len=2000, plain_only=True)

    def _block_rich_text(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        # Shallow on purpose: the bot renders mrkdwn sections, so only the outer shape is worth checking.
        elements: Any = block.get("elements")
        if "elements" not in block or not self.list_or_report(
            f"{path}.elements", elements, min_len=1, max_len=10_000, what="elements"
        ):
            return
        for i, element in enumerate(elements):
            epath = f"{path}.elements[{i}]"
            if not self.dict_or_report(epath, element):
                continue
            if element.get("type") not in _RICH_TEXT_TYPES:
                self.add(f"{epath}.type", f"must be one of {', '.join(sorted(_RICH_TEXT_TYPES))}")
            if not isinstance(element.get("elements"), list):
                self.add(f"{epath}.elements", "must be a list")

    def _block_markdown(self, path: str, block: Mapping[str, Any], ids: dict[str, str], surface: Surface) -> None:
        if "text" in block:
            self.string(f"{path}.text", block["text"], 12_000, min_len=1)

    def blocks(self, path: str, blocks: Any, surface: Surface) -> None:
        limit = MAX_BLOCKS[surface]
        if not isinstance(blocks, list):
            self.add(path, f"must be a list, got {type(blocks).__name__}")
            return
        if len(blocks) > limit:
            self.add(path, f"has {len(blocks)} blocks; max {limit} for a {surface}")
        for i, block in enumerate(blocks):
            self.block(f"{path}[{i}]", block, surface)


def validate_blocks(
    blocks: Any, *, surface: Surface = "message", unique_action_ids_per: Literal["message", "block"] = "message"
) -> list[str]:
    """Problems with a ``blocks`` array for ``surface`` (message: ≤50 blocks, modal/home: ≤100)."""
    checker = _Checker(unique_action_ids_per=unique_action_ids_per)
    checker.blocks("blocks", blocks, surface)
    return checker.problems


def validate_view(view: Any, *, unique_action_ids_per: Literal["message", "block"] = "message") -> list[str]:
    """Problems with a modal or Home tab view object (as passed to views.open/publish/update/push)."""
    checker = _Checker(unique_action_ids_per=unique_action_ids_per)
    if not checker.dict_or_report("view", view):
        return checker.problems
    kind = view.get("type")
    common = {"type", "blocks", "private_metadata", "callback_id", "external_id"}
    if kind == "modal":
        allowed = common | {"title", "close", "submit", "clear_on_close", "notify_on_close", "submit_disabled"}
        checker.keys("view", view, allowed, ("title", "blocks"))
        if "title" in view:
            checker.text_object("view.title", view["title"], max_len=24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                checker.text_object(f"view.{key}", view[key], max_len=24, plain_only=True)
        for key in ("clear_on_close", "notify_on_close", "submit_disabled"):
            if key in view:
                checker.boolean(f"view.{key}", view[key])
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and "submit" not in view:
            checker.add("view", "a modal with input blocks needs a 'submit' button")
    elif kind == "home":
        checker.keys("view", view, common, ("blocks",))
    else:
        checker.add("view.type", f"must be 'modal' or 'home', got {kind!r}")
        return checker.problems
    if "private_metadata" in view:
        checker.string("view.private_metadata", view["private_metadata"], 3000)
    for key in ("callback_id", "external_id"):
        if key in view:
            checker.string(f"view.{key}", view[key], 255)
    if "blocks" in view:
        checker.blocks("view.blocks", view["blocks"], kind)
    return checker.problems


MAX_MESSAGE_TEXT = 40_000


def validate_message(payload: Mapping[str, Any], *, require_content: bool = True) -> list[str]:
    """Problems with a message-like payload (chat.postMessage args, an ack body, a response_url post).

    Checks ``blocks``, the 40,000-character cap on top-level ``text`` and, with ``require_content``, that there
    is something to show. A missing fallback ``text`` beside blocks is not a problem here (the fake warns).
    """
    problems: list[str] = []
    if not isinstance(payload, Mapping):
        return [f"payload: must be an object, got {type(payload).__name__}"]
    blocks = payload.get("blocks")
    if blocks is not None:
        problems += validate_blocks(blocks)
    text = payload.get("text")
    if text is not None and not isinstance(text, str):
        problems.append(f"text: must be a string, got {type(text).__name__}")
    elif isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        problems.append(f"text: is {len(text)} characters; max {MAX_MESSAGE_TEXT}")
    has_text = isinstance(text, str) and bool(text.strip())
    if require_content and not has_text and not blocks and not payload.get("attachments"):
        problems.append("message has neither text nor blocks")
    return problems
