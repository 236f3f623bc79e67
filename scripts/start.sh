#!/usr/bin/env bash
# The README's first command: installs what is missing and starts the whole portal on the embedded
# default: the sandbox (Kubernetes API, ArgoCD API, GitOps reconciler, Kyverno engine), the
# backend on SQLite with guest sign-in (localhost:7007) and the frontend (localhost:3000).
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/provision.sh
source scripts/lib/processes.sh

provision_debian_packages
yarn install --immutable

mkdir -p .sandbox
trap stop_all_background EXIT INT TERM
start_background sandbox .sandbox/sandbox.log yarn workspace @internal/sandbox start
echo "[start] sandbox log: .sandbox/sandbox.log, kubeconfig: .sandbox/kubeconfig" >&2

# app on :3000 and backend on :7007, restarting on changes; without --config Backstage loads
# app-config.yaml and app-config.local.yaml (the embedded default's layer)
yarn start
