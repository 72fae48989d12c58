"""The semantic model: metrics, dimensions, joins, words, read from YAML (Python holds the engine).

The default model is ``semantic.yaml`` beside this package; a team's overlay
(``CRMBOT_SEMANTIC_FILE``, or ``--semantic FILE`` on the command line) is merged over it and
may add metrics and synonyms and map the contract's tables to its own physical names. The
effective model is loaded once per process (and again when a file changes).

    from tools.reports import semantic
    m = semantic.model()
    m.metric("bookings").description
"""

from __future__ import annotations

import threading
from pathlib import Path

from tools.reports.semantic.loading import DEFAULT_FILE, SemanticError
from tools.reports.semantic.model import Hop, SemanticModel
from tools.reports.semantic.schema import Condition, Dimension, GlossaryEntry, Metric

MONEY, COUNT, RATE, DAYS, HOURS, SCORE = "money", "count", "rate", "days", "hours", "score"

__all__ = [
    "Condition",
    "DEFAULT_FILE",
    "Dimension",
    "GlossaryEntry",
    "Hop",
    "Metric",
    "SemanticError",
    "SemanticModel",
    "load",
    "model",
    "overlay_path",
    "use_overlay",
]

_override: str | None = None
_cache: dict[tuple, SemanticModel] = {}
_lock = threading.Lock()


def use_overlay(path: str | Path | None) -> None:
    """Use this overlay file from now on in this process (the CLI's ``--semantic``)."""
    global _override
    with _lock:
        _override = str(path) if path else None
        _cache.clear()


def overlay_path() -> str | None:
    if _override is not None:
        return _override or None
    from crmbot.settings import get_settings

    return get_settings().semantic_file or None


def _stamp(path: str | None) -> tuple:
    if not path:
        return (None, None)
    try:
        return (path, Path(path).stat().st_mtime_ns)
    except OSError:
        return (path, None)


def model() -> SemanticModel:
    """The effective model (default + overlay), validated; a SemanticError says what is wrong."""
    overlay = overlay_path()
    key = (_stamp(str(DEFAULT_FILE)), _stamp(overlay))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    built = load(overlay)
    with _lock:
        _cache.clear()
        _cache[key] = built
    return built


def load(overlay: str | Path | None = None, *, default: str | Path | None = None) -> SemanticModel:
    """Read, merge and validate the default file and an optional overlay."""
    from pydantic import ValidationError

    from tools.reports.semantic.loading import describe_validation_error, merge, read_yaml
    from tools.reports.semantic.schema import ModelFile

    default_path = Path(default) if default else DEFAULT_FILE
    data = read_yaml(default_path)
    origin: dict = {}
    sources = [str(default_path)]
    if overlay:
        overlay_file = Path(overlay)
        if not overlay_file.exists():
            raise SemanticError(f"{overlay_file}: the semantic overlay file does not exist.")
        data = merge(data, read_yaml(overlay_file), origin, str(overlay_file))
        sources.append(str(overlay_file))
    try:
        parsed = ModelFile.model_validate(data)
    except ValidationError as exc:
        raise SemanticError(describe_validation_error(exc, data, origin, str(default_path))) from exc
    built = SemanticModel(parsed, tuple(sources))
    problems = built.problems()
    if problems:
        where = sources[-1] if len(sources) > 1 else sources[0]
        raise SemanticError("\n".join(f"{where}: {p}" for p in problems[:20]))
    return built


def export_yaml(m: SemanticModel | None = None) -> str:
    """The effective model as YAML, in the shape an overlay uses (so it can be edited and reused)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        """Short lists of words on one line, as a person writes them."""

    def _list(dumper, items):
        flow = all(not isinstance(i, dict | list) for i in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)

    _Dumper.add_representer(list, _list)
    m = m or model()
    data = m.file.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    header = "# crmbot semantic model: " + " + ".join(m.sources) + "\n"
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
