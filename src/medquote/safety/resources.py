"""Emergency guidance and crisis resources: the defaults (US), or a country's from a TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import InputError
from medquote.safety.templates import EMERGENCY_MESSAGE, EMERGENCY_RESOURCES, SENSITIVE_LEAD


@dataclass(frozen=True, slots=True)
class EmergencyResources:
    """The fixed emergency message and the numbers to call, configurable per country."""

    message: str
    resources: tuple[str, ...]


DEFAULT_RESOURCES = EmergencyResources(message=EMERGENCY_MESSAGE, resources=EMERGENCY_RESOURCES)


def sensitive_note(resources: EmergencyResources = DEFAULT_RESOURCES) -> str:
    """The crisis-resources note for informational questions, with the configured resources."""
    return SENSITIVE_LEAD + "; ".join(resources.resources) + "."


def load_resources(path: Path) -> EmergencyResources:
    """Read emergency resources from a TOML file with ``message = "..."`` and ``resources = [...]``."""
    path = Path(path)
    expected = 'expected message = "..." and resources = ["...", ...]'
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read emergency resources file {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Emergency resources file {path} is not UTF-8 text; save it as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        detail = " ".join(str(exc).split())
        raise InputError(f"Emergency resources file {path} is not valid TOML ({detail}); {expected}.") from exc
    unknown = sorted(set(data) - {"message", "resources"})
    if unknown:
        raise InputError(f"Emergency resources file {path} has unknown keys {unknown}; {expected}.")
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise InputError(f"Emergency resources file {path} needs a non-empty text 'message'; {expected}.")
    items = data.get("resources")
    if not isinstance(items, list) or not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise InputError(f"Emergency resources file {path} needs 'resources' as a non-empty list of texts; {expected}.")
    return EmergencyResources(message=message.strip(), resources=tuple(item.strip() for item in items))
