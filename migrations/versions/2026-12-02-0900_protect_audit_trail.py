"""Protect the audit trail: where the kept chain starts, and (PostgreSQL) no edits, deletions or moving back.

The chain head learns where the retained chain starts (`first_seq`, and the `first_prev_hash` its
first event links to), so that a retention prune leaves a chain that still verifies.

On PostgreSQL, triggers make the trail append-only for every role that cannot drop them: an event is
never updated; events are deleted only by the retention procedure (`registry audit prune`), which
sets the transaction-local `registry.audit_retention` to 'on', and then only events before the kept
chain's start; TRUNCATE is refused. The head moves forward only (a higher seq, or the same seq and
hash), its start moves only in retention and only forward, and it is deleted only in retention.
SQLite gets no triggers: whoever can write its file can rewrite it anyway; the anchors catch that.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64

# Frozen copies: a migration must not change meaning when application code does.
FUNCTIONS = {
    "audit_retention_on": """
CREATE FUNCTION audit_retention_on() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('registry.audit_retention', true), '') = 'on'
$$""",
    "audit_events_refuse_change": """
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on audit_events is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$""",
    "audit_events_check_delete": """
CREATE FUNCTION audit_events_check_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT audit_retention_on() THEN
        RAISE EXCEPTION 'audit events are deleted only by the retention procedure (registry audit prune)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Retention cuts the oldest events only: those before the start it recorded on the head first.
    -- Without a head row (deleted, which only retention may do) there is no start to keep; that
    -- state gives no more than moving the start past the head would, and verify names it.
    IF EXISTS (
        SELECT 1 FROM removed WHERE removed.seq >= (SELECT first_seq FROM audit_chain_head WHERE id = 1)
    ) THEN
        RAISE EXCEPTION 'retention deletes only the events before the start of the kept chain'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$""",
    "audit_chain_head_check_update": """
CREATE FUNCTION audit_chain_head_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash) THEN
        RAISE EXCEPTION 'the audit chain head only moves forward (from event % to %)', OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.first_seq, NEW.first_prev_hash) IS DISTINCT FROM (OLD.first_seq, OLD.first_prev_hash) AND (
        NOT audit_retention_on() OR NEW.first_seq <= OLD.first_seq OR NEW.first_seq > NEW.seq + 1
    ) THEN
        RAISE EXCEPTION 'the start of the audit chain moves only forward, by the retention procedure'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$""",
    "audit_chain_head_check_delete": """
CREATE FUNCTION audit_chain_head_check_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' OR NOT audit_retention_on() THEN
        RAISE EXCEPTION 'the audit chain head is deleted only by the retention procedure'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$""",
}
TRIGGERS = {
    ("audit_events", "audit_events_no_update"): (
        "BEFORE UPDATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()"
    ),
    ("audit_events", "audit_events_no_truncate"): (
        "BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()"
    ),
    # After the statement, over all its rows at once (a prune removes many): cheaper than per row.
    ("audit_events", "audit_events_retention_only"): (
        "AFTER DELETE ON audit_events REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
        "EXECUTE FUNCTION audit_events_check_delete()"
    ),
    ("audit_chain_head", "audit_chain_head_forward_only"): (
        "BEFORE UPDATE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_check_update()"
    ),
    ("audit_chain_head", "audit_chain_head_retention_only"): (
        "BEFORE DELETE OR TRUNCATE ON audit_chain_head FOR EACH STATEMENT "
        "EXECUTE FUNCTION audit_chain_head_check_delete()"
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.add_column(sa.Column("first_seq", sa.BigInteger(), server_default="1", nullable=False))
        batch.add_column(sa.Column("first_prev_hash", sa.String(64), server_default=GENESIS_HASH, nullable=False))
    if op.get_bind().dialect.name != "postgresql":
        return
    for definition in FUNCTIONS.values():
        op.execute(definition)
    for (_table, name), definition in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, name in reversed(TRIGGERS):
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION {name}()")
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.drop_column("first_prev_hash")
        batch.drop_column("first_seq")
