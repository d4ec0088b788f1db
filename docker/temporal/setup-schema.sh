#!/bin/sh
# One-shot job on the temporalio/admin-tools image: brings Temporal's two PostgreSQL databases
# (created by docker/postgres/init-databases.sh) to the schema of this admin-tools version. Safe
# to run again: `setup-schema -v 0.0` leaves an existing schema alone and `update-schema` applies
# only what is missing, so the same job upgrades the schema before a newer Temporal server.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD_FILE:?}"
SQL_PASSWORD="$(cat "$SQL_PASSWORD_FILE")"
export SQL_PASSWORD # read by temporal-sql-tool, so it never shows on a command line
PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${PORT}..."
tries=0
until nc -z -w 5 "$POSTGRES_SEEDS" "$PORT"; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "PostgreSQL did not answer"; exit 1; }
  sleep 2
done

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  dir="${SCHEMA_DIR}/${pair##*:}/versioned"
  echo "schema of ${db} from ${dir}"
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" \
    --db "$db" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" \
    --db "$db" update-schema -d "$dir"
done
echo "Temporal schemas are up to date"
