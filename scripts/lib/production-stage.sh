# The production stage of scripts/test.sh: the portal as its image runs it.
#   - the image's file tree (scripts/lib/image-tree.sh, the same steps as packages/backend/Dockerfile)
#   - started as the image starts it: NODE_ENV=production, `node packages/backend --config
#     app-config.yaml --config app-config.production.yaml`, every value from the environment
#     (the variables of K8s/portal/idp-portal; here they point at local stand-ins)
#   - PostgreSQL (scripts/lib/postgres.sh), an OpenID provider from npm
#     (e2e-tests/production/oidc-provider.mjs), a git server with GitHub's pull-request API
#     (e2e-tests/production/fake-github.mjs) in front of the sandbox's GitOps remote, and the
#     sandbox as the cluster and ArgoCD
#   - first the startup refusals (no session secret, pull-request mode without a GitHub remote),
#     then the browser journeys tagged @production (yarn test:e2e:production), then readiness
#     with PostgreSQL stopped.
# Needs: yarn build:all done, the sandbox running (SANDBOX_GITOPS_REMOTE, SANDBOX_KUBECONFIG),
# RUN_DIR, and scripts/lib/{processes,postgres,image-tree}.sh sourced.
# shellcheck shell=bash

PRODUCTION_OIDC_PORT=7190
PRODUCTION_GITHUB_PORT=7191

# production_env: prints the environment a Deployment of K8s/portal/idp-portal gives the
# container, pointed at this machine's stand-ins (one VAR=value per line)
production_env() {
  local ca_data
  ca_data="$(sed -n 's/^ *certificate-authority-data: *//p' "$SANDBOX_KUBECONFIG" | head -1)"
  cat <<EOF
NODE_ENV=production
NODE_OPTIONS=--no-node-snapshot
PORTAL_BASE_URL=http://localhost:7007
POSTGRES_HOST=$POSTGRES_HOST
POSTGRES_PORT=$POSTGRES_PORT
POSTGRES_USER=$POSTGRES_USER
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
AUTH_SESSION_SECRET=$PRODUCTION_SESSION_SECRET
AUTH_OIDC_METADATA_URL=http://127.0.0.1:$PRODUCTION_OIDC_PORT/.well-known/openid-configuration
AUTH_OIDC_CLIENT_ID=idp-portal
AUTH_OIDC_CLIENT_SECRET=$PRODUCTION_OIDC_CLIENT_SECRET
K8S_CLUSTER_NAME=sandbox
K8S_CLUSTER_URL=https://127.0.0.1:7100
K8S_SERVICE_ACCOUNT_TOKEN=$(sed -n 's/^  token: *//p' "$REPO_ROOT/packages/sandbox/sandbox.config.yaml" | head -1)
K8S_CLUSTER_CA_DATA=$ca_data
ARGOCD_INSTANCE_NAME=sandbox
ARGOCD_URL=http://127.0.0.1:7101
ARGOCD_AUTH_TOKEN=$(sed -n 's/^  token: *//p' "$REPO_ROOT/packages/sandbox/sandbox.config.yaml" | sed -n 2p)
GITHUB_HOST=127.0.0.1:$PRODUCTION_GITHUB_PORT
GITHUB_API_BASE_URL=https://127.0.0.1:$PRODUCTION_GITHUB_PORT/api/v3
GITHUB_TOKEN=$PRODUCTION_GITHUB_TOKEN
GITOPS_REMOTE_URL=https://127.0.0.1:$PRODUCTION_GITHUB_PORT/acme/gitops.git
GITOPS_BRANCH=main
GITOPS_BROWSE_URL_TEMPLATE=https://127.0.0.1:$PRODUCTION_GITHUB_PORT/acme/gitops/tree/{sha}/{path}
GRAFANA_BASE_URL=https://grafana.platform.example.com
NODE_EXTRA_CA_CERTS=$PRODUCTION_TLS_DIR/ca.pem
GIT_SSL_CAINFO=$PRODUCTION_TLS_DIR/ca.pem
EOF
}

