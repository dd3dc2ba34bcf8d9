"""The catalogue: item schema, file readers, row validation and ingest into the store."""
