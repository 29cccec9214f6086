"""Discord's payload limits, checked the way Discord's API checks them (discord.py checks few of them locally).

Every validator returns a list of human-readable problems (``"embeds[0].title: 300 > 256 characters"``); an empty
list means Discord would accept the payload. Sources: discord/discord-api-docs (message.mdx "Embed Limits",
components/reference.mdx, interactions/application-commands.mdx, receiving-and-responding.mdx).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Messages and embeds.
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR = 256
MAX_EMBED_TOTAL = 6000
MAX_FILES = 10

# Components (legacy action-row layout and Components V2).
MAX_ACTION_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_BUTTON_LABEL = 80
MAX_CUSTOM_ID = 100
MAX_LINK_URL = 512
MAX_SELECT_OPTIONS = 25
MAX_SELECT_TEXT = 100
MAX_SELECT_PLACEHOLDER = 150
MAX_V2_COMPONENTS = 40
MAX_V2_TEXT = 4000

# Autocomplete, modals, commands.
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_STRING_VALUE = 100
MAX_MODAL_TITLE = 45
MAX_MODAL_ROWS = 5
MAX_TEXT_INPUT_LABEL = 45
MAX_TEXT_INPUT_VALUE = 4000
MAX_TEXT_INPUT_PLACEHOLDER = 100
MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100
MAX_OPTIONS = 25
MAX_COMMAND_TOTAL_CHARS = 4000

# Message flags a bot may set when sending (others are set by Discord).
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15
SETTABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2

BUTTON_LINK = 5
BUTTON_PREMIUM = 6
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
V2_TOP_LEVEL_TYPES = frozenset({1, 9, 10, 12, 13, 14, 17})

# Text that pings (or, for links, masks a destination) when a message goes out without allowed_mentions.parse == [].
MENTION_MARKERS = ("@everyone", "@here", "<@", "<@&", "<#", "](http")


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _check_str(
    errors: list[str], where: str, value: Any, *, max_len: int, min_len: int = 0, required: bool = False
) -> None:
    if value is None:
        if required:
            errors.append(f"{where}: required")
        return
    if not isinstance(value, str):
        errors.append(f"{where}: must be a string, got {type(value).__name__}")
        return
    if len(value) > max_len:
        errors.append(f"{where}: {len(value)} > {max_len} characters")
    if len(value) < min_len:
        errors.append(f"{where}: shorter than {min_len} characters")


def embed_total(embeds: Iterable[Mapping[str, Any]]) -> int:
    """Characters Discord counts towards the 6000 limit shared by all embeds of a message."""
    total = 0
    for embed in embeds:
        total += _text_len(embed.get("title")) + _text_len(embed.get("description"))
        for field in embed.get("fields") or []:
            total += _text_len(field.get("name")) + _text_len(field.get("value"))
        total += _text_len((embed.get("footer") or {}).get("text"))
        total += _text_len((embed.get("author") or {}).get("name"))
    return total


def validate_embeds(embeds: Any) -> list[str]:
    """Embed count, per-field and total length limits."""
    errors: list[str] = []
    if embeds is None:
        return errors
    if not isinstance(embeds, list):
        return ["embeds: must be a list"]
    if len(embeds) > MAX_EMBEDS:
        errors.append(f"embeds: {len(embeds)} > {MAX_EMBEDS} embeds")
    for i, embed in enumerate(embeds):
        where = f"embeds[{i}]"
        if not isinstance(embed, dict):
            errors.append(f"{where}: must be an object")
            continue
        _check_str(errors, f"{where}.title", embed.get("title"), max_len=MAX_EMBED_TITLE)
        _check_str(errors, f"{where}.description", embed.get("description"), max_len=MAX_EMBED_DESCRIPTION)
        fields = embed.get("fields") or []
        if len(fields) > MAX_EMBED_FIELDS:
            errors.append(f"{where}.fields: {len(fields)} > {MAX_EMBED_FIELDS} fields")
        for j, field in enumerate(fields):
            fwhere = f"{where}.fields[{j}]"
            for key, limit in (("name", MAX_FIELD_NAME), ("value", MAX_FIELD_VALUE)):
                value = field.get(key)
                _check_str(errors, f"{fwhere}.{key}", value, max_len=limit, required=True)
                if isinstance(value, str) and not value.strip():
                    errors.append(f"{fwhere}.{key}: must not be empty or whitespace")
        footer = embed.get("footer")
        if footer is not None:
            _check_str(errors, f"{where}.footer.text", footer.get("text"), max_len=MAX_FOOTER, required=True)
        author = embed.get("author")
        if author is not None:
            _check_str(errors, f"{where}.author.name", author.get("name"), max_len=MAX_AUTHOR, required=True)
        colour = embed.get("color")
        if colour is not None and (not isinstance(colour, int) or not 0 <= colour <= 0xFFFFFF):
            errors.append(f"{where}.color: must be an integer 0..0xFFFFFF")
    total = embed_total(e for e in embeds if isinstance(e, dict))
    if total > MAX_EMBED_TOTAL:
        errors.append(f"embeds: {total} > {MAX_EMBED_TOTAL} characters in total")
    return errors


def _validate_button(errors: list[str], where: str, button: Mapping[str, Any], custom_ids: list[str]) -> None:
    style = button.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errors.append(f"{where}.style: must be 1..6, got {style!r}")
    _check_str(errors, f"{where}.label", button.get("label"), max_len=MAX_BUTTON_LABEL)
    if style == BUTTON_LINK:
        _check_str(errors, f"{where}.url", button.get("url"), max_len=MAX_LINK_URL, min_len=1, required=True)
        if "custom_id" in button:
            errors.append(f"{where}: a link button cannot have a custom_id")
    elif style == BUTTON_PREMIUM:
        if not button.get("sku_id"):
            errors.append(f"{where}: a premium button needs sku_id")
    else:
        if "url" in button:
            errors.append(f"{where}: only link buttons may have a url")
        _collect_custom_id(errors, where, button, custom_ids)
    if style != BUTTON_PREMIUM and not button.get("label") and not button.get("emoji"):
        errors.append(f"{where}: a button needs a label or an emoji")


def _collect_custom_id(errors: list[str], where: str, component: Mapping[str, Any], custom_ids: list[str]) -> None:
    custom_id = component.get("custom_id")
    _check_str(errors, f"{where}.custom_id", custom_id, max_len=MAX_CUSTOM_ID, min_len=1, required=True)
    if isinstance(custom_id, str):
        if custom_id in custom_ids:
            errors.append(f"{where}.custom_id: {custom_id!r} is not unique in the message")
        custom_ids.append(custom_id)


def _validate_select(errors: list[str], where: str, select: Mapping[str, Any], custom_ids: list[str]) -> None:
    _collect_custom_id(errors, where, select, custom_ids)
    _check_str(errors, f"{where}.placeholder", select.get("placeholder"), max_len=MAX_SELECT_PLACEHOLDER)
    min_values = select.get("min_values", 1)
    max_values = select.get("max_values", 1)
    if not isinstance(min_values, int) or not 0 <= min_values <= MAX_SELECT_OPTIONS:
        errors.append(f"{where}.min_values: must be 0..{MAX_SELECT_OPTIONS}")
    if not isinstance(max_values, int) or not 1 <= max_values <= MAX_SELECT_OPTIONS:
        errors.append(f"{where}.max_values: must be 1..{MAX_SELECT_OPTIONS}")
    elif isinstance(min_values, int) and min_values > max_values:
        errors.append(f"{where}: min_values > max_values")
    if select.get("type") != 3:
        return
    options = select.get("options") or []
    if not 1 <= len(options) <= MAX_SELECT_OPTIONS:
        errors.append(f"{where}.options: must have 1..{MAX_SELECT_OPTIONS} options, got {len(options)}")
    if isinstance(max_values, int) and options and max_values > len(options):
        errors.append(f"{where}.max_values: {max_values} > {len(options)} options")
    values: set[str] = set()
    for k, option in enumerate(options):
        owhere = f"{where}.options[{k}]"
        _check_str(errors, f"{owhere}.label", option.get("label"), max_len=MAX_SELECT_TEXT, min_len=1, required=True)
        value = option.get("value")
        _check_str(errors, f"{owhere}.value", value, max_len=MAX_SELECT_TEXT, min_len=1, required=True)
        _check_str(errors, f"{owhere}.description", option.get("description"), max_len=MAX_SELECT_TEXT)
        if isinstance(value, str):
            if value in values:
                errors.append(f"{owhere}.value: {value!r} is not unique")
            values.add(value)


def _validate_row(errors: list[str], where: str, row: Mapping[str, Any], custom_ids: list[str]) -> None:
    if row.get("type") != 1:
        errors.append(f"{where}: top-level components must be action rows (type 1), got {row.get('type')!r}")
        return
    children = row.get("components") or []
    if not children:
        errors.append(f"{where}.components: an action row needs at least one component")
    selects = [c for c in children if c.get("type") in SELECT_TYPES]
    if selects and len(children) != 1:
        errors.append(f"{where}: a select menu must be alone in its action row")
    if len(children) > MAX_BUTTONS_PER_ROW:
        errors.append(f"{where}.components: {len(children)} > {MAX_BUTTONS_PER_ROW} per row")
    for j, child in enumerate(children):
        cwhere = f"{where}.components[{j}]"
        if child.get("type") == 2:
            _validate_button(errors, cwhere, child, custom_ids)
        elif child.get("type") in SELECT_TYPES:
            _validate_select(errors, cwhere, child, custom_ids)
        else:
            errors.append(f"{cwhere}: type {child.get('type')!r} is not allowed in a message action row")


def _walk(components: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                yield from _walk([component[key]])


def validate_components(components: Any, *, v2: bool = False) -> list[str]:
    """Legacy layout: at most 5 action rows of at most 5 buttons or one select. V2: at most 40 components."""
    errors: list[str] = []
    if components is None:
        return errors
    if not isinstance(components, list):
        return ["components: must be a list"]
    custom_ids: list[str] = []
    if not v2:
        if len(components) > MAX_ACTION_ROWS:
            errors.append(f"components: {len(components)} > {MAX_ACTION_ROWS} action rows")
        for i, row in enumerate(components):
            _validate_row(errors, f"components[{i}]", row, custom_ids)
        return errors
    everything = list(_walk(components))
    if len(everything) > MAX_V2_COMPONENTS:
        errors.append(f"components: {len(everything)} > {MAX_V2_COMPONENTS} components in total")
    text = sum(_text_len(c.get("content")) for c in everything if c.get("type") == 10)
    if text > MAX_V2_TEXT:
        errors.append(f"components: {text} > {MAX_V2_TEXT} characters of text display")
    for i, component in enumerate(components):
        if component.get("type") not in V2_TOP_LEVEL_TYPES:
            errors.append(f"components[{i}]: type {component.get('type')!r} is not allowed at the top level")
        elif component.get("type") == 1:
            _validate_row(errors, f"components[{i}]", component, custom_ids)
    return errors


def validate_allowed_mentions(allowed: Any) -> list[str]:
    """Shape of allowed_mentions: parse types, and parse vs. explicit id lists being exclusive."""
    if allowed is None:
        return []
    if not isinstance(allowed, dict):
        return ["allowed_mentions: must be an object"]
    errors: list[str] = []
    parse = allowed.get("parse", [])
    if not isinstance(parse, list) or not set(parse) <= {"users", "roles", "everyone"}:
        errors.append(f"allowed_mentions.parse: invalid {parse!r}")
        parse = []
    for key in ("users", "roles"):
        ids = allowed.get(key)
        if ids is None:
            continue
        if key in parse:
            errors.append(f"allowed_mentions: parse {key!r} and {key} are mutually exclusive")
        if len(ids) > 100:
            errors.append(f"allowed_mentions.{key}: more than 100 ids")
    return errors


def is_empty_message(message: Mapping[str, Any]) -> bool:
    """True when a message would have nothing to show (Discord answers 50006 Cannot send an empty message)."""
    return not (
        message.get("content")
        or message.get("embeds")
        or message.get("components")
        or message.get("attachments")
        or message.get("sticker_ids")
        or message.get("poll")
    )


def validate_message(payload: Mapping[str, Any], *, partial: bool = False, ephemeral_allowed: bool = True) -> list[str]:
    """Limits of a message create/edit body.

    ``partial`` is for edits (PATCH): fields absent from the body keep their stored value, so emptiness is checked
    by the caller on the merged message. ``ephemeral_allowed`` is False for channel messages, where flag 64 is
    meaningless.
    """
    errors: list[str] = []
    if not isinstance(payload, Mapping):
        return ["body: must be a JSON object"]
    content = payload.get("content")
    _check_str(errors, "content", content, max_len=MAX_CONTENT)
    flags = payload.get("flags") or 0
    if not isinstance(flags, int):
        errors.append("flags: must be an integer")
        flags = 0
    if flags & ~SETTABLE_FLAGS:
        errors.append(f"flags: {flags & ~SETTABLE_FLAGS} cannot be set by a bot")
    if flags & FLAG_EPHEMERAL and not ephemeral_allowed:
        errors.append("flags: EPHEMERAL (64) only applies to interaction responses")
    v2 = bool(flags & FLAG_COMPONENTS_V2)
    if v2 and (content or payload.get("embeds")):
        errors.append("flags: IS_COMPONENTS_V2 forbids content and embeds")
    errors += validate_embeds(payload.get("embeds"))
    errors += validate_components(payload.get("components"), v2=v2)
    errors += validate_allowed_mentions(payload.get("allowed_mentions"))
    attachments = payload.get("attachments") or []
    if len(attachments) > MAX_FILES:
        errors.append(f"attachments: {len(attachments)} > {MAX_FILES} files")
    if not partial and is_empty_message(payload):
        errors.append("message: cannot send an empty message (content, embeds, components and files all empty)")
    return errors


def validate_autocomplete(choices: Any) -> list[str]:
    """Autocomplete result: at most 25 choices, names 1-100, string values at most 100."""
    if not isinstance(choices, list):
        return ["choices: must be a list"]
    errors: list[str] = []
    if len(choices) > MAX_CHOICES:
        errors.append(f"choices: {len(choices)} > {MAX_CHOICES} choices")
    errors += _validate_choices(choices, "choices")
    return errors


def _validate_choices(choices: Sequence[Any], where: str) -> list[str]:
    errors: list[str] = []
    for i, choice in enumerate(choices):
        cwhere = f"{where}[{i}]"
        if not isinstance(choice, dict):
            errors.append(f"{cwhere}: must be an object")
            continue
        _check_str(errors, f"{cwhere}.name", choice.get("name"), max_len=MAX_CHOICE_NAME, min_len=1, required=True)
        for locale, name in (choice.get("name_localizations") or {}).items():
            _check_str(errors, f"{cwhere}.name_localizations.{locale}", name, max_len=MAX_CHOICE_NAME, min_len=1)
        value = choice.get("value")
        if isinstance(value, str):
            _check_str(errors, f"{cwhere}.value", value, max_len=MAX_CHOICE_STRING_VALUE)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(f"{cwhere}.value: must be a string or a number, got {type(value).__name__}")
    return errors


def _validate_text_input(
    errors: list[str], where: str, text_input: Mapping[str, Any], custom_ids: list[str], *, labelled: bool
) -> None:
    if text_input.get("type") != 4:
        errors.append(f"{where}: expected a text input (type 4), got {text_input.get('type')!r}")
        return
    _collect_custom_id(errors, where, text_input, custom_ids)
    if text_input.get("style") not in (1, 2):
        errors.append(f"{where}.style: must be 1 (short) or 2 (paragraph)")
    label = text_input.get("label")
    if labelled:
        if label is not None:
            errors.append(f"{where}.label: a text input inside a label component takes no label of its own")
    else:
        _check_str(errors, f"{where}.label", label, max_len=MAX_TEXT_INPUT_LABEL, min_len=1, required=True)
    _check_str(errors, f"{where}.placeholder", text_input.get("placeholder"), max_len=MAX_TEXT_INPUT_PLACEHOLDER)
    value = text_input.get("value")
    _check_str(errors, f"{where}.value", value, max_len=MAX_TEXT_INPUT_VALUE)
    min_length = text_input.get("min_length")
    max_length = text_input.get("max_length")
    if min_length is not None and not (isinstance(min_length, int) and 0 <= min_length <= MAX_TEXT_INPUT_VALUE):
        errors.append(f"{where}.min_length: must be 0..{MAX_TEXT_INPUT_VALUE}")
    if max_length is not None and not (isinstance(max_length, int) and 1 <= max_length <= MAX_TEXT_INPUT_VALUE):
        errors.append(f"{where}.max_length: must be 1..{MAX_TEXT_INPUT_VALUE}")
    if isinstance(min_length, int) and isinstance(max_length, int) and min_length > max_length:
        errors.append(f"{where}: min_length > max_length")
    if isinstance(value, str) and isinstance(max_length, int) and len(value) > max_length:
        errors.append(f"{where}.value: longer than its max_length {max_length}")


def modal_text_inputs(components: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The text inputs of a modal, whether they sit in action rows (type 1) or label components (type 18)."""
    found: list[Mapping[str, Any]] = []
    for component in components:
        if component.get("type") == 1:
            found += [c for c in component.get("components") or [] if c.get("type") == 4]
        elif component.get("type") == 18 and (component.get("component") or {}).get("type") == 4:
            found.append(component["component"])
    return found


