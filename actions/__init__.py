"""The rasa-sdk action server's actions: thin translators between the tracker and the core."""