# production_backend LOG [VAR=value...]: starts the image tree's backend in the background with
# production_env plus overrides (VAR= unsets); only PATH and HOME come from this shell
production_backend() {
  local log="$1"
  shift
  local env_args=()
  mapfile -t env_args < <(production_env)
  local override
  for override in "$@"; do
    if [[ "$override" == *= ]]; then
      local name="${override%=}" kept=()
      for kv in "${env_args[@]}"; do [[ "$kv" == "$name="* ]] || kept+=("$kv"); done
      env_args=("${kept[@]}")
    else
      env_args+=("$override")
    fi
  done
  pushd "$PRODUCTION_IMAGE_DIR" >/dev/null
  start_background "backend (production image)" "$log" \
    env -i PATH="$PATH" HOME="$HOME" "${env_args[@]}" \
    node packages/backend --config app-config.yaml --config app-config.production.yaml
  popd >/dev/null
}

# production_expect_refusal NAME MESSAGE_REGEX [VAR=value...]: the backend must exit non-zero
# within 120 s, its log naming what is wrong
production_expect_refusal() {
  local name="$1" pattern="$2"
  shift 2
  local log="$RUN_DIR/production-refusal-$name.log" t0=$SECONDS
  production_backend "$log" "$@"
  local pid=$LAST_STARTED_PID rc=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $((SECONDS - t0)) -ge 120 ]; then
      stop_background "$pid"
      echo "[production] $name: the backend did not refuse to start within 120 s" >&2
      tail -20 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  wait "$pid" || rc=$?
  if [ "$rc" -eq 0 ] || ! grep -Eq "$pattern" "$log"; then
    echo "[production] $name: expected a non-zero exit naming /$pattern/, got exit $rc:" >&2
    tail -20 "$log" >&2
    return 1
  fi
  echo "[production] $name: refused in $((SECONDS - t0)) s, exit $rc: $(grep -m1 -Eo "caused by [^\"\\]*" "$log")"
}

# production_tls DIR: a throwaway CA and a server certificate for 127.0.0.1 signed by it (the git
# server speaks https as GitHub does; the portal trusts the CA the way a deployment trusts a
# GitHub Enterprise's private CA: NODE_EXTRA_CA_CERTS for Node, GIT_SSL_CAINFO for git)
production_tls() {
  local dir="$1"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=idp-portal test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$dir/ext"
  openssl x509 -req -days 1 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -extfile "$dir/ext" -out "$dir/server.pem" 2>/dev/null
}