def validate_modal(data: Any) -> list[str]:
    """Modal (interaction callback type 9): custom_id, title ≤45, 1-5 rows each holding one text input."""
    if not isinstance(data, Mapping):
        return ["data: must be an object"]
    errors: list[str] = []
    custom_ids: list[str] = []
    _check_str(errors, "custom_id", data.get("custom_id"), max_len=MAX_CUSTOM_ID, min_len=1, required=True)
    _check_str(errors, "title", data.get("title"), max_len=MAX_MODAL_TITLE, min_len=1, required=True)
    components = data.get("components") or []
    if not 1 <= len(components) <= MAX_MODAL_ROWS:
        errors.append(f"components: a modal needs 1..{MAX_MODAL_ROWS} components, got {len(components)}")
    for i, component in enumerate(components):
        where = f"components[{i}]"
        kind = component.get("type")
        if kind == 1:
            children = component.get("components") or []
            if len(children) != 1:
                errors.append(f"{where}: an action row in a modal holds exactly one text input")
            for j, child in enumerate(children):
                _validate_text_input(errors, f"{where}.components[{j}]", child, custom_ids, labelled=False)
        elif kind == 18:
            _check_str(errors, f"{where}.label", component.get("label"), max_len=MAX_TEXT_INPUT_LABEL, min_len=1)
            _check_str(errors, f"{where}.description", component.get("description"), max_len=100)
            inner = component.get("component") or {}
            if inner.get("type") == 4:
                _validate_text_input(errors, f"{where}.component", inner, custom_ids, labelled=True)
            elif inner.get("type") in SELECT_TYPES:
                _validate_select(errors, f"{where}.component", inner, custom_ids)
            else:
                errors.append(f"{where}.component: type {inner.get('type')!r} is not allowed in a modal label")
        elif kind != 10:
            errors.append(f"{where}: type {kind!r} is not allowed at the top level of a modal")
    return errors


