#!/bin/sh
# Container entrypoint: apply pending migrations, then run the command (the server by default).
# Every command goes through here, so `docker compose run --rm app pa users create …` also works
# against a fresh database. SKIP_MIGRATIONS=1 skips the step (e.g. `pa db status` to see what is
# pending before applying it).
set -eu

if [ -z "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL is not set: the image has no embedded PostgreSQL. Point it at your server," >&2
  echo "e.g. postgresql://user:password@postgres:5432/automations (docker-compose.yml does this)." >&2
  exit 1
fi

if [ "${SKIP_MIGRATIONS:-0}" != "1" ]; then
  echo "[entrypoint] Applying database migrations …"
  # Postgres may still be starting when the container comes up without compose's health gate.
  attempt=1
  until (cd /app && node node_modules/prisma/build/index.js migrate deploy); do
    if [ "$attempt" -ge 10 ]; then
      echo "[entrypoint] Migrations failed after $attempt attempts." >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    echo "[entrypoint] Retrying in 3 s (attempt $attempt) …" >&2
    sleep 3
  done
fi

exec "$@"
