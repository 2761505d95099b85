#!/usr/bin/env bash
# Private RabbitMQ (AMQP 0-9-1 + STOMP plugin + consistent-hash exchange) and ActiveMQ (STOMP)
# brokers for tests and benchmarks, from the Debian packages `rabbitmq-server` and `activemq`.
#
#   scripts/broker.sh start rabbitmq|activemq DIR   start one broker in DIR, print its ports
#   scripts/broker.sh stop DIR                      stop the broker started in DIR (by PID)
#
# `start` keeps config, data, logs and PIDs under DIR and listens on loopback only, on free
# ports (kept in DIR, so a broker restarted in the same DIR reuses its ports and its data:
# outage tests). RabbitMQ gets its own Erlang node name, distribution port and epmd (a private
# ERL_EPMD_PORT, started and stopped here, so a system epmd is never touched). Prints one line
# `amqp=PORT stomp=PORT` (rabbitmq) or `stomp=PORT` (activemq) on stdout once the broker
# accepts connections. Start-up timeout: BROKER_TIMEOUT seconds (default 120); ActiveMQ heap:
# BROKER_HEAP (default 256m). RabbitMQ with BROKER_TLS_DIR=DIR (holding ca.pem, server.pem,
# server.key) also listens with TLS for AMQP and STOMP and prints `amqps=PORT stomps=PORT`;
# ActiveMQ with BROKER_TLS_DIR listens with STOMP over TLS too and prints `stomps=PORT` (needs
# openssl and the JDK's keytool). Client certificates are asked for and verified against ca.pem
# when presented.
set -euo pipefail

TIMEOUT="${BROKER_TIMEOUT:-120}"
HEAP="${BROKER_HEAP:-256m}"

die() {
  echo "broker.sh: $*" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A port per name, chosen once and kept in DIR.
port_of() {
  local dir="$1" name="$2"
  if [ ! -s "$dir/$name.port" ]; then free_port >"$dir/$name.port"; fi
  cat "$dir/$name.port"
}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_ports() {
  local dir="$1" pid="$2" log="$3"
  shift 3
  local deadline=$((SECONDS + TIMEOUT)) port
  for port in "$@"; do
    until listening "$port"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -30 "$log" >&2
        die "broker exited during start-up (log: $log)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        tail -30 "$log" >&2
        stop_broker "$dir"
        die "broker not listening on $port after ${TIMEOUT}s (log: $log)"
      fi
      sleep 0.3
    done
  done
}

start_rabbitmq() {
  local dir="$1" amqp stomp dist epmd home
  command -v epmd >/dev/null || die "epmd not found (apt-get install rabbitmq-server)"
  home=$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-* 2>/dev/null | sort -V | tail -1)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && [ -n "$home" ] ||
    die "rabbitmq-server not installed (apt-get install rabbitmq-server)"
  amqp=$(port_of "$dir" amqp)
  stomp=$(port_of "$dir" stomp)
  dist=$(port_of "$dir" dist)
  epmd=$(port_of "$dir" epmd)
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$amqp
stomp.listeners.tcp.1 = 127.0.0.1:$stomp
loopback_users = none
log.console = false
log.file.level = warning
EOF
  local tls_ports=() tls_line=""
  if [ -n "${BROKER_TLS_DIR:-}" ]; then
    local amqps stomps
    amqps=$(port_of "$dir" amqps)
    stomps=$(port_of "$dir" stomps)
    cat >>"$dir/rabbitmq.conf" <<EOF
listeners.ssl.1 = 127.0.0.1:$amqps
stomp.listeners.ssl.1 = 127.0.0.1:$stomps
ssl_options.cacertfile = $BROKER_TLS_DIR/ca.pem
ssl_options.certfile = $BROKER_TLS_DIR/server.pem
ssl_options.keyfile = $BROKER_TLS_DIR/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
EOF
    tls_ports=("$amqps" "$stomps")
    tls_line=" amqps=$amqps stomps=$stomps"
  fi
  echo "[rabbitmq_stomp,rabbitmq_consistent_hash_exchange]." >"$dir/enabled_plugins"
  # A private epmd in the foreground, so its PID is ours to stop.
  ERL_EPMD_ADDRESS=127.0.0.1 epmd -port "$epmd" </dev/null >>"$dir/log/epmd.log" 2>&1 &
  echo $! >"$dir/epmd.pid"
  (
    export HOME="$dir/home" RABBITMQ_HOME="$home" RABBITMQ_CONF_ENV_FILE=/dev/null
    export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    export RABBITMQ_NODENAME="xrd$amqp@localhost" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/beam.pid"
    export RABBITMQ_DIST_PORT="$dist" ERL_EPMD_PORT="$epmd" ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    cd "$dir"
    exec /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >>"$dir/log/server.log" 2>&1
  ) &
  echo $! >"$dir/pid"
  wait_ports "$dir" "$(cat "$dir/pid")" "$dir/log/server.log" "$amqp" "$stomp" "${tls_ports[@]}"
  echo "amqp=$amqp stomp=$stomp$tls_line"
}

