"""What Slack checks in Block Kit and in mrkdwn text, for the mock Web API (tests/slack_mock.py).

Slack refuses a message, modal or Home tab whose blocks break a rule with ``invalid_blocks``
(views: ``invalid_arguments``) and a list of messages pointing at the bad field, e.g.
``must be less than 3001 characters [json-pointer:/blocks/0/text/text]``. The limits are the
ones in Slack's Block Kit reference (https://docs.slack.dev/reference/block-kit/blocks).

mrkdwn is not refused but mangled: an unescaped ``<`` starts a link or mention, ``&`` an entity.
``mrkdwn_problems`` names what Slack would show differently from what the app meant.
"""

from __future__ import annotations

import re

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
BLOCK_ID_MAX = 255
ACTION_ID_MAX = 255

MESSAGE_BLOCK_TYPES = {"section", "divider", "image", "actions", "context", "header", "rich_text", "table"}
VIEW_BLOCK_TYPES = MESSAGE_BLOCK_TYPES - {"table"} | {"input"}

# What may follow "<" in mrkdwn: a user, channel, special mention, or a link.
_CONTROL = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|![a-z^][^<>]*|(?:https?://|mailto:|tel:)[^<>\s]+)(?:\|[^<>]*)?>"
)
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


class Checker:
    """Collects errors with Slack-style JSON pointers."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, message: str, where: str) -> None:
        self.errors.append(f"{message} [json-pointer:{where}]")

    def text(
        self, obj, where: str, *, limit: int, kinds=("plain_text", "mrkdwn"), required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.fail("missing required field: text", where)
            return
        if not isinstance(obj, dict):
            self.fail("must be an object", where)
            return
        if obj.get("type") not in kinds:
            self.fail(f"must be one of {', '.join(kinds)}", f"{where}/type")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.fail("must be more than 0 characters", f"{where}/text")
        elif len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", f"{where}/text")
        if "emoji" in obj and obj.get("type") != "plain_text":
            self.fail("emoji is only for plain_text", f"{where}/emoji")
        if "verbatim" in obj and obj.get("type") != "mrkdwn":
            self.fail("verbatim is only for mrkdwn", f"{where}/verbatim")

    def string(self, value, where: str, limit: int, required: bool = False) -> None:
        if value is None:
            if required:
                self.fail("missing required field", where)
            return
        if not isinstance(value, str) or (required and not value):
            self.fail("must be a non-empty string", where)
        elif len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", where)


def validate_blocks(blocks, surface: str = "message") -> list[str]:
    """Slack's errors for ``blocks`` on a surface: ``message``, ``modal`` or ``home``."""
    check = Checker()
    if not isinstance(blocks, list):
        check.fail("must be an array", "/blocks")
        return check.errors
    limit = MESSAGE_BLOCKS if surface == "message" else VIEW_BLOCKS
    if len(blocks) > limit:
        check.fail(f"must contain at most {limit} items", "/blocks")
    allowed = MESSAGE_BLOCK_TYPES if surface == "message" else VIEW_BLOCK_TYPES
    block_ids: set[str] = set()
    tables = 0
    for i, block in enumerate(blocks):
        where = f"/blocks/{i}"
        if not isinstance(block, dict):
            check.fail("must be an object", where)
            continue
        kind = block.get("type")
        if kind not in allowed:
            check.fail(f"unsupported type: {kind}", f"{where}/type")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            check.string(block_id, f"{where}/block_id", BLOCK_ID_MAX, required=True)
            if block_id in block_ids:
                check.fail(f"duplicate block_id: {block_id}", f"{where}/block_id")
            block_ids.add(block_id)
        tables += kind == "table"
        _BLOCK_CHECKS[kind](check, block, where)
    if tables > 1:
        check.fail("only one table is allowed in a message", "/blocks")
    return check.errors


