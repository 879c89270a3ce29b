"""Outer interfaces: the HTTP API and the `registry` command line."""
