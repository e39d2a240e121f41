#!/usr/bin/env bash
# The container image's build and run, without a container engine. Each Dockerfile instruction has
# its line here, in the same order and with the same text (test/ops/image-smoke.test.ts compares
# them), performed in a temporary directory: the build stage installs, compiles and prunes as root;
# the run stage gets only what the Dockerfile copies into it and runs, as an unprivileged user, under
# tini, on the Dockerfile's Node major: `migrate`, then `serve` and `worker` against the local
# Postgres (a database of its own) and Redis (a db number and prefix of its own). It checks the
# one-line refusal without DATABASE_URL, /readyz of both roles, the health check of each role and a
# clean exit on SIGTERM, then removes everything it made.
#
#   bash scripts/image-smoke.sh          # IMAGE_SMOKE_KEEP=1 keeps the directory for a look
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pg_admin=${IMAGE_SMOKE_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
pg_db=${IMAGE_SMOKE_DATABASE:-image_smoke}
redis_url=${IMAGE_SMOKE_REDIS_URL:-redis://127.0.0.1:6379/15}
queue_prefix=image-smoke
work=$(mktemp -d /tmp/image-smoke.XXXXXX)
chmod 755 "$work"
started=$SECONDS
pids=()
export PGOPTIONS='--client-min-messages=warning'

say() { printf 'image-smoke: %s\n' "$*"; }
die() {
  say "FAILED: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }; done
  exit 1
}

cleanup() {
  local t0=$SECONDS
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  psql "$pg_admin" -q -c "drop database if exists $pg_db with (force)" >/dev/null 2>&1 || true
  redis-cli -u "$redis_url" --scan --pattern "$queue_prefix*" 2>/dev/null | xargs -r redis-cli -u "$redis_url" del >/dev/null 2>&1 || true
  if [ -z "${IMAGE_SMOKE_KEEP:-}" ]; then rm -rf "$work"; else say "kept $work"; fi
  say "cleaned up in $((SECONDS - t0)) s"
}
trap cleanup EXIT

# --- The Dockerfile's instructions -------------------------------------------------------------
stage_dir=
declare -A node_bins=()
run_env=()
entrypoint=()
default_cmd=()
healthcheck=()
run_user=()

# FROM <image> AS <stage>: a fresh directory for the stage, and that image's Node major on PATH.
FROM() {
  local image=${1%% AS *} name=${1##* AS }
  local major
  major=$(sed -E 's/^node:([0-9]+).*/\1/' <<<"$image")
  [[ $major =~ ^[0-9]+$ ]] || die "cannot tell the Node version of $image"
  if [ -z "${node_bins[$major]:-}" ]; then
    local found
    if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
      found=$(node -p process.execPath)
    else
      found=$(cd "$work" && npm exec --yes --package="node@$major" -- node -p process.execPath)
    fi
    # Copied beside the stages so that the unprivileged user can run it (the npm cache is root's).
    mkdir -p "$work/node-$major/bin"
    cp "$found" "$work/node-$major/bin/node"
    chmod 755 "$work/node-$major/bin/node"
    node_bins[$major]="$work/node-$major/bin"
  fi
  export PATH="${node_bins[$major]}:$PATH"
  stage_dir="$work/$name"
  mkdir -p "$stage_dir"
  chmod 755 "$stage_dir"
  say "stage $name: $image (node $(node --version))"
}

# WORKDIR /app: the stage directory stands for /app.
WORKDIR() { [ "$1" = /app ] || die "only WORKDIR /app is emulated"; }

# COPY [--from=<stage>] <src>... <dest>: from the build context (the repository, less what
# .dockerignore leaves out: tests) or from an earlier stage's /app.
COPY() {
  local -a args
  read -r -a args <<<"$1"
  local from=$repo
  if [[ ${args[0]} == --from=* ]]; then
    from="$work/${args[0]#--from=}"
    args=("${args[@]:1}")
  fi
  local dest="$stage_dir/${args[-1]#./}"
  unset 'args[-1]'
  # Between stages, hard links: the same files at no copying cost (nothing writes to them after).
  local how=-a
  [ "$from" = "$repo" ] || how=-al
  for src in "${args[@]}"; do cp "$how" "$from/${src#/app/}" "$dest"; done
  if [ "$from" = "$repo" ]; then find "$stage_dir" -name '*.test.ts' -not -path '*/node_modules/*' -delete; fi
}

# RUN <command>: the same command, in the stage, as root (as `docker build` runs it).
RUN() {
  local t0=$SECONDS
  (cd "$stage_dir" && bash -euo pipefail -c "$1") >"$work/run.log" 2>&1 || die "RUN $1"
  say "RUN $1 ($((SECONDS - t0)) s)"
}

# RUN that installs Debian packages into the image: here the host must have them (.ci/run installs
# them); the host's package lists are not touched.
RUN_PACKAGES() {
  local package
  for package in $(sed -E 's/.*--no-install-recommends ([a-z0-9 -]+)( &&.*)?$/\1/' <<<"$1"); do
    dpkg -s "$package" >/dev/null 2>&1 || die "the image installs $package; install it here too (apt-get install $package)"
  done
}

ENV() {
  local -a pairs
  read -r -a pairs <<<"$1"
  run_env+=("${pairs[@]}")
}

# USER node: an unprivileged user. As root, `nobody` stands in for the image's `node`.
USER() {
  if [ "$(id -u)" = 0 ]; then
    run_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    # Like the image's /app, the run stage belongs to root and is read-only for the process.
    chown -R root:root "$stage_dir"
  fi
}

EXPOSE() { :; }
HEALTHCHECK() { read -r -a healthcheck <<<"$(node -p "JSON.parse(process.argv[1].replace(/^.* CMD /, '')).join(' ')" -- "$1")"; }
ENTRYPOINT() { read -r -a entrypoint <<<"$(node -p "JSON.parse(process.argv[1]).join(' ')" -- "$1")"; }
CMD() { read -r -a default_cmd <<<"$(node -p "JSON.parse(process.argv[1]).join(' ')" -- "$1")"; }

FROM 'node:22-bookworm-slim AS build'
WORKDIR '/app'
COPY 'package.json package-lock.json ./'
RUN 'npm ci --no-audit --no-fund'
COPY 'tsconfig.json tsconfig.build.json ./'
COPY 'src ./src'
COPY 'migrations ./migrations'
RUN 'npm run build'
RUN 'npm prune --omit=dev --no-audit --no-fund'

FROM 'node:22-bookworm-slim AS run'
RUN_PACKAGES 'apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*'
WORKDIR '/app'
ENV 'NODE_ENV=production PORT=3000 WORKER_HEALTH_PORT=3001'
COPY '--from=build /app/node_modules ./node_modules'
COPY '--from=build /app/dist ./dist'
COPY 'package.json ./'
COPY 'bin ./bin'
COPY 'kb ./kb'
USER 'node'
EXPOSE '3000 3001'
HEALTHCHECK '--interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.js"]'
ENTRYPOINT '["/usr/bin/tini", "--", "node", "bin/helpdesk.js"]'
CMD '["serve"]'
say "image built in $((SECONDS - started)) s ($(du -sh "$stage_dir" | cut -f1) in the run stage)"

# --- docker run ----------------------------------------------------------------------------------
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Becomes the container's process: the image's environment plus `-e` settings, then the command (as
# the image's user). Call it in a subshell. Tini is not PID 1 here, so it registers as a subreaper.
container() {
  cd "$stage_dir"
  exec env -i PATH="$PATH" HOME=/tmp TINI_SUBREAPER=1 "${run_env[@]}" "$@"
}

pg_url_base=${pg_admin%/*}
psql "$pg_admin" -q -c "drop database if exists $pg_db with (force)" >/dev/null
psql "$pg_admin" -q -c "create database $pg_db" >/dev/null
settings=(DATABASE_URL="$pg_url_base/$pg_db" REDIS_URL="$redis_url" QUEUE_PREFIX="$queue_prefix" LOG_LEVEL=info)

# `docker run IMAGE` without DATABASE_URL: one line naming the setting.
refusal=$(container "${run_user[@]}" "${entrypoint[@]}" "${default_cmd[@]}" 2>&1 >/dev/null) && die "serve started without DATABASE_URL"
[[ $refusal == "helpdesk: Invalid DATABASE_URL: it is missing, and NODE_ENV=production"* ]] ||
  die "without DATABASE_URL it said: $refusal"
[ "$(wc -l <<<"$refusal")" = 1 ] || die "without DATABASE_URL it said more than one line: $refusal"
say "no DATABASE_URL: $refusal"

(container "${settings[@]}" "${run_user[@]}" "${entrypoint[@]}" migrate) >"$work/migrate.log" 2>&1 || die "migrate"
say "migrate: $(tail -n 1 "$work/migrate.log")"

serve_port=$(free_port)
worker_port=$(free_port)
(container "${settings[@]}" PORT="$serve_port" "${run_user[@]}" "${entrypoint[@]}" "${default_cmd[@]}") >"$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
(container "${settings[@]}" WORKER_HEALTH_PORT="$worker_port" "${run_user[@]}" "${entrypoint[@]}" worker) >"$work/worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")

# Waits for 200 from a URL (60 s at most) and prints the body.
ready() {
  local body
  for _ in $(seq 1 120); do
    if body=$(curl -fsS --max-time 2 "$1" 2>/dev/null); then
      echo "$body"
      return 0
    fi
    kill -0 "$2" 2>/dev/null || die "the process behind $1 exited"
    sleep 0.5
  done
  die "no 200 from $1"
}
say "serve /readyz: $(ready "http://127.0.0.1:$serve_port/readyz" "$serve_pid")"
worker_ready=$(ready "http://127.0.0.1:$worker_port/readyz" "$worker_pid")
say "worker /readyz: $worker_ready"
[[ $worker_ready == *'"queue":true'* && $worker_ready == *'"lastJob"'* ]] || die "worker /readyz lacks the queue or the last job"
curl -fsS "http://127.0.0.1:$worker_port/metrics" | grep -q '^helpdesk_jobs_total{' || die "worker /metrics has no job counts"

# The image's HEALTHCHECK command, told the role (here PID 1 is not the container's tini).
(container PORT="$serve_port" "${run_user[@]}" "${healthcheck[@]}" serve) || die "the health check failed for serve"
(container WORKER_HEALTH_PORT="$worker_port" "${run_user[@]}" "${healthcheck[@]}" worker) || die "the health check failed for worker"
# And it can fail: nothing listens on that port.
closed_port=$(free_port)
if (container WORKER_HEALTH_PORT="$closed_port" "${run_user[@]}" "${healthcheck[@]}" worker) 2>/dev/null; then
  die "the health check passed with nothing listening"
fi
say "health checks: serve and worker healthy, and unhealthy with nothing listening"

# `docker stop`: SIGTERM to the entrypoint (tini), which forwards it; both finish and exit 0.
for pid in "$serve_pid" "$worker_pid"; do kill -TERM "$pid"; done
for pid in "$serve_pid" "$worker_pid"; do
  status=0
  timeout 20 tail --pid="$pid" -f /dev/null || die "process $pid still running 20 s after SIGTERM"
  wait "$pid" || status=$?
  [ "$status" = 0 ] || die "process $pid exited with $status after SIGTERM"
done
pids=()
grep -q 'shutting down' "$work/worker.log" || die "the worker did not shut down gracefully"
say "SIGTERM: serve and worker exited 0"
say "passed in $((SECONDS - started)) s"
