"""Use cases. Services flush but never commit: the request or the CLI command owns the transaction."""
