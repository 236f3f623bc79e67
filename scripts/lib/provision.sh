# Installs the Debian packages the test run needs when they are missing: Chromium for the browser
# journeys, PostgreSQL for the production-database check, git for the GitOps remote, kubectl to
# prove the sandbox speaks the real Kubernetes API, openssl for the production stage's test CA,
# MkDocs with the Material theme for TechDocs (built locally by the backend). Runs apt-get as
# root, or through sudo.
# shellcheck shell=bash
provision_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v git >/dev/null || missing+=(git)
  command -v kubectl >/dev/null || missing+=(kubectl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v mkdocs >/dev/null || missing+=(mkdocs)
  python3 -c 'import material' 2>/dev/null || missing+=(mkdocs-material)
  [ -n "$(postgres_bin_dir)" ] || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "[provision] installing Debian packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

postgres_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$dir/initdb" ] && echo "$dir"
}