def _command_name_ok(name: str, command_type: int) -> bool:
    if not 1 <= len(name) <= MAX_COMMAND_NAME:
        return False
    if command_type != 1:
        # User and message commands may use capitals and spaces.
        return True
    return all((ch.isalnum() or ch in "-_'") and ch == ch.lower() for ch in name)


def _option_chars(option: Mapping[str, Any]) -> int:
    total = _text_len(option.get("name")) + _text_len(option.get("description"))
    total += sum(_text_len(c.get("name")) + _text_len(c.get("value")) for c in option.get("choices") or [])
    return total + sum(_option_chars(o) for o in option.get("options") or [])


def _validate_options(errors: list[str], where: str, options: Sequence[Mapping[str, Any]], *, depth: int) -> None:
    if len(options) > MAX_OPTIONS:
        errors.append(f"{where}: {len(options)} > {MAX_OPTIONS} options")
    names: set[str] = set()
    seen_optional = False
    kinds = [o.get("type") for o in options]
    if any(k in (1, 2) for k in kinds) and not all(k in (1, 2) for k in kinds):
        errors.append(f"{where}: subcommands cannot be mixed with other option types")
    for i, option in enumerate(options):
        owhere = f"{where}[{i}]"
        name = option.get("name")
        kind = option.get("type")
        if not isinstance(name, str) or not _command_name_ok(name, 1):
            errors.append(f"{owhere}.name: {name!r} must be 1-{MAX_COMMAND_NAME} lowercase characters")
        elif name in names:
            errors.append(f"{owhere}.name: {name!r} is not unique")
        else:
            names.add(name)
        description = option.get("description")
        _check_str(
            errors, f"{owhere}.description", description, max_len=MAX_COMMAND_DESCRIPTION, min_len=1, required=True
        )
        if not isinstance(kind, int) or not 1 <= kind <= 11:
            errors.append(f"{owhere}.type: must be 1..11, got {kind!r}")
            continue
        if kind == 2:
            if depth != 0:
                errors.append(f"{owhere}: subcommand groups can only be at the top level")
            children = option.get("options") or []
            if any(child.get("type") != 1 for child in children):
                errors.append(f"{owhere}.options: a subcommand group holds only subcommands")
            _validate_options(errors, f"{owhere}.options", children, depth=depth + 1)
            continue
        if kind == 1:
            if depth > 1:
                errors.append(f"{owhere}: subcommands nest at most two levels deep")
            _validate_options(errors, f"{owhere}.options", option.get("options") or [], depth=depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                errors.append(f"{owhere}: required options must come before optional ones")
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            errors.append(f"{owhere}: autocomplete and choices are mutually exclusive")
        if choices and kind not in (3, 4, 10):
            errors.append(f"{owhere}.choices: only string, integer and number options take choices")
        if len(choices) > MAX_CHOICES:
            errors.append(f"{owhere}.choices: {len(choices)} > {MAX_CHOICES} choices")
        errors.extend(_validate_choices(choices, f"{owhere}.choices"))
        for key in ("min_length", "max_length"):
            value = option.get(key)
            if value is not None and (kind != 3 or not isinstance(value, int) or not 0 <= value <= 6000):
                errors.append(f"{owhere}.{key}: only for string options, 0..6000")


def validate_commands(commands: Any) -> list[str]:
    """A bulk-overwrite body (PUT .../commands): names, descriptions, option trees, choices and per-type counts."""
    if not isinstance(commands, list):
        return ["body: must be a list of commands"]
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    per_type: dict[int, int] = {}
    for i, command in enumerate(commands):
        where = f"[{i}]"
        if not isinstance(command, dict):
            errors.append(f"{where}: must be an object")
            continue
        kind = command.get("type", 1)
        name = command.get("name")
        per_type[kind] = per_type.get(kind, 0) + 1
        if kind not in (1, 2, 3, 4):
            errors.append(f"{where}.type: must be 1..4, got {kind!r}")
        if not isinstance(name, str) or not _command_name_ok(name, kind):
            errors.append(f"{where}.name: {name!r} must be 1-{MAX_COMMAND_NAME} characters (lowercase for slash)")
        elif (name, kind) in seen:
            errors.append(f"{where}.name: duplicate command {name!r}")
        else:
            seen.add((name, kind))
        description = command.get("description")
        if kind == 1:
            _check_str(
                errors, f"{where}.description", description, max_len=MAX_COMMAND_DESCRIPTION, min_len=1, required=True
            )
        elif description:
            errors.append(f"{where}.description: user and message commands take an empty description")
        options = command.get("options") or []
        if kind != 1 and options:
            errors.append(f"{where}.options: only slash commands take options")
        _validate_options(errors, f"{where}.options", options, depth=0)
        chars = _text_len(name) + _text_len(description) + sum(_option_chars(o) for o in options)
        if chars > MAX_COMMAND_TOTAL_CHARS:
            errors.append(f"{where}: {chars} > {MAX_COMMAND_TOTAL_CHARS} characters in total")
    for kind, limit in ((1, 100), (2, 15), (3, 15)):
        if per_type.get(kind, 0) > limit:
            errors.append(f"commands: more than {limit} commands of type {kind}")
    return errors


def mention_risk(message: Mapping[str, Any]) -> list[str]:
    """Markers in a message's content and embed text that would ping or mask a link (see MENTION_MARKERS)."""
    texts: list[str] = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            texts += [field.get("name") or "", field.get("value") or ""]
        texts.append((embed.get("footer") or {}).get("text") or "")
        texts.append((embed.get("author") or {}).get("name") or "")
    joined = "\n".join(texts)
    return [marker for marker in MENTION_MARKERS if marker in joined]


def mentions_suppressed(allowed_mentions: Any) -> bool:
    """True when allowed_mentions has ``parse: []`` (the form the adapter must send for anything from user text)."""
    return isinstance(allowed_mentions, Mapping) and allowed_mentions.get("parse") == []
