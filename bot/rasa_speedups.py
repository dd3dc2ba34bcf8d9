"""One measured inefficiency of Rasa 3.6, removed inside the Rasa server without changing what it does.

Rasa checks every action server response with ``jsonschema.validate(result, schema)``, which first
checks the schema itself against JSON Schema's meta-schema: 2.0 of the 3.0 ms of every action call on
this machine (jsonschema 3.2), and a recommendation turn makes three calls. Here the validator is
built once; a response it finds invalid still goes to Rasa's own check, which raises Rasa's error.
"""

from __future__ import annotations

from typing import Any


def cache_action_response_validator() -> None:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    rasa_check = RemoteAction._validate_action_result
    if getattr(rasa_check, "cached_validator", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True if validator.is_valid(result) else rasa_check(self, result)

    validate_action_result.cached_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
