#!/usr/bin/env bash
# make bench: the appliance and Debian's mosquitto side by side on loopback.
#
# Builds the binary (outside the temp dir: PocketBase treats a binary under
# it as `go run` and logs every SQL statement), provisions DEVICES bench
# devices and a subscriber account in a fresh data dir with `fengqiao device
# add --bulk`, starts the appliance and mosquitto (persistence off,
# anonymous), runs `fengqiao bench` against both, and cleans up.
#
# Tunables (environment): DEVICES PUBLISHERS WINDOW DURATION BIN
# MQTT_PORT MOSQ_PORT HTTP_PORT KEEP=1 (keep the data dir).
set -euo pipefail
cd "$(dirname "$0")/.."

DEVICES=${DEVICES:-10000}
PUBLISHERS=${PUBLISHERS:-100}
WINDOW=${WINDOW:-16}
DURATION=${DURATION:-10s}
BIN=${BIN:-./bin/fengqiao-bench}
MQTT_PORT=${MQTT_PORT:-18830}
MOSQ_PORT=${MOSQ_PORT:-18831}
HTTP_PORT=${HTTP_PORT:-18890}

if ! command -v mosquitto >/dev/null; then
	echo "bench: installing Debian's mosquitto (the reference broker)"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mosquitto ||
		{ $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mosquitto; }
fi
# Each side holds DEVICES sockets; leave room for the rest.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((DEVICES + 2048))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
	echo "ulimit -n is $(ulimit -n); $need open files are needed for $DEVICES devices" >&2
	exit 1
fi

mkdir -p "$(dirname "$BIN")"
go build -o "$BIN" .
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "${KEEP:-}" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "provisioning $DEVICES devices in $work/pb_data"
"$BIN" device add --dir "$work/pb_data" --bulk "$DEVICES" --prefix bench- --kind pir --out "$work/creds.csv"
"$BIN" device add --dir "$work/pb_data" --kind feed --client-id bench-sub --subscribe 'devices/+/up' --out "$work/sub.csv"
sub=$(head -1 "$work/sub.csv" | tr , :)

cat >"$work/mosquitto.conf" <<CONF
listener $MOSQ_PORT 127.0.0.1
allow_anonymous true
persistence false
max_connections -1
max_queued_messages 1000000
set_tcp_nodelay true
log_dest stderr
log_type error
CONF
mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
pids+=($!)
mosq=$!

"$BIN" serve --dir "$work/pb_data" --http "127.0.0.1:$HTTP_PORT" --mqtt "127.0.0.1:$MQTT_PORT" \
	--mqtt-max-clients $((DEVICES + 1000)) >"$work/fengqiao.log" 2>&1 &
pids+=($!)
fq=$!

for port in "$MOSQ_PORT" "$MQTT_PORT"; do
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
done

set -x
"$BIN" bench --dir "$work/client" --creds "$work/creds.csv" --devices "$DEVICES" --parallel "${PARALLEL:-64}" \
	--publishers "$PUBLISHERS" --window "$WINDOW" --duration "$DURATION" \
	--target "name=mosquitto,url=mqtt://127.0.0.1:$MOSQ_PORT,pid=$mosq" \
	--target "name=fengqiao,url=mqtt://127.0.0.1:$MQTT_PORT,pid=$fq,db=$work/pb_data/data.db,sub=$sub"
