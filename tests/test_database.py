"""The suite runs on the database DATABASE_URL names (SQLite by default, PostgreSQL under
scripts/with-postgres.sh), and the audit trail's database trigger holds on both."""

import os

import pytest
from django.db import DatabaseError, connection, transaction

from fangxian.audit.models import AuditEntry
from fangxian.audit.services import Action, audit_record

POSTGRES_SCHEMES = ("postgres:", "postgresql:", "pgsql:", "postgis:")


def test_tests_run_on_the_database_named_by_database_url(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(POSTGRES_SCHEMES) else "sqlite"
    print(f"database vendor: {connection.vendor}")  # shown with pytest -s or -rA
    assert connection.vendor == expected


def test_audit_trigger_refuses_raw_sql_update(hq_user):
    entry = audit_record(actor=hq_user, action=Action.LOGIN)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET username = %s WHERE id = %s", ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).username == "hq"
