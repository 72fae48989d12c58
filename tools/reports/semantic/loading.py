"""Reading model files: the default, a team's overlay merged over it, validated, with clear errors.

Merging works on the files' data before validation, so an overlay may name an existing metric
and give only the fields it changes (a label, more synonyms). Lists of named things (metrics,
dimensions, glossary) merge by ``name``: a new name adds, an existing name replaces the fields
the overlay gives. Mappings (tables, joins, lists, words) merge key by key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).with_name("semantic.yaml")
NAMED_LISTS = {"metrics": "name", "dimensions": "name", "glossary": "name", "conditions": "name"}
PAIRED_LISTS = {"value_aliases": ("dimension", "value")}


class SemanticError(ValueError):
    """A model file is not valid; the message names the file, the key and what is wrong."""


def read_yaml(path: Path) -> dict:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SemanticError(f"{path}: cannot read the semantic model file ({exc.strerror}).") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        twice = _key_said_twice(node)
        if twice is not None:  # YAML would keep only the second one, silently
            name, line = twice
            raise SemanticError(
                f"{path}: the key `{name}` is given twice in one mapping (line {line}); merge them."
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise SemanticError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}.") from exc
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SemanticError(f"{path}: the top level must be a mapping of keys (metrics, dimensions, ...).")
    return data


def _key_said_twice(node) -> tuple[str, int] | None:
    """The first key written twice in one mapping of the document, with its line, or None."""
    import yaml

    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        return key.value, key.start_mark.line + 1
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def merge(base: dict, overlay: dict, origin: dict, overlay_name: str) -> dict:
    """``overlay`` merged over ``base``; ``origin`` records which file each named entry came from."""
    merged = dict(base)
    for key, value in overlay.items():
        if key in NAMED_LISTS or key in PAIRED_LISTS:
            if not isinstance(value, list):
                raise SemanticError(f"{overlay_name}: `{key}` must be a list.")
            merged[key] = _merge_list(key, merged.get(key) or [], value, origin, overlay_name)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge_mapping(merged[key], value)
        else:
            merged[key] = value
    return merged


def _identity(key: str, entry: Any, overlay_name: str, index: int):
    if not isinstance(entry, dict):
        raise SemanticError(f"{overlay_name}: {key}[{index}] must be a mapping.")
    if key in NAMED_LISTS:
        name = entry.get(NAMED_LISTS[key])
        if not name:
            raise SemanticError(f"{overlay_name}: {key}[{index}] has no `name`.")
        return name
    fields = PAIRED_LISTS[key]
    return tuple(entry.get(f) for f in fields)


def _merge_list(key: str, existing: list, added: list, origin: dict, overlay_name: str) -> list:
    result = list(existing)
    position = {_identity(key, e, "the default model", i): i for i, e in enumerate(result)}
    for index, entry in enumerate(added):
        ident = _identity(key, entry, overlay_name, index)
        origin[(key, ident)] = overlay_name
        if ident in position:
            result[position[ident]] = {**result[position[ident]], **entry}
        else:
            position[ident] = len(result)
            result.append(entry)
    return result


def _merge_mapping(existing: dict, added: dict) -> dict:
    result = dict(existing)
    for key, value in added.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge_mapping(result[key], value)
        else:
            result[key] = value
    return result


def describe_validation_error(exc, data: dict, origin: dict, default_name: str) -> str:
    """Pydantic's errors in the words of the file: which file, which key, what is wrong."""
    lines = []
    for err in exc.errors()[:10]:
        loc = list(err["loc"])
        file = default_name
        path = ""
        for i, part in enumerate(loc):
            if isinstance(part, int):
                index_text = f"[{part}]"
                path += index_text
                key = loc[i - 1] if i else None
                entries = data.get(key) if isinstance(key, str) else None
                if isinstance(entries, list) and part < len(entries) and isinstance(entries[part], dict):
                    entry = entries[part]
                    ident = (
                        _identity(key, entry, default_name, part)
                        if key in (NAMED_LISTS | PAIRED_LISTS)
                        else None
                    )
                    if (
                        ident is not None
                    ):  # named entries by name: their place in the merged list means nothing
                        label = ident if isinstance(ident, str) else "/".join(map(str, ident))
                        path = path[: -len(index_text)] + f" ({label})"
                        file = origin.get((key, ident), default_name)
            else:
                path += ("." if path else "") + str(part)
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"{file}: {path}: {message}")
    more = len(exc.errors()) - 10
    if more > 0:
        lines.append(f"... and {more} more problem(s)")
    return "\n".join(lines)
