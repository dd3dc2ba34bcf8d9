"""Custom Rasa input channels (run inside the Rasa server, Python 3.10)."""
