"""How the indicators' querysets are read by the databases."""

import datetime as dt


def test_new_employment_looks_up_each_persons_earlier_work_by_person(db):
    """The list behind 城镇新增就业 reads, for every registration counted, the person's
    earlier work: by the (person, kind, registered_on) index, not by walking every
    registration of the kind (a city's list took 50 s that way on SQLite)."""
    from django.db import connection

    from apps.indicators.definitions import new_employment

    qs = new_employment(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
    assert "registration_person_kind" in plan
