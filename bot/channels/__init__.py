"""Custom Rasa input channels (run inside the Rasa server, Python 3.10).

Rasa imports this package when it loads our channels, so it is where the Rasa server's speedups apply.
"""

from bot.rasa_speedups import cache_action_response_validator

cache_action_response_validator()
