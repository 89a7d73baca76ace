#!/usr/bin/env bash
# Boots the built image the way production runs it and checks it (.ci/run, image workflow):
#   - runs the project's Node (package.json, the tests' Node), without npm;
#   - runs as 10001:10001 (PID 1 is tini, as that user) with a read-only root filesystem,
#     /tmp on tmpfs, no capabilities, no privilege escalation;
#   - Node's module compile cache (Dockerfile stage 5) is there for the app user, and read-only to it;
#   - migrations from the same image (compiled CLI) against PostgreSQL, none pending after;
#   - the app with PostgreSQL and Redis: /health/startup, /health/live and /health/ready 200, an
#     authenticated request succeeds and an anonymous one is refused, the HEALTHCHECK command passes;
#   - stop (SIGTERM through tini) exits 0 within the grace period, after "Shutdown complete".
#
# Usage: scripts/image-smoke-test.sh <image>
#   CONTAINER_RUNTIME  docker or podman (default: docker when its daemon answers, else podman)
#   SMOKE_SERVICES     containers: PostgreSQL and Redis from their images on a private network
#                      (needs a registry); host: the machine's own PostgreSQL (SMOKE_PG_URL, default
#                      postgres://postgres@127.0.0.1:5432, a throw-away database is created and
#                      dropped) and Redis (SMOKE_REDIS_URL, default redis://127.0.0.1:6379), the
#                      containers on the host network, the app on 127.0.0.1 only.
#                      Default: containers with docker, host with podman.
# The app listens on a free port. With podman, docker/containers.conf is used unless
# CONTAINERS_CONF is set (the runtime settings the CI machines need).
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:?usage: image-smoke-test.sh <image>}"
rt="${CONTAINER_RUNTIME:-$(docker info >/dev/null 2>&1 && echo docker || echo podman)}"
[ "$rt" = podman ] && export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/docker/containers.conf}"
services="${SMOKE_SERVICES:-$([ "$rt" = docker ] && echo containers || echo host)}"
id="$$"
app="smoke-app-$id"
net="chassis-smoke-$id"
secret="$(openssl rand -base64 48)"
port="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"
pg_url="${SMOKE_PG_URL:-postgres://postgres@127.0.0.1:5432}"
database="smoke_$id"