def _section(check: Checker, block: dict, where: str) -> None:
    if "text" not in block and "fields" not in block:
        check.fail("must provide either text or fields", where)
    if "text" in block:
        check.text(block["text"], f"{where}/text", limit=3000)
    fields = block.get("fields")
    if fields is not None:
        if not isinstance(fields, list) or not fields or len(fields) > 10:
            check.fail("fields must hold 1 to 10 items", f"{where}/fields")
        else:
            for j, field in enumerate(fields):
                check.text(field, f"{where}/fields/{j}", limit=2000)
    if "accessory" in block:
        _element(check, block["accessory"], f"{where}/accessory", set())


def _header(check: Checker, block: dict, where: str) -> None:
    check.text(block.get("text"), f"{where}/text", limit=150, kinds=("plain_text",))


def _context(check: Checker, block: dict, where: str) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements or len(elements) > 10:
        check.fail("elements must hold 1 to 10 items", f"{where}/elements")
        return
    for j, element in enumerate(elements):
        if isinstance(element, dict) and element.get("type") == "image":
            continue
        check.text(element, f"{where}/elements/{j}", limit=3000)


def _actions(check: Checker, block: dict, where: str) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements or len(elements) > 25:
        check.fail("elements must hold 1 to 25 items", f"{where}/elements")
        return
    action_ids: set[str] = set()
    for j, element in enumerate(elements):
        _element(check, element, f"{where}/elements/{j}", action_ids)


def _input(check: Checker, block: dict, where: str) -> None:
    check.text(block.get("label"), f"{where}/label", limit=2000, kinds=("plain_text",))
    if "hint" in block:
        check.text(block["hint"], f"{where}/hint", limit=2000, kinds=("plain_text",))
    if "element" not in block:
        check.fail("missing required field: element", f"{where}/element")
        return
    _element(check, block["element"], f"{where}/element", set())


def _table(check: Checker, block: dict, where: str) -> None:
    rows = block.get("rows")
    if not isinstance(rows, list) or not rows:
        check.fail("missing required field: rows", f"{where}/rows")
        return
    if len(rows) > 100:
        check.fail("must contain at most 100 items", f"{where}/rows")
    for r, row in enumerate(rows):
        if not isinstance(row, list) or not row or len(row) > 20:
            check.fail("a row holds 1 to 20 cells", f"{where}/rows/{r}")
            continue
        for c, cell in enumerate(row):
            cell_at = f"{where}/rows/{r}/{c}"
            if not isinstance(cell, dict) or cell.get("type") not in ("raw_text", "rich_text"):
                check.fail("a cell is raw_text or rich_text", cell_at)
            elif cell["type"] == "raw_text" and not isinstance(cell.get("text"), str):
                check.fail("raw_text needs text", f"{cell_at}/text")
    settings = block.get("column_settings")
    if settings is not None:
        if not isinstance(settings, list) or len(settings) > 20:
            check.fail("must contain at most 20 items", f"{where}/column_settings")
        else:
            for j, setting in enumerate(settings):
                if setting is None:
                    continue
                if setting.get("align", "left") not in ("left", "center", "right"):
                    check.fail("align is left, center or right", f"{where}/column_settings/{j}/align")


def _nothing(check: Checker, block: dict, where: str) -> None:
    pass


_BLOCK_CHECKS = {
    "section": _section,
    "header": _header,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "table": _table,
    "divider": _nothing,
    "image": _nothing,
    "rich_text": _nothing,
}


