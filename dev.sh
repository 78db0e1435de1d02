#!/usr/bin/env bash
# One entry point on a fresh Debian or Ubuntu machine (run as root or with sudo rights):
#   ./dev.sh demo    install everything, load a demo salon, serve the box under gunicorn
#   ./dev.sh test    install everything, run the whole test suite (extra args go to pytest)
#   ./dev.sh bench   install everything, run the booking benchmark
#   ./dev.sh sync-bench   install everything, run the box-to-cloud sync benchmark
set -euo pipefail
cd "$(dirname "$0")"
VENV="${SALON_VENV:-.venv}"
DEMO_DATA="${SALON_DEMO_DATA:-var/demo}"
DEMO_BIND="${SALON_DEMO_BIND:-0.0.0.0:8080}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages that are missing, and only those.
need_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing system packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

python_env() {
  # pyscard has no Linux wheel: it is built against pcsc-lite with swig.
  need_packages python3 python3-venv python3-pip python3-dev ca-certificates gcc swig libpcsclite-dev
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test]"
}

demo() {
  python_env
  mkdir -p "$DEMO_DATA"
  "$VENV/bin/salon-box" --data-dir "$DEMO_DATA" demo
  local port="${DEMO_BIND##*:}"
  local host
  host="$(hostname -I 2>/dev/null | awk '{print $1}')"
  echo
  echo "Salon box is starting under gunicorn. Open:"
  echo "  http://${host:-localhost}:${port}/                      the administrator's interface"
  echo "  http://${host:-localhost}:${port}/kiosk/                the kiosk (pair it on Kiosks, signed in as 'manager')"
  echo "  http://${host:-localhost}:${port}/api/v1/openapi.json   the API document"
  echo "  sign-in names and passwords: $DEMO_DATA/demo-credentials.txt (try 'admin')"
  echo "  the demo's receipt printer writes each job to $DEMO_DATA/demo-receipt.escpos"
  echo
  # The hardware service (card readers through pcscd if there is one, the print queue) runs beside
  # the web app, as salon-box-hardware.service does on a box; it stops with it.
  "$VENV/bin/salon-box" --data-dir "$DEMO_DATA" hardware &
  local hardware=$!
  trap 'kill "$hardware" 2>/dev/null; wait "$hardware" 2>/dev/null' EXIT INT TERM
  "$VENV/bin/salon-box" --data-dir "$DEMO_DATA" serve --bind "$DEMO_BIND"
}

run_tests() {
  # Browser tests drive Debian's Chromium (Playwright cannot download its own here).
  # Card reader tests run a private pcscd with the vsmartcard virtual reader (in a namespace of its
  # own: unshare from util-linux); the unit tests check systemd units with systemd-analyze.
  need_packages chromium fonts-dejavu-core postgresql mosquitto mosquitto-clients openssl \
    pcscd vsmartcard-vpcd systemd util-linux
  python_env
  exec "$VENV/bin/python" -m pytest "$@"
}

bench() {
  # --instructions counts instructions per request under valgrind's callgrind.
  case " $* " in *" --instructions "*) need_packages valgrind ;; esac
  python_env
  exec "$VENV/bin/python" bench/booking_bench.py "$@"
}

sync_bench() {
  # A private PostgreSQL and Mosquitto, started by the bench itself.
  need_packages postgresql mosquitto openssl
  python_env
  exec "$VENV/bin/python" bench/sync_bench.py "$@"
}

case "${1:-}" in
  demo) shift; demo "$@" ;;
  test) shift; run_tests "$@" ;;
  bench) shift; bench "$@" ;;
  sync-bench) shift; sync_bench "$@" ;;
  *) echo "usage: ./dev.sh demo | test [pytest args] | bench | sync-bench" >&2; exit 2 ;;
esac
