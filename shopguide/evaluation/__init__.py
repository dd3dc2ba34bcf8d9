"""Offline evaluation of the multimodal model on any catalogue (`shopguide eval`, `make eval`)."""
