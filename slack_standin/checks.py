"""Checks the stand-in applies to what an app sends, with Slack's published limits.

Each check returns a list of problems (empty when all is well), phrased like Slack's own
`response_metadata.messages`, so a test failure says what Slack would have refused.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
MESSAGE_TEXT_MAX = 40_000
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
CALLBACK_ID_MAX = 255
PRIVATE_METADATA_MAX = 3000
BLOCK_ID_MAX = 255
ACTION_ID_MAX = 255
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
PLAIN_TEXT_INPUT_MAX = 3000
PLACEHOLDER_MAX = 150
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
CHECKBOX_OPTIONS_MAX = 10

MESSAGE_BLOCK_TYPES = {"section", "header", "context", "actions", "divider", "image", "rich_text", "markdown"}
VIEW_BLOCK_TYPES = MESSAGE_BLOCK_TYPES | {"input"}
SELECTS = {
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
}
INPUT_ELEMENTS = SELECTS | {
    "plain_text_input",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "checkboxes",
    "radio_buttons",
    "number_input",
    "email_text_input",
    "url_text_input",
    "rich_text_input",
    "file_input",
}
INTERACTIVE_ELEMENTS = SELECTS | {
    "button",
    "overflow",
    "datepicker",
    "timepicker",
    "checkboxes",
    "radio_buttons",
}


def check_message(args: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(error code, messages) for a chat.postMessage / chat.update / chat.postEphemeral payload."""
    text, blocks = args.get("text"), args.get("blocks")
    if isinstance(blocks, str):
        return "invalid_blocks_format", ["blocks must be a JSON array"]
    if not text and not blocks and not args.get("attachments"):
        return "no_text", []
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        return "msg_too_long", []
    if blocks:
        problems = check_blocks(blocks, surface="message")
        if problems:
            return "invalid_blocks", problems
    metadata = args.get("metadata")
    if metadata is not None and (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        return "invalid_metadata_format", ["metadata needs event_type (string) and event_payload (object)"]
    return None, []


def check_view(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view must be an object"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in {"modal", "home"}:
        problems.append("view.type must be modal or home")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return [*problems, "view.blocks must be an array"]
    problems += check_blocks(blocks, surface=str(kind))
    if kind == "modal":
        problems += _plain_text(view.get("title"), "view.title", VIEW_TITLE_MAX, required=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                problems += _plain_text(view.get(key), f"view.{key}", VIEW_BUTTON_MAX)
        if any(isinstance(b, dict) and b.get("type") == "input" for b in blocks) and not view.get("submit"):
            problems.append("view.submit is required when a modal has input blocks")
    if len(str(view.get("callback_id") or "")) > CALLBACK_ID_MAX:
        problems.append(f"view.callback_id must be at most {CALLBACK_ID_MAX} characters")
    if len(str(view.get("private_metadata") or "")) > PRIVATE_METADATA_MAX:
        problems.append(f"view.private_metadata must be at most {PRIVATE_METADATA_MAX} characters")
    return problems


def check_blocks(blocks: Any, *, surface: str) -> list[str]:
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    limit = MESSAGE_BLOCKS_MAX if surface == "message" else VIEW_BLOCKS_MAX
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} blocks allowed in a {surface} (got {len(blocks)})")
    allowed = MESSAGE_BLOCK_TYPES if surface == "message" else VIEW_BLOCK_TYPES
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        if not isinstance(block, dict):
            problems.append(f"{where} must be an object")
            continue
        kind = block.get("type")
        if kind not in allowed:
            problems.append(f"{where}.type {kind!r} is not allowed in a {surface}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not block_id or len(block_id) > BLOCK_ID_MAX:
                problems.append(f"{where}.block_id must be 1-{BLOCK_ID_MAX} characters")
            elif block_id in seen_ids:
                problems.append(f"{where}.block_id {block_id!r} is used twice")
            else:
                seen_ids.add(block_id)
        problems += _check_block(block, kind, where)
    return problems


def _check_block(block: dict[str, Any], kind: str, where: str) -> list[str]:
    problems: list[str] = []
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            problems.append(f"{where} needs text or fields")
        if text is not None:
            problems += _text(text, f"{where}.text", SECTION_TEXT_MAX)
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > SECTION_FIELDS_MAX:
                problems.append(f"{where}.fields must be an array of at most {SECTION_FIELDS_MAX}")
            else:
                for j, f in enumerate(fields):
                    problems += _text(f, f"{where}.fields[{j}]", SECTION_FIELD_TEXT_MAX)
        if block.get("accessory") is not None:
            problems += _element(block["accessory"], f"{where}.accessory")
    elif kind == "header":
        problems += _plain_text(block.get("text"), f"{where}.text", HEADER_TEXT_MAX, required=True)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= CONTEXT_ELEMENTS_MAX:
            problems.append(f"{where}.elements must have 1-{CONTEXT_ELEMENTS_MAX} items")
        else:
            for j, e in enumerate(elements):
                if isinstance(e, dict) and e.get("type") in {"plain_text", "mrkdwn"}:
                    problems += _text(e, f"{where}.elements[{j}]", SECTION_TEXT_MAX)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= ACTIONS_ELEMENTS_MAX:
            problems.append(f"{where}.elements must have 1-{ACTIONS_ELEMENTS_MAX} items")
        else:
            action_ids = [e.get("action_id") for e in elements if isinstance(e, dict) and e.get("action_id")]
            if len(action_ids) != len(set(action_ids)):
                problems.append(f"{where}.elements repeat an action_id")
            for j, e in enumerate(elements):
                problems += _element(e, f"{where}.elements[{j}]")
    elif kind == "input":
        problems += _plain_text(block.get("label"), f"{where}.label", INPUT_LABEL_MAX, required=True)
        if block.get("hint") is not None:
            problems += _plain_text(block.get("hint"), f"{where}.hint", INPUT_HINT_MAX)
        element = block.get("element")
        if not isinstance(element, dict) or element.get("type") not in INPUT_ELEMENTS:
            problems.append(f"{where}.element must be an input element")
        else:
            problems += _element(element, f"{where}.element")
    return problems


def _element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"{where} must be an object"]
    problems: list[str] = []
    kind = element.get("type")
    action_id = element.get("action_id")
    if action_id is not None and (not isinstance(action_id, str) or len(action_id) > ACTION_ID_MAX):
        problems.append(f"{where}.action_id must be at most {ACTION_ID_MAX} characters")
    if element.get("placeholder") is not None:
        problems += _plain_text(element.get("placeholder"), f"{where}.placeholder", PLACEHOLDER_MAX)
    if kind == "button":
        problems += _plain_text(element.get("text"), f"{where}.text", BUTTON_TEXT_MAX, required=True)
        if len(str(element.get("value") or "")) > BUTTON_VALUE_MAX:
            problems.append(f"{where}.value must be at most {BUTTON_VALUE_MAX} characters")
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(f"{where}.style must be primary or danger")
    elif kind == "plain_text_input":
        max_length, min_length = element.get("max_length"), element.get("min_length")
        if max_length is not None and (not isinstance(max_length, int) or not 1 <= max_length <= PLAIN_TEXT_INPUT_MAX):
            problems.append(f"{where}.max_length must be 1-{PLAIN_TEXT_INPUT_MAX}")
        if min_length is not None and (not isinstance(min_length, int) or not 0 <= min_length <= PLAIN_TEXT_INPUT_MAX):
            problems.append(f"{where}.min_length must be 0-{PLAIN_TEXT_INPUT_MAX}")
        initial = element.get("initial_value")
        if isinstance(initial, str) and isinstance(max_length, int) and len(initial) > max_length:
            problems.append(f"{where}.initial_value is longer than max_length")
    elif kind in {"static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow"}:
        limit = CHECKBOX_OPTIONS_MAX if kind in {"checkboxes", "radio_buttons"} else OPTIONS_MAX
        options = element.get("options")
        groups = element.get("option_groups")
        if options is None and isinstance(groups, list):
            options = [o for g in groups if isinstance(g, dict) for o in (g.get("options") or [])]
        if not isinstance(options, list) or not 1 <= len(options) <= max(limit, 1):
            problems.append(f"{where}.options must have 1-{limit} items")
        else:
            problems += _options(options, where)
            initial = element.get("initial_option")
            if isinstance(initial, dict) and initial.get("value") not in {
                o.get("value") for o in options if isinstance(o, dict)
            }:
                problems.append(f"{where}.initial_option must be one of the options")
    elif kind == "external_select":
        initial = element.get("initial_option")
        if initial is not None:
            problems += _options([initial], where)
    elif kind == "datepicker":
        initial = element.get("initial_date")
        if initial is not None and not _is_date(initial):
            problems.append(f"{where}.initial_date must be YYYY-MM-DD")
    elif kind == "timepicker":
        initial = element.get("initial_time")
        if initial is not None and not _is_time(initial):
            problems.append(f"{where}.initial_time must be HH:mm")
    return problems


def _options(options: list[Any], where: str) -> list[str]:
    problems: list[str] = []
    values = []
    for k, option in enumerate(options):
        if not isinstance(option, dict):
            problems.append(f"{where}.options[{k}] must be an object")
            continue
        problems += _text(option.get("text"), f"{where}.options[{k}].text", OPTION_TEXT_MAX, required=True)
        value = option.get("value")
        if not isinstance(value, str) or len(value) > OPTION_VALUE_MAX:
            problems.append(f"{where}.options[{k}].value must be a string of at most {OPTION_VALUE_MAX}")
        values.append(value)
    return problems


def options_response_problems(body: Any) -> list[str]:
    """What Slack would refuse in an app's answer to a block_suggestion request."""
    if not isinstance(body, dict):
        return ["the answer must be a JSON object"]
    options = body.get("options")
    if not isinstance(options, list) or len(options) > OPTIONS_MAX:
        return [f"options must be an array of at most {OPTIONS_MAX}"]
    return _options(options, "options")


def _text(obj: Any, where: str, limit: int, *, required: bool = True) -> list[str]:
    if obj is None:
        return [f"{where} is required"] if required else []
    if not isinstance(obj, dict) or obj.get("type") not in {"plain_text", "mrkdwn"}:
        return [f"{where} must be a text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}.text must be a non-empty string"]
    if len(text) > limit:
        return [f"{where}.text must be at most {limit} characters (got {len(text)})"]
    return []


def _plain_text(obj: Any, where: str, limit: int, *, required: bool = False) -> list[str]:
    problems = _text(obj, where, limit, required=required)
    if not problems and isinstance(obj, dict) and obj.get("type") != "plain_text":
        problems.append(f"{where} must be plain_text")
    return problems


def _is_date(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and (value.replace("-", "").isdigit())
    )


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 5 and value[2] == ":" and value.replace(":", "").isdigit()
