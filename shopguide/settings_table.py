"""The settings as rows (variable, value, default, meaning) for `shopguide settings` and the README."""

from __future__ import annotations

from pydantic import AliasChoices

from shopguide.settings import PROJECT_ROOT, Settings


def _variable(name: str, settings_class: type[Settings]) -> str:
    field = settings_class.model_fields[name]
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"SHOPGUIDE_{name.upper()}"


def _shown(value: object) -> str:
    if value is None:
        return "(unset)"
    text = str(value)
    return text.replace(str(PROJECT_ROOT), ".") if text else '""'


def settings_rows(settings: Settings) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, field in Settings.model_fields.items():
        rows.append(
            (_variable(name, Settings), _shown(getattr(settings, name)), _shown(field.default), field.description or "")
        )
    return rows
