"""The registry domain: settings, persistence, schemas, repositories and services."""
