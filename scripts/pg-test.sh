#!/usr/bin/env bash
# A private PostgreSQL cluster on loopback for the test suite (independent of the system one).
set -euo pipefail
action=$1; dir=$2; port=$3
cd /  # the postgres user may not enter the checkout folder
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "test PostgreSQL already running on 127.0.0.1:$port"
    else
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=100" start >/dev/null
      echo "test PostgreSQL started on 127.0.0.1:$port"
    fi
    for db in halldesk_test halldesk_test_migrate; do
      as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
        || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
    done
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    ;;
esac