cleanup() {
  "$rt" logs "$app" >"${TMPDIR:-/tmp}/$app.log" 2>&1 || true
  for container in "$app" "smoke-postgres-$id" "smoke-redis-$id"; do "$rt" rm -f "$container" >/dev/null 2>&1 || true; done
  if [ "$services" = containers ]; then "$rt" network rm "$net" >/dev/null 2>&1 || true; fi
  if [ "$services" = host ]; then psql -q "$pg_url/postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
fail() { echo "SMOKE TEST FAILED: $*" >&2; "$rt" logs "$app" 2>&1 | tail -50 >&2 || true; exit 1; }
in_app() { "$rt" exec "$app" node -e "$1"; }

[ "$("$rt" image inspect -f '{{.Config.User}}' "$image")" = "10001:10001" ] || fail "the image does not run as 10001:10001"

# The image runs the project's Node (package.json), the one the tests run; no npm ships in it.
expected_node="v$(node -p "require('./package.json').optionalDependencies['node-linux-' + process.arch]")"
image_node="$("$rt" run --rm --network none --no-healthcheck --read-only "$image" node -e '
  const fs = require("node:fs");
  const npm = ["/usr/local/lib/node_modules/npm", "/usr/local/bin/npm", "/usr/local/bin/npx"].filter((p) => fs.existsSync(p));
  process.stdout.write(npm.length > 0 ? `npm present: ${npm}` : process.version);')"
[ "$image_node" = "$expected_node" ] || fail "the image runs Node $image_node, the project's is $expected_node"

# The compile cache Node uses for this user: "<directory of the user's entries> <entries> <writable>".
read -r cache_dir cache_entries cache_writable < <("$rt" run --rm --network none --no-healthcheck --read-only --tmpfs /tmp "$image" node -e '
  const fs = require("node:fs");
  const dir = require("node:module").getCompileCacheDir() ?? "none";
  const entries = dir === "none" ? 0 : fs.readdirSync(dir).length;
  let writable = true;
  try { fs.accessSync(dir, fs.constants.W_OK); } catch { writable = false; }
  process.stdout.write(`${dir} ${entries} ${writable}\n`);')
[[ "$cache_dir" == /app/.compile-cache/*-10001 ]] || fail "no compile cache for user 10001 (Node uses: $cache_dir)"
[ "$cache_entries" -ge 1000 ] || fail "the compile cache holds $cache_entries entries (a start caches about 3,400)"
[ "$cache_writable" = false ] || fail "the app user can write the compile cache"

common=(--read-only --tmpfs /tmp:size=64m --cap-drop ALL --security-opt no-new-privileges
  -e AUTH_JWT_SECRET="$secret" -e AUTH_JWT_ISSUER=https://issuer.smoke.invalid -e AUTH_JWT_AUDIENCE=smoke
  -e OTEL_SDK_DISABLED=true)
if [ "$services" = containers ]; then
  "$rt" network create "$net" >/dev/null
  "$rt" run -d --name "smoke-postgres-$id" --network "$net" --network-alias smoke-postgres \
    -e POSTGRES_USER=app -e POSTGRES_PASSWORD=smoke-only -e POSTGRES_DB=app postgres:17.6-bookworm >/dev/null
  "$rt" run -d --name "smoke-redis-$id" --network "$net" --network-alias smoke-redis redis:7.4-bookworm >/dev/null
  for _ in $(seq 1 60); do "$rt" exec "smoke-postgres-$id" pg_isready -U app -q && break; sleep 1; done
  common+=(--network "$net" -e DATABASE_URL=postgres://app:smoke-only@smoke-postgres:5432/app -e REDIS_URL=redis://smoke-redis:6379)
  publish=(-p "127.0.0.1:$port:3000")
elif [ "$services" = host ]; then
  psql -q "$pg_url/postgres" -c "CREATE DATABASE $database" >/dev/null || fail "cannot create a database on $pg_url"
  common+=(--network host -e DATABASE_URL="$pg_url/$database" -e REDIS_URL="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379}")
  publish=(-e HOST=127.0.0.1 -e PORT="$port")
else
  fail "SMOKE_SERVICES must be containers or host, not $services"
fi

"$rt" run --rm --no-healthcheck "${common[@]}" "$image" node dist/src/migrate.js run || fail "migrations"
"$rt" run --rm --no-healthcheck "${common[@]}" "$image" node dist/src/migrate.js show || fail "pending migrations after run"

"$rt" run -d --name "$app" "${common[@]}" "${publish[@]}" "$image" >/dev/null
base="http://127.0.0.1:$port"
code() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }
for _ in $(seq 1 60); do
  [ "$(code "$base/health/ready")" = 200 ] && break
  sleep 1
done
for probe in ready startup live; do
  [ "$(code "$base/health/$probe")" = 200 ] || fail "/health/$probe did not answer 200"
done

token="$(SECRET="$secret" node -e '
  const { createHmac } = require("node:crypto");
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "smoke", scope: "items:read items:write", iss: "https://issuer.smoke.invalid", aud: "smoke", iat: now, exp: now + 300 })}`;
  process.stdout.write(`${body}.${createHmac("sha256", process.env.SECRET).update(body).digest("base64url")}`);')"
status="$(code -X POST "$base/items" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"sku":"SMOKE-1","name":"Smoke","priceCents":100,"currency":"EUR"}')"
[ "$status" = 201 ] || fail "POST /items answered $status"
[ "$(code "$base/items")" = 401 ] || fail "an anonymous request was not refused"

# PID 1 is tini, and it and the app run as 10001:10001 (real, effective, saved and fs ids).
[ "$(in_app 'process.stdout.write(require("fs").readFileSync("/proc/1/comm", "utf8").trim())')" = tini ] || fail "PID 1 is not tini"
in_app '
  const fs = require("node:fs");
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    for (const key of ["Uid", "Gid"]) {
      const ids = new RegExp(`^${key}:\\s+(.*)$`, "m").exec(status)[1].split(/\s+/);
      if (ids.some((v) => v !== "10001")) { console.error(`pid ${pid} ${key} ${ids}`); process.exit(1); }
    }
  }' || fail "a process in the container does not run as 10001:10001"
# Read-only root: nothing under / or /app can be written; /tmp (tmpfs) can.
in_app '
  const fs = require("node:fs");
  for (const path of ["/app/x", "/x", "/app/dist/x", "/app/node_modules/x"]) {
    try { fs.writeFileSync(path, "x"); console.error(`wrote ${path}`); process.exit(1); }
    catch (error) { if (!["EROFS", "EACCES"].includes(error.code)) throw error; }
  }
  fs.writeFileSync("/tmp/x", "x");' || fail "the root filesystem is writable (or /tmp is not)"
[ "$("$rt" inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$app")" = true ] || fail "the container's root filesystem is not read-only"

# The image's HEALTHCHECK: podman without systemd schedules no timer, so run it by hand there.
if [ "$rt" = podman ]; then
  "$rt" healthcheck run "$app" || fail "the HEALTHCHECK command failed"
else
  for _ in $(seq 1 40); do
    [ "$("$rt" inspect -f '{{.State.Health.Status}}' "$app")" = healthy ] && break
    sleep 2
  done
  [ "$("$rt" inspect -f '{{.State.Health.Status}}' "$app")" = healthy ] || fail "HEALTHCHECK never turned healthy"
fi

"$rt" stop --time 30 "$app" >/dev/null
[ "$("$rt" inspect -f '{{.State.ExitCode}}' "$app")" = 0 ] || fail "exit code after SIGTERM: $("$rt" inspect -f '{{.State.ExitCode}}' "$app")"
"$rt" logs "$app" 2>&1 | grep -q 'Shutdown complete' || fail "no 'Shutdown complete' log line"
echo "smoke test passed ($rt, services: $services)"
