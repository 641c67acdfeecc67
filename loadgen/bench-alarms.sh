#!/usr/bin/env bash
# make bench-alarms: SOS publish → alarm → realtime event at 50 dashboards,
# with background telemetry at 1,000 and at 10,000 msg/s.
#
# Builds the binary, provisions LOAD background devices and 20 SOS buttons
# in a fresh demo data dir, starts the appliance on loopback and runs
# `fengqiao bench alarms` once per rate in RATES, then cleans up.
#
# Tunables (environment): RATES LOAD PRESSES DASHBOARDS BIN MQTT_PORT
# HTTP_PORT KEEP=1 (keep the data dir).
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=${RATES:-"1000 10000"}
LOAD=${LOAD:-500}
PRESSES=${PRESSES:-300}
DASHBOARDS=${DASHBOARDS:-50}
BIN=${BIN:-./bin/fengqiao-bench}
MQTT_PORT=${MQTT_PORT:-18832}
HTTP_PORT=${HTTP_PORT:-18891}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$(dirname "$BIN")"
go build -o "$BIN" .
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	if [ "${KEEP:-}" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$BIN" device add --dir "$work/pb_data" --kind pir --bulk "$LOAD" --prefix load- --out "$work/load.csv"
"$BIN" device add --dir "$work/pb_data" --kind sos_button --bulk 20 --prefix sos- --out "$work/sos.csv"
"$BIN" serve --demo --dev=false --dir "$work/pb_data" --http "127.0.0.1:$HTTP_PORT" \
	--mqtt "127.0.0.1:$MQTT_PORT" >"$work/fengqiao.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
	curl -fsS "http://127.0.0.1:$HTTP_PORT/api/health" >/dev/null 2>&1 && break
	sleep 0.1
done

for rate in $RATES; do
	"$BIN" bench alarms --dir "$work/client" --http "http://127.0.0.1:$HTTP_PORT" \
		--broker "mqtt://127.0.0.1:$MQTT_PORT" --creds "$work/load.csv" --sos "$work/sos.csv" \
		--rate "$rate" --presses "$PRESSES" --dashboards "$DASHBOARDS"
done
