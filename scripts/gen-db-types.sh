#!/usr/bin/env bash
# Regenerates src/db/schema.ts (Kysely table types) from the migrations, using a throwaway
# PostgreSQL database. Run after adding a migration: bash scripts/gen-db-types.sh
# Needs a PostgreSQL server (PG_ADMIN_URL, default the local one) and fetches kysely-codegen with npx.
set -euo pipefail
cd "$(dirname "$0")/.."
admin=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=hisob_types_$$
psql "$admin" -qc "create database $db"
trap 'psql "$admin" -qc "drop database if exists $db"' EXIT
url=${admin%/*}/$db
node bin/hisob.js migrate --database-url "$url" >/dev/null
work=$(mktemp -d)
(cd "$work" && npm init -y >/dev/null && npm install --no-save --silent kysely-codegen@0.20.0 kysely@0.28.18 pg@8.23.1 typescript@5.9.3)
"$work/node_modules/.bin/kysely-codegen" --dialect postgres --url "$url" --date-parser string \
  --type-mapping '{"int8":"bigint"}' \
  --exclude-pattern '(*_default|*_20[0-9][0-9][0-9][0-9]|schema_migration)' --out-file src/db/schema.ts
npx biome format --write src/db/schema.ts >/dev/null
rm -rf "$work"
