"""Replies: ranked garments -> product cards and their plain-text rendering, for any channel."""
