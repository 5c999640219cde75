"""Small SELECTs on SQLite run on the driver's cursor, compiled by SQLAlchemy once.

SQLAlchemy spends most of a small indexed read on SQLite outside SQLite: on the bench's database,
one of `/als status`'s reads took 110-167 µs through `Connection.execute` and 19 µs on the
sqlite3 cursor it ends up on. `rows` keeps the query a Core `select` (one text for every backend)
and, on SQLite, runs the SQL that SQLAlchemy compiled for it on the driver's cursor of the same
connection, inside the same transaction, converting each column with its type's own result
processor (dates, times, aware datetimes) and each parameter with its bind processor, exactly as
`Connection.execute` would. Without the plain reader (an in-memory database), the same runs on
aiosqlite behind SQLAlchemy's adapter. Elsewhere it is `Connection.execute`.

Each statement is compiled once per dialect and kept, so pass module-level statements, not ones
built per call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select
from sqlalchemy.engine import Connection, Dialect

Row = tuple[Any, ...]
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class CompiledRead:
    """A SELECT as SQLite's driver takes it: the SQL with `?` placeholders, the parameter names in
    their order, the values the statement itself holds (constants, IN lists), and converters."""

    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]
    to_driver: dict[str, Callable[[Any], Any]]
    from_driver: tuple[tuple[int, Callable[[Any], Any]], ...]

    def run(self, conn: Connection, params: Mapping[str, Any]) -> list[Row]:
        missing = [name for name in self.names if name not in params and name not in self.fixed]
        if missing:
            raise ValueError(f"a value is needed for {', '.join(sorted(missing))}")
        values = []
        for name in self.names:
            value = params[name] if name in params else self.fixed[name]
            convert = self.to_driver.get(name)
            values.append(value if convert is None or value is None else convert(value))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self.sql, values)
            found = cast(list[Row], cursor.fetchall())  # tuples: no row factory on these connections
        finally:
            cursor.close()
        if not self.from_driver:
            return found
        converted = []
        for row in found:
            cells = list(row)
            for i, convert in self.from_driver:
                cells[i] = convert(cells[i])
            converted.append(tuple(cells))
        return converted


def compile_read(statement: AnySelect, dialect: Dialect) -> CompiledRead:
    """`statement` compiled for `dialect` (a positional one: SQLite's `qmark`), IN lists of values
    the statement holds expanded; an IN list given per call is not supported."""
    compiled = statement.compile(dialect=dialect)
    needed = {name for name, bind in compiled.binds.items() if bind.required}
    if any(compiled.binds[name].expanding for name in needed):
        raise ValueError("an IN list given per call cannot be compiled once")
    expanded = compiled.construct_expanded_state(dict.fromkeys(needed))
    original = {item: name for name, items in expanded.parameter_expansion.items() for item in items}
    to_driver = {}
    for name in expanded.positiontup or ():
        bind = compiled.binds[original.get(name, name)]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            to_driver[name] = process
    fixed = {}
    for name, value in expanded.parameters.items():
        if name not in needed:
            process = to_driver.get(name)
            fixed[name] = value if process is None or value is None else process(value)
    from_driver = []
    for i, column in enumerate(statement.selected_columns):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            from_driver.append((i, process))
    return CompiledRead(
        sql=expanded.statement,
        names=tuple(expanded.positiontup or ()),
        fixed=fixed,
        to_driver={name: process for name, process in to_driver.items() if name in needed},
        from_driver=tuple(from_driver),
    )


_compiled: dict[tuple[AnySelect, str], CompiledRead] = {}  # a statement hashes by identity


def rows(conn: Connection, statement: AnySelect, params: Mapping[str, Any]) -> list[Row]:
    """The rows of `statement` with `params`, as tuples in the order of its columns."""
    dialect = conn.dialect
    if dialect.name != "sqlite":
        return [tuple(row) for row in conn.execute(statement, params)]
    key = (statement, dialect.name)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = compile_read(statement, dialect)
    return compiled.run(conn, params)
