# Background processes that this script started, stopped by their PID (and their children).
# shellcheck shell=bash
STARTED_PIDS=()

# start_background NAME LOGFILE COMMAND...: runs COMMAND in its own process group
start_background() {
  local name="$1" log="$2"
  shift 2
  setsid "$@" >"$log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  echo "[run] started $name (pid $pid, log $log)" >&2
  LAST_STARTED_PID=$pid
}

# stop_background PID: SIGTERM to its process group, SIGKILL after 10 s
stop_background() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

stop_all_background() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_background "$pid"; done
  STARTED_PIDS=()
}

# wait_for_http URL SECONDS PID [LOG]: until URL answers 2xx, the process dies, or time runs out
wait_for_http() {
  local url="$1" seconds="$2" pid="$3" log="${4:-}"
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "[run] process $pid exited before $url was ready" >&2
      [ -n "$log" ] && tail -50 "$log" >&2
      return 1
    fi
    curl -fsS -o /dev/null ${CURL_AUTH:+-H "$CURL_AUTH"} "$url" 2>/dev/null && return 0
    sleep 1
  done
  echo "[run] $url not ready after ${seconds}s" >&2
  [ -n "$log" ] && tail -50 "$log" >&2
  return 1
}
