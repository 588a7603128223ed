#!/usr/bin/env bash
# Builds everything (tests skipped) and starts the BFD Karaf distribution in the foreground,
# with the bfd feature active. Ctrl-D or `logout` at the karaf@root()> prompt stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi
# Progress as one line per module ("Building BFD API ... [1/7]"); the whole log is kept.
log="$(mktemp -t bfd-build-XXXXXX.log)"
echo "Building (tests skipped; full log: $log) ..."
set +e
mvn -B -ntp install -DskipTests 2>&1 | tee "$log" \
    | grep --line-buffered -E '^\[INFO\] (Building [A-Z]|BUILD|Total time)|^\[ERROR\]'
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    echo "The build failed (exit $status); the full log is $log" >&2
    exit "$status"
fi
exec karaf-assembly/target/assembly/bin/karaf "$@"