def _element(check: Checker, element, where: str, action_ids: set[str]) -> None:
    if not isinstance(element, dict):
        check.fail("must be an object", where)
        return
    action_id = element.get("action_id")
    if action_id is not None:
        check.string(action_id, f"{where}/action_id", ACTION_ID_MAX, required=True)
        if action_id in action_ids:  # unique within the containing block
            check.fail(f"duplicate action_id: {action_id}", f"{where}/action_id")
        action_ids.add(action_id)
    kind = element.get("type")
    if kind == "button":
        check.text(element.get("text"), f"{where}/text", limit=75, kinds=("plain_text",))
        check.string(element.get("value"), f"{where}/value", 2000)
        if element.get("style") not in (None, "primary", "danger"):
            check.fail("style is primary or danger", f"{where}/style")
        if "confirm" in element:
            confirm = element["confirm"]
            check.text(confirm.get("title"), f"{where}/confirm/title", limit=100, kinds=("plain_text",))
            check.text(confirm.get("text"), f"{where}/confirm/text", limit=300)
            check.text(confirm.get("confirm"), f"{where}/confirm/confirm", limit=30, kinds=("plain_text",))
            check.text(confirm.get("deny"), f"{where}/confirm/deny", limit=30, kinds=("plain_text",))
    elif kind == "plain_text_input":
        check.string(element.get("initial_value"), f"{where}/initial_value", 3000)
    elif kind == "static_select":
        options = element.get("options")
        if not isinstance(options, list) or not options or len(options) > 100:
            check.fail("options must hold 1 to 100 items", f"{where}/options")
            return
        for j, option in enumerate(options):
            check.text(option.get("text"), f"{where}/options/{j}/text", limit=75, kinds=("plain_text",))
            check.string(option.get("value"), f"{where}/options/{j}/value", 150, required=True)
        initial = element.get("initial_option")
        if initial is not None and initial not in options:
            check.fail("initial_option must be one of options", f"{where}/initial_option")
    elif kind == "datepicker":
        initial = element.get("initial_date")
        if initial is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(initial)):
            check.fail("initial_date must be YYYY-MM-DD", f"{where}/initial_date")
    elif kind not in ("image", "overflow", "users_select", "channels_select", "checkboxes"):
        check.fail(f"unsupported element type: {kind}", f"{where}/type")


def validate_view(view) -> list[str]:
    """Slack's errors for a modal or Home tab view."""
    check = Checker()
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        check.fail("type is modal or home", "/view/type")
        return check.errors
    if kind == "modal":
        check.text(view.get("title"), "/view/title", limit=24, kinds=("plain_text",))
        for button in ("submit", "close"):
            if button in view:
                check.text(view[button], f"/view/{button}", limit=24, kinds=("plain_text",))
        if any(b.get("type") == "input" for b in view.get("blocks") or []) and "submit" not in view:
            check.fail("a modal with inputs needs submit", "/view/submit")
    check.string(view.get("private_metadata"), "/view/private_metadata", 3000)
    check.string(view.get("callback_id"), "/view/callback_id", 255)
    errors = check.errors + [
        e.replace("[json-pointer:/blocks", "[json-pointer:/view/blocks")
        for e in validate_blocks(view.get("blocks", []), kind)
    ]
    return errors


# --------------------------------------------------------------------------- mrkdwn


def mrkdwn_texts(blocks) -> list[tuple[str, str]]:
    """(json pointer, text) of every mrkdwn text object in ``blocks`` (table raw_text is not mrkdwn)."""
    found: list[tuple[str, str]] = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                found.append((where, node["text"]))
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(blocks, "/blocks")
    return found


def mrkdwn_problems(text: str) -> list[str]:
    """What Slack would show differently: a ``<`` that is no link or mention, a bare ``&`` or ``>``."""
    problems = []
    rest = _CONTROL.sub("", text)
    for match in re.finditer(r"[<>]", rest):
        line_start = rest.rfind("\n", 0, match.start()) + 1
        if match.group() == ">" and rest[line_start : match.start()].strip() == "":
            continue  # "> quote" at the start of a line is mrkdwn's blockquote
        problems.append(
            f"unescaped {match.group()!r} near {rest[max(0, match.start() - 15) : match.start() + 15]!r}"
        )
    for match in re.finditer(r"&", rest):
        if not _ENTITY.match(rest, match.start()):
            problems.append(f"unescaped '&' near {rest[max(0, match.start() - 15) : match.start() + 15]!r}")
    return problems


def displayed(text: str) -> str:
    """What a person reads for mrkdwn ``text``: links and mentions by their label, entities decoded."""

    def label(match: re.Match) -> str:
        inner = match.group()[1:-1]
        target, _, shown = inner.partition("|")
        return shown or target.lstrip("@#!").removeprefix("mailto:")

    text = _CONTROL.sub(label, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
