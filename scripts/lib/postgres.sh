# A throwaway PostgreSQL server on 127.0.0.1 for tests: its own data directory, port and
# password, stopped by postgres_stop. PostgreSQL refuses to run as root, so as root it runs as the
# Debian `postgres` user.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"

postgres_start() {
  local port="$1" bin
  bin="$(postgres_bin_dir)"
  PG_TEST_DIR="$(mktemp -d /tmp/idp-portal-pg.XXXXXX)"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$port" POSTGRES_USER=portal
  POSTGRES_PASSWORD="pw-$RANDOM$RANDOM"
  export POSTGRES_PASSWORD
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  echo "$POSTGRES_PASSWORD" >"$PG_TEST_DIR/pwfile"
  chmod 644 "$PG_TEST_DIR/pwfile"
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U "$POSTGRES_USER" --pwfile="$PG_TEST_DIR/pwfile" \
    --auth=scram-sha-256 >"$PG_TEST_DIR/initdb.log" 2>&1 || { cat "$PG_TEST_DIR/initdb.log"; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_TEST_DIR" >/dev/null
  PG_CTL_AS=("${as[@]}")
  PG_BIN="$bin"
}

postgres_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  "${PG_CTL_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}
