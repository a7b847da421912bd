# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dropping a database the tests made, whoever is still in it."""

import time

import psycopg2
from psycopg2 import sql

ATTEMPTS = 30


def drop_database(connection, name):
    """``DROP DATABASE`` ``name`` through ``connection`` (autocommit, on
    another database), ending the sessions still in it.

    ``WITH (FORCE)`` ends the sessions of our own role, but refuses when an
    autovacuum worker (no role of ours) works in the database; a plain DROP
    makes PostgreSQL stop that worker, once no other session is connected.
    Both are tried, a second apart, until the database is gone.
    """
    drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    force = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    )
    with connection.cursor() as cr:
        for attempt in range(ATTEMPTS):
            try:
                cr.execute(force)
                return
            except psycopg2.errors.InsufficientPrivilege:
                try:
                    cr.execute(drop)
                    return
                except psycopg2.errors.ObjectInUse:
                    if attempt == ATTEMPTS - 1:
                        raise
                    time.sleep(1)
