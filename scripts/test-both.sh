#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL at the same time (one per core): the SQLite run
# prints as it goes, the PostgreSQL run's output follows when both are done. Fails if either fails.
set -uo pipefail
pg_url=$1
pytest=.venv/bin/pytest
work=$(mktemp -d /tmp/halldesk-test.XXXXXX)
trap 'kill 0 2>/dev/null' INT TERM

DATABASE_URL=$pg_url $pytest -q -p no:cacheprovider --durations=15 --basetemp="$work/pg" tests >"$work/pg.log" 2>&1 &
pg=$!
echo "== SQLite (PostgreSQL runs beside it; its output follows) =="
env -u DATABASE_URL $pytest -q -p no:cacheprovider --durations=15 --basetemp="$work/sqlite" tests
sqlite_rc=$?
wait $pg
pg_rc=$?
echo "== PostgreSQL =="
cat "$work/pg.log"
echo "SQLite: exit $sqlite_rc; PostgreSQL: exit $pg_rc"
rm -rf "$work"
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
