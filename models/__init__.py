"""Encoders: frozen text and image towers, and the interface the assistant queries them through."""
