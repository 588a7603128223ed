#!/usr/bin/env bash
# Builds everything (tests skipped) and starts the BFD Karaf distribution in the foreground,
# with the bfd feature active. Ctrl-D or `logout` at the karaf@root()> prompt stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi
mvn -B -q install -DskipTests
exec karaf-assembly/target/assembly/bin/karaf "$@"
