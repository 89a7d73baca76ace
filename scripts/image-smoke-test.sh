#!/usr/bin/env bash
# Boots the built image the way production runs it and checks it (CI, image workflow):
#   - runs as 10001:10001 with a read-only root filesystem, /tmp on tmpfs, no capabilities;
#   - migrations from the same image (compiled CLI) against PostgreSQL;
#   - the app with PostgreSQL and Redis: /health/ready 200, the HEALTHCHECK turns healthy,
#     an authenticated request succeeds;
#   - `docker stop` (SIGTERM through tini) exits 0 within the grace period;
#   - Node's module compile cache (Dockerfile stage 5) is there for the app user, and read-only to it.
# Usage: scripts/image-smoke-test.sh <image>
set -euo pipefail
image="${1:?usage: image-smoke-test.sh <image>}"
net="chassis-smoke-$$"
secret="$(openssl rand -base64 48)"
cleanup() {
  docker logs smoke-app >/tmp/smoke-app.log 2>&1 || true
  docker rm -f smoke-app smoke-postgres smoke-redis >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "SMOKE TEST FAILED: $*" >&2; docker logs smoke-app 2>&1 | tail -50 >&2 || true; exit 1; }

[ "$(docker image inspect -f '{{.Config.User}}' "$image")" = "10001:10001" ] || fail "the image does not run as 10001:10001"

# The compile cache Node uses for this user: "<directory of the user's entries> <entries> <writable>".
read -r cache_dir cache_entries cache_writable < <(docker run --rm --read-only --tmpfs /tmp "$image" node -e '
  const fs = require("node:fs");
  const dir = require("node:module").getCompileCacheDir() ?? "none";
  const entries = dir === "none" ? 0 : fs.readdirSync(dir).length;
  let writable = true;
  try { fs.accessSync(dir, fs.constants.W_OK); } catch { writable = false; }
  process.stdout.write(`${dir} ${entries} ${writable}\n`);')
[[ "$cache_dir" == /app/.compile-cache/*-10001 ]] || fail "no compile cache for user 10001 (Node uses: $cache_dir)"
[ "$cache_entries" -ge 1000 ] || fail "the compile cache holds $cache_entries entries (a start caches about 3,400)"
[ "$cache_writable" = false ] || fail "the app user can write the compile cache"

docker network create "$net" >/dev/null
docker run -d --name smoke-postgres --network "$net" -e POSTGRES_USER=app -e POSTGRES_PASSWORD=smoke-only -e POSTGRES_DB=app postgres:17.6-bookworm >/dev/null
docker run -d --name smoke-redis --network "$net" redis:7.4-bookworm >/dev/null
for _ in $(seq 1 60); do docker exec smoke-postgres pg_isready -U app -q && break; sleep 1; done

common=(--network "$net" --read-only --tmpfs /tmp:size=64m --cap-drop ALL --security-opt no-new-privileges:true
  -e DATABASE_URL=postgres://app:smoke-only@smoke-postgres:5432/app -e REDIS_URL=redis://smoke-redis:6379
  -e AUTH_JWT_SECRET="$secret" -e AUTH_JWT_ISSUER=https://issuer.smoke.invalid -e AUTH_JWT_AUDIENCE=smoke
  -e OTEL_SDK_DISABLED=true)

docker run --rm "${common[@]}" "$image" node dist/src/core/database/migrate.cli.js run || fail "migrations"
docker run --rm "${common[@]}" "$image" node dist/src/core/database/migrate.cli.js show || fail "pending migrations after run"

docker run -d --name smoke-app "${common[@]}" -p 127.0.0.1:3000:3000 "$image" >/dev/null
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' localhost:3000/health/ready)" = 200 ] && break
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' localhost:3000/health/ready)" = 200 ] || fail "/health/ready never answered 200"
[ "$(curl -s -o /dev/null -w '%{http_code}' localhost:3000/health/startup)" = 200 ] || fail "/health/startup"

token="$(SECRET="$secret" node -e '
  const { createHmac } = require("node:crypto");
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "smoke", scope: "items:read items:write", iss: "https://issuer.smoke.invalid", aud: "smoke", iat: now, exp: now + 300 })}`;
  process.stdout.write(`${body}.${createHmac("sha256", process.env.SECRET).update(body).digest("base64url")}`);')"
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST localhost:3000/items -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"sku":"SMOKE-1","name":"Smoke","priceCents":100,"currency":"EUR"}')"
[ "$status" = 201 ] || fail "POST /items answered $status"
[ "$(curl -s -o /dev/null -w '%{http_code}' localhost:3000/items)" = 401 ] || fail "an anonymous request was not refused"

for _ in $(seq 1 40); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' smoke-app)" = healthy ] && break
  sleep 2
done
[ "$(docker inspect -f '{{.State.Health.Status}}' smoke-app)" = healthy ] || fail "HEALTHCHECK never turned healthy"

docker stop --time 30 smoke-app >/dev/null
[ "$(docker inspect -f '{{.State.ExitCode}}' smoke-app)" = 0 ] || fail "exit code after SIGTERM: $(docker inspect -f '{{.State.ExitCode}}' smoke-app)"
docker logs smoke-app 2>&1 | grep -q 'Shutdown complete' || fail "no 'Shutdown complete' log line"
echo "smoke test passed"
