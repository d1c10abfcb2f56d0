"""Emergency guidance and crisis resources: the defaults (US), or a country's from a TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import InputError
from medquote.safety.templates import (
    ANIMAL_MESSAGE,
    ANIMAL_RESOURCES,
    CHECK_MESSAGE,
    EMERGENCY_MESSAGE,
    EMERGENCY_RESOURCES,
)


@dataclass(frozen=True, slots=True)
class EmergencyResources:
    """The fixed guidance and the numbers to call, configurable per country: ``message`` for an
    emergency, ``check_message`` for a message that may signal danger, and the animal guidance."""

    message: str
    resources: tuple[str, ...]
    check_message: str = CHECK_MESSAGE
    animal_message: str = ANIMAL_MESSAGE
    animal_resources: tuple[str, ...] = ANIMAL_RESOURCES


DEFAULT_RESOURCES = EmergencyResources(message=EMERGENCY_MESSAGE, resources=EMERGENCY_RESOURCES)


def load_resources(path: Path) -> EmergencyResources:
    """Read a country's guidance from TOML: ``message`` and ``resources`` (required), ``check_message``,
    ``animal_message`` and ``animal_resources`` (optional; the US defaults otherwise)."""
    path = Path(path)
    expected = 'expected message = "..." and resources = ["...", ...]'
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(
            f"Cannot read emergency resources file {path}: {exc.strerror or exc}; pass --resources FILE naming a "
            "readable TOML file"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Emergency resources file {path} is not UTF-8 text; save it as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        detail = " ".join(str(exc).split())
        raise InputError(f"Emergency resources file {path} is not valid TOML ({detail}); {expected}.") from exc
    texts, lists = ("message", "check_message", "animal_message"), ("resources", "animal_resources")
    unknown = sorted(set(data) - set(texts) - set(lists))
    if unknown:
        raise InputError(f"Emergency resources file {path} has unknown keys {unknown}; {expected}.")
    if "message" not in data or "resources" not in data:
        raise InputError(f"Emergency resources file {path} needs 'message' and 'resources'; {expected}.")
    found: dict[str, object] = {}
    for key in texts:
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"Emergency resources file {path} needs a non-empty text '{key}'; {expected}.")
            found[key] = value.strip()
    for key in lists:
        if key in data:
            items = data[key]
            if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
                raise InputError(
                    f"Emergency resources file {path} needs '{key}' as a non-empty list of texts; {expected}."
                )
            found[key] = tuple(item.strip() for item in items)
    return EmergencyResources(**found)  # type: ignore[arg-type]
