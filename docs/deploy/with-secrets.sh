#!/bin/sh
# Runs one command with the registry's secrets, read from Docker secret files, in its environment only
# (never in the container's configuration, where `docker inspect` would show them). docs/deploy.md.
#   sh /deploy/with-secrets.sh registry users bootstrap-admin admin
set -eu
secrets="${REGISTRY_SECRETS_DIR:-/run/secrets}"
REGISTRY_SECRET_KEY="$(cat "$secrets/registry_secret_key")"
export REGISTRY_SECRET_KEY
if [ -s "$secrets/registry_audit_key" ]; then
    REGISTRY_AUDIT_KEY="$(cat "$secrets/registry_audit_key")"
    export REGISTRY_AUDIT_KEY
fi
# The password is letters and digits only (docs/deploy.md), so it needs no escaping inside the URL.
REGISTRY_DATABASE_URL="postgresql+psycopg://${REGISTRY_DB_USER:-registry}:$(cat "$secrets/db_password")@${REGISTRY_DB_HOST:-db}:${REGISTRY_DB_PORT:-5432}/${REGISTRY_DB_NAME:-registry}"
export REGISTRY_DATABASE_URL
exec "$@"
