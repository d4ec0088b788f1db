#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d): one
# role and database(s) per owner, passwords read from the mounted secret files, never inlined.
#   temporal     owns temporal and temporal_visibility (schemas: the temporal-schema job)
#   silvertrace      owns silvertrace (schema: the migrate job, MIGRATION_DATABASE_URL)
#   silvertrace_app  what the api and the workers connect as (DATABASE_URL): no ownership, its
#                    rights granted by the migrate job (SELECT and INSERT only on the audit tables)
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v temporal_password="$(cat /run/secrets/temporal_db_password)" \
  -v silvertrace_password="$(cat /run/secrets/silvertrace_db_password)" \
  -v silvertrace_app_password="$(cat /run/secrets/silvertrace_app_db_password)" <<'SQL'
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
CREATE ROLE silvertrace LOGIN PASSWORD :'silvertrace_password';
CREATE DATABASE silvertrace OWNER silvertrace;
CREATE ROLE silvertrace_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'silvertrace_app_password';
REVOKE ALL ON DATABASE silvertrace FROM PUBLIC;
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
-- The migrations' trigram search index; created here so the app role needs no extra rights.
\connect silvertrace
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
