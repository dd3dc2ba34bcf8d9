"""Search: shopper's words and photo -> constraints and query vectors -> ranked garments."""
