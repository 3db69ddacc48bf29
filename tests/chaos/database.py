"""Where the shop's state lives, behind one small interface so that the
checks and the sabotage run the same SQL on SQLite and on PostgreSQL.

The SQL is written once, with SQLite's `?` placeholders; on PostgreSQL the
adapter turns them into psycopg2's `%s` (a literal `%` into `%%`). Rows are
indexable by position and by column name on both. The SQL itself must be
portable: no SQLite-only functions or tables (`tables()` replaces
`sqlite_master`), no aliases in HAVING, booleans tested by truth
(`NOT abandoned`), sums cast to BIGINT (PostgreSQL sums to NUMERIC)."""

import sqlite3


class Database:
    """A SQLite file (one server) or a PostgreSQL conninfo (shared by replicas)."""

    def __init__(self, kind, where):
        self.kind = kind
        self.where = where

    @classmethod
    def sqlite(cls, path):
        return cls("sqlite", path)

    @classmethod
    def postgres(cls, conninfo):
        return cls("postgres", conninfo)

    def server_arguments(self):
        """What `shopbox serve` is told to open this database."""
        if self.kind == "sqlite":
            return ["--database", self.where]
        return ["--set", "database.kind=postgres", "--set", f"database.url={self.where}"]

    def connect(self, readonly=True):
        if self.kind == "sqlite":
            return SqliteConnection(self.where, readonly)
        return PostgresConnection(self.where, readonly)

    def __str__(self):
        return self.where if self.kind == "sqlite" else f"postgres ({self.where})"


class Connection:
    """execute(sql, params) -> a cursor (iterate, fetchone, fetchall);
    tables(suffix) -> the names of the tables ending with it; commit();
    close(), also on leaving a `with` block."""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


class SqliteConnection(Connection):
    def __init__(self, path, readonly):
        if readonly:
            self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        else:
            self.connection = sqlite3.connect(path, timeout=30)
        self.connection.row_factory = sqlite3.Row

    def execute(self, sql, params=()):
        return self.connection.execute(sql, params)

    def tables(self, suffix):
        return [row[0] for row in self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\' "
            "ORDER BY name", ("%" + suffix.replace("_", "\\_"),))]

    def commit(self):
        self.connection.commit()

    def close(self):
        self.connection.close()


class PostgresConnection(Connection):
    def __init__(self, conninfo, readonly):
        # Debian's python3-psycopg2 (make test-deps); imported here so that
        # the SQLite runs need nothing but the standard library.
        import psycopg2
        import psycopg2.extras
        self.connection = psycopg2.connect(conninfo, connect_timeout=30)
        # Read-only like SQLite's mode=ro, and in autocommit so that each
        # statement reads the latest committed state, as on SQLite outside a
        # transaction. Writes (the sabotage) are one transaction.
        self.connection.set_session(readonly=readonly, autocommit=readonly)
        self.cursor_factory = psycopg2.extras.DictCursor

    def execute(self, sql, params=()):
        cursor = self.connection.cursor(cursor_factory=self.cursor_factory)
        cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return cursor

    def tables(self, suffix):
        return [row[0] for row in self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' AND table_name LIKE ? ESCAPE '\\' "
            "ORDER BY table_name", ("%" + suffix.replace("_", "\\_"),))]

    def commit(self):
        self.connection.commit()

    def close(self):
        self.connection.close()
