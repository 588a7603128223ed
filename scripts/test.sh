#!/usr/bin/env bash
# Runs every test: unit tests of every bundle and the integration tests that boot the real
# Karaf distribution. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi
exec mvn -B verify "$@"