production_stage() {
  local t_stage=$SECONDS t0
  PRODUCTION_IMAGE_DIR="$RUN_DIR/image"
  PRODUCTION_SESSION_SECRET="session-$RANDOM$RANDOM$RANDOM"
  PRODUCTION_OIDC_CLIENT_SECRET="oidc-$RANDOM$RANDOM$RANDOM"
  PRODUCTION_GITHUB_TOKEN="ghp_test$RANDOM$RANDOM$RANDOM"
  PRODUCTION_TLS_DIR="$RUN_DIR/tls"
  production_tls "$PRODUCTION_TLS_DIR"

  t0=$SECONDS
  rm -rf "$PRODUCTION_IMAGE_DIR"
  image_tree_lay_out "$PRODUCTION_IMAGE_DIR" >"$RUN_DIR/image-tree.log" 2>&1 ||
    { tail -30 "$RUN_DIR/image-tree.log" >&2; return 1; }
  echo "[time] image tree laid out in $((SECONDS - t0)) s ($(du -sm "$PRODUCTION_IMAGE_DIR" | cut -f1) MB)"
  if [ -e "$PRODUCTION_IMAGE_DIR/app-config.local.yaml" ] ||
    [ -e "$PRODUCTION_IMAGE_DIR/packages/sandbox/sandbox.config.yaml" ]; then
    echo "[production] the image tree must not contain laptop config or sandbox tokens" >&2
    return 1
  fi

  postgres_start 55432

  # GitHub in front of the sandbox's GitOps remote: pull-request branches land where the
  # sandbox's ArgoCD reads, main moves only when someone merges
  mkdir -p "$RUN_DIR/github/acme"
  ln -s "$SANDBOX_GITOPS_REMOTE" "$RUN_DIR/github/acme/gitops.git"
  start_background "fake GitHub" "$RUN_DIR/fake-github.log" \
    env FAKE_GITHUB_PORT=$PRODUCTION_GITHUB_PORT FAKE_GITHUB_ROOT="$RUN_DIR/github" \
    FAKE_GITHUB_TOKEN="$PRODUCTION_GITHUB_TOKEN" FAKE_GITHUB_TLS_CERT="$PRODUCTION_TLS_DIR/server.pem" \
    FAKE_GITHUB_TLS_KEY="$PRODUCTION_TLS_DIR/server.key" node e2e-tests/production/fake-github.mjs
  CURL_CA_BUNDLE="$PRODUCTION_TLS_DIR/ca.pem" \
    wait_for_http "https://127.0.0.1:$PRODUCTION_GITHUB_PORT/healthz" 30 "$LAST_STARTED_PID" \
    "$RUN_DIR/fake-github.log"
  start_background "OpenID provider" "$RUN_DIR/oidc-provider.log" \
    env OIDC_PORT=$PRODUCTION_OIDC_PORT OIDC_CLIENT_ID=idp-portal \
    OIDC_CLIENT_SECRET="$PRODUCTION_OIDC_CLIENT_SECRET" \
    OIDC_REDIRECT_URI=http://localhost:7007/api/auth/oidc/handler/frame \
    node e2e-tests/production/oidc-provider.mjs
  wait_for_http "http://127.0.0.1:$PRODUCTION_OIDC_PORT/.well-known/openid-configuration" 30 \
    "$LAST_STARTED_PID" "$RUN_DIR/oidc-provider.log"

  # impossible configurations stop the backend at startup, naming the key and the variable
  t0=$SECONDS
  production_expect_refusal no-session-secret 'auth\.session\.secret.*AUTH_SESSION_SECRET' \
    AUTH_SESSION_SECRET=
  # the GitOps write core's check: pull-request mode needs a remote on a GitHub integration's
  # host, and that integration's token
  production_expect_refusal gitops-remote-not-github \
    'gitops\.remote \(GITOPS_REMOTE_URL\) is on git\.example\.com, which no integrations\.github entry covers' \
    GITOPS_REMOTE_URL=https://git.example.com/acme/gitops.git
  production_expect_refusal gitops-no-token \
    'integrations\.github \(host [^)]*\) has no token: set GITHUB_TOKEN' GITHUB_TOKEN=
  echo "[time] startup refusals took $((SECONDS - t0)) s"

  t0=$SECONDS
  production_backend "$RUN_DIR/backend-production.log"
  local backend_pid=$LAST_STARTED_PID
  wait_for_http http://localhost:7007/.backstage/health/v1/readiness 180 "$backend_pid" \
    "$RUN_DIR/backend-production.log"
  echo "[measure] backend (production image) ready after $((SECONDS - t0)) s, RSS $(ps -o rss= -p "$backend_pid" | awk '{printf "%d MB", $1/1024}')"

  t0=$SECONDS
  CI=true PORTAL_DATABASE=production FAKE_GITHUB_URL="https://127.0.0.1:$PRODUCTION_GITHUB_PORT" \
    FAKE_GITHUB_TOKEN="$PRODUCTION_GITHUB_TOKEN" NODE_EXTRA_CA_CERTS="$PRODUCTION_TLS_DIR/ca.pem" \
    GIT_SSL_CAINFO="$PRODUCTION_TLS_DIR/ca.pem" yarn test:e2e:production
  echo "[time] production journeys took $((SECONDS - t0)) s"

  # readiness follows the database: PostgreSQL down, the pod leaves the Service
  "${PG_CTL_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null
  local status deadline=$((SECONDS + 30))
  until status="$(curl -s -o /dev/null -w '%{http_code}' http://localhost:7007/.backstage/health/v1/readiness)" &&
    [ "$status" = 503 ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "[production] readiness answered $status with PostgreSQL stopped, expected 503" >&2
      return 1
    fi
    sleep 1
  done
  echo "[production] readiness: 503 with PostgreSQL stopped ($(curl -s http://localhost:7007/.backstage/health/v1/readiness))"
  stop_background "$backend_pid"
  postgres_stop
  echo "[time] production stage took $((SECONDS - t_stage)) s"
}
