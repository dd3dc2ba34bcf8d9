"""shopguide: the core of the conversational fashion shopping assistant.

The data flow is visible from the sub-packages: ``catalogue`` (schema, readers, ingest) ->
``store`` (Chroma) -> ``search`` (query parsing, ranking); the encoders live in the top-level
``models`` package, the Rasa bot in ``bot/`` and the thin custom actions in ``actions/``.
"""

__version__ = "0.1.0"