start_activemq() {
  local dir="$1" stomp jar=/usr/share/activemq/bin/activemq.jar
  [ -f "$jar" ] || die "activemq not installed (apt-get install activemq)"
  command -v java >/dev/null || die "java not found"
  stomp=$(port_of "$dir" stomp)
  mkdir -p "$dir/conf" "$dir/data" "$dir/log"
  local ssl_context="" ssl_connector="" tls_ports=() tls_line=""
  if [ -n "${BROKER_TLS_DIR:-}" ]; then
    command -v keytool >/dev/null || die "keytool not found (a JDK)"
    local stomps
    stomps=$(port_of "$dir" stomps)
    # Java reads the server key from PKCS#12 and trusts the CA from a keytool-made store;
    # client certificates are asked for (wantClientAuth) and verified against that CA.
    rm -f "$dir/conf/server.p12" "$dir/conf/trust.p12"
    openssl pkcs12 -export -in "$BROKER_TLS_DIR/server.pem" -inkey "$BROKER_TLS_DIR/server.key" \
      -name server -out "$dir/conf/server.p12" -passout pass:brokertls
    keytool -importcert -noprompt -alias ca -file "$BROKER_TLS_DIR/ca.pem" -storetype PKCS12 \
      -keystore "$dir/conf/trust.p12" -storepass brokertls >/dev/null
    ssl_context="<sslContext><sslContext keyStore=\"file:$dir/conf/server.p12\" keyStorePassword=\"brokertls\" keyStoreType=\"PKCS12\" trustStore=\"file:$dir/conf/trust.p12\" trustStorePassword=\"brokertls\" trustStoreType=\"PKCS12\"/></sslContext>"
    ssl_connector="<transportConnector name=\"stomp+ssl\" uri=\"stomp+ssl://127.0.0.1:$stomps?transport.wantClientAuth=true\"/>"
    tls_ports=("$stomps")
    tls_line=" stomps=$stomps"
  fi
  cat >"$dir/conf/activemq.xml" <<EOF
<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" useJmx="false" brokerName="xrd$stomp"
          dataDirectory="$dir/data" schedulerSupport="false">
    <persistenceAdapter><kahaDB directory="$dir/data/kahadb"/></persistenceAdapter>
    $ssl_context
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:$stomp"/>
      $ssl_connector
    </transportConnectors>
  </broker>
</beans>
EOF
  (
    cd "$dir"
    exec java -Xms64m -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
      -Dactivemq.home=/usr/share/activemq -Dactivemq.base="$dir" -Dactivemq.conf="$dir/conf" \
      -Dactivemq.data="$dir/data" -jar "$jar" start "xbean:file:$dir/conf/activemq.xml" \
      </dev/null >>"$dir/log/server.log" 2>&1
  ) &
  echo $! >"$dir/pid"
  wait_ports "$dir" "$(cat "$dir/pid")" "$dir/log/server.log" "$stomp" "${tls_ports[@]}"
  echo "stomp=$stomp$tls_line"
}

stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop_broker() {
  local dir="$1" f
  [ -s "$dir/pid" ] || die "no pid file in $dir"
  # The Erlang VM first (its shell wrapper exits with it), then the wrapper, then epmd.
  for f in beam.pid pid epmd.pid; do
    if [ -s "$dir/$f" ]; then
      stop_pid "$(cat "$dir/$f")"
      rm -f "$dir/$f"
    fi
  done
}

cmd="${1:-}"
case "$cmd" in
  start)
    kind="${2:?broker kind required (rabbitmq or activemq)}"
    dir="${3:?DIR required}"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    case "$kind" in
      rabbitmq) start_rabbitmq "$dir" ;;
      activemq) start_activemq "$dir" ;;
      *) die "unknown broker '$kind' (expected rabbitmq or activemq)" ;;
    esac
    ;;
  stop) stop_broker "${2:?DIR required}" ;;
  *) die "usage: broker.sh start rabbitmq|activemq DIR | stop DIR" ;;
esac
