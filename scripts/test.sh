#!/usr/bin/env bash
# The README's second command: every test of the portal.
#   type check, lint, unit tests, production build, then the browser journeys (Playwright in
#   Debian's Chromium) against the built portal and the sandbox: once on SQLite (the embedded
#   default), once on a real PostgreSQL server, and last the production image's tree with only
#   the production config, an OpenID provider and pull requests (scripts/lib/production-stage.sh).
#   Between them, two backend replicas on one PostgreSQL take 40 concurrent self-service tasks.
# Installs what is missing first (Node 22, Yarn, Chromium, PostgreSQL, kubectl). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/provision.sh
source scripts/lib/postgres.sh
source scripts/lib/processes.sh
source scripts/lib/image-tree.sh
source scripts/lib/production-stage.sh

RUN_DIR="$(mktemp -d /tmp/idp-portal-test.XXXXXX)"
cleanup() {
  stop_all_background
  postgres_stop
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

step() { echo; echo "=== $* ($(date -u +%H:%M:%S))"; }
timed() { local t0=$SECONDS; "$@"; echo "[time] $* took $((SECONDS - t0)) s"; }

step "provision"
provision_debian_packages

step "install"
timed yarn install --immutable

step "type check"
timed yarn tsc

step "lint"
timed yarn lint:all

step "unit tests"
CI=true timed yarn test

step "build"
timed yarn build:all

step "docs build (MkDocs + Material, as TechDocs builds them)"
# every docs site in the repository builds without warnings; the portal builds the same sites on
# first view of a Docs tab (e2e-tests/docs-logs.spec.ts measures that)
for mkdocs_yml in docs/mkdocs.yml K8s/*/*/mkdocs.yml; do
  [ -f "$mkdocs_yml" ] || continue
  t0=$(date +%s%N)
  mkdocs build --strict --quiet -f "$mkdocs_yml" -d "$RUN_DIR/mkdocs-site"
  echo "[measure] mkdocs build $mkdocs_yml: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done

SANDBOX_TOKEN="$(sed -n 's/^  token: *//p' packages/sandbox/sandbox.config.yaml | head -1)"
export SANDBOX_GITOPS_REMOTE="$RUN_DIR/gitops.git"
export SANDBOX_KUBECONFIG="$RUN_DIR/kubeconfig"
export SANDBOX_GITOPS_WORKDIR="$RUN_DIR/gitops-checkout"

step "start the sandbox"
start_background sandbox "$RUN_DIR/sandbox.log" yarn workspace @internal/sandbox start
SANDBOX_PID=$LAST_STARTED_PID
CURL_AUTH="Authorization: Bearer $SANDBOX_TOKEN" \
  wait_for_http http://127.0.0.1:7100/readyz 60 "$SANDBOX_PID" "$RUN_DIR/sandbox.log"

step "kubectl against the sandbox"
# a real Kubernetes client proves the sandbox speaks the Kubernetes API (discovery, tables, CRDs)
export KUBECONFIG="$SANDBOX_KUBECONFIG"
deadline=$((SECONDS + 60))
apps_ready() {
  kubectl get applications -n argocd 2>/dev/null >"$RUN_DIR/apps.txt" || return 1
  grep -Eq '^infrastructure-argocd +Synced +Healthy' "$RUN_DIR/apps.txt" &&
    grep -Eq '^team-payments-ledger-export +Synced +Healthy' "$RUN_DIR/apps.txt"
}
until apps_ready; do
  if [ $SECONDS -ge $deadline ]; then
    kubectl get applications -n argocd >&2 || true
    echo "[kubectl] ArgoCD applications not Synced/Healthy after 60 s" >&2
    exit 1
  fi
  sleep 1
done
kubectl get nodes >"$RUN_DIR/nodes.txt"
cat "$RUN_DIR/nodes.txt"
grep -Eq '^control-plane +Ready' "$RUN_DIR/nodes.txt"
kubectl get pods -A >"$RUN_DIR/pods.txt"
head -15 "$RUN_DIR/pods.txt"
grep -Eq '^argocd +argocd-server-[a-z0-9-]+ +1/1 +Running' "$RUN_DIR/pods.txt"
# the first-run world: application teams' services run too (K8s/teams, K8s/apps)
grep -Eq '^team-storefront +storefront-web-[a-z0-9-]+ +1/1 +Running' "$RUN_DIR/pods.txt"
grep -Eq '^team-payments +ledger-export-[a-z0-9-]+ +2/2 +Running' "$RUN_DIR/pods.txt"
kubectl get polr -A >"$RUN_DIR/polr.txt"
head -5 "$RUN_DIR/polr.txt"
[ "$(wc -l <"$RUN_DIR/polr.txt")" -gt 10 ]
kubectl get applications -n argocd
unset KUBECONFIG

# run_e2e NAME PLAYWRIGHT_SCRIPT EXTRA_BACKEND_ARGS...: starts the built backend, runs the journeys, stops it
run_e2e() {
  local name="$1" playwright_script="$2"
  shift 2
  step "browser journeys: $name"
  local t0=$SECONDS
  # The backend serves the built frontend, so the app's base URL is the backend's. build:all packs
  # the backend into a deployment bundle (dist/bundle.tar.gz, for images); here it runs from the
  # workspace through Backstage's TypeScript transform, as `yarn start` runs it, without watching.
  pushd packages/backend >/dev/null
  # NODE_ENV=production, as production runs it: error bodies then carry no stack traces
  start_background "backend ($name)" "$RUN_DIR/backend-$name.log" \
    env NODE_ENV=production APP_CONFIG_app_baseUrl=http://localhost:7007 \
    APP_CONFIG_backend_database_connection_directory="$RUN_DIR/sqlite-$name" \
    APP_CONFIG_gitops_remote="$SANDBOX_GITOPS_REMOTE" \
    node --require @backstage/cli/config/nodeTransform.cjs src/index.ts \
    --config ../../app-config.yaml --config ../../app-config.local.yaml "$@"
  popd >/dev/null
  local backend_pid=$LAST_STARTED_PID
  wait_for_http http://localhost:7007/.backstage/health/v1/readiness 180 "$backend_pid" \
    "$RUN_DIR/backend-$name.log"
  echo "[measure] backend ($name) ready after $((SECONDS - t0)) s, RSS $(ps -o rss= -p "$backend_pid" | awk '{printf "%d MB", $1/1024}')"
  CI=true PORTAL_DATABASE="$name" timed yarn "$playwright_script"
  stop_background "$backend_pid"
}

run_e2e sqlite test:e2e

postgres_start 55432
run_e2e postgres test:e2e --config ../../e2e-tests/app-config.postgres.yaml
postgres_stop

# run_replicas: the portal scaled out, two backend processes on one PostgreSQL and one GitOps
# remote (the sandbox's); 40 onboardings at once, spread over both, must each run once and land
# (e2e-tests/load/two-replicas.ts checks tasks, commits, git fsck and both catalogs)
run_replicas() {
  step "two backend replicas on one PostgreSQL"
  local t0=$SECONDS port pids=()
  pushd packages/backend >/dev/null
  for port in 7007 7008; do
    start_background "backend replica :$port" "$RUN_DIR/backend-replica-$port.log" \
      env NODE_ENV=production APP_CONFIG_app_baseUrl="http://localhost:$port" \
      APP_CONFIG_backend_baseUrl="http://localhost:$port" \
      APP_CONFIG_backend_listen_port="$port" \
      APP_CONFIG_gitops_remote="$SANDBOX_GITOPS_REMOTE" \
      APP_CONFIG_gitops_catalog_workDir="$RUN_DIR/gitops-catalog-$port" \
      node --require @backstage/cli/config/nodeTransform.cjs src/index.ts \
      --config ../../app-config.yaml --config ../../app-config.local.yaml \
      --config ../../e2e-tests/app-config.postgres.yaml
    pids+=("$LAST_STARTED_PID")
    # one after the other: the first creates the databases and runs the migrations
    wait_for_http "http://localhost:$port/.backstage/health/v1/readiness" 180 "$LAST_STARTED_PID" \
      "$RUN_DIR/backend-replica-$port.log"
  done
  popd >/dev/null
  echo "[measure] two replicas ready after $((SECONDS - t0)) s"
  REPLICA_URLS=http://localhost:7007,http://localhost:7008 GITOPS_REMOTE="$SANDBOX_GITOPS_REMOTE" \
    timed node --require @backstage/cli/config/nodeTransform.cjs e2e-tests/load/two-replicas.ts
  # which replica ran how many (the scaffolder's audit log); the database queue decides
  for port in 7007 7008; do
    echo "[measure] replica :$port executed $(grep -o 'actionType":"execution","createdBy":"[^"]*","taskId":"[^"]*' \
      "$RUN_DIR/backend-replica-$port.log" | sort -u | wc -l) tasks"
  done
  for port in "${pids[@]}"; do stop_background "$port"; done
}

postgres_start 55432
run_replicas
postgres_stop

# the portal as its image runs it: production config only, PostgreSQL, OpenID sign-in, pull requests
step "production image"
production_stage

# the same portal with its cluster and ArgoCD unreachable: every page must say so
run_e2e unreachable test:e2e:unreachable --config ../../e2e-tests/app-config.unreachable.yaml

# last, as it ends the sandbox: the journey stops the sandbox mid-run (its process group) and
# checks that Platform health turns Unknown within two refresh intervals and ArgoCD is named
export SANDBOX_STOP_PID="$SANDBOX_PID"
run_e2e sandbox-stopped test:e2e:sandbox-stopped

echo
echo "all tests passed"
