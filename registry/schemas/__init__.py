"""Pydantic schemas: what the API and the CSV importer accept and return."""
