#!/usr/bin/env bash
# Runs every test: unit tests of every bundle, and the integration tests: the real Karaf
# distribution booted and driven through bin/client, our UDP transport on loopback, and, as root,
# interop against FRR bfdd and BIRD 2 in network namespaces the tests create.
# This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi

# The real peers and tools of the namespace tests come from Debian's packages.
PACKAGES="frr bird2 openvswitch-switch nftables python3-scapy iproute2 ethtool"
if [ "$(id -u)" = 0 ]; then
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "Installing the interop tests' peers:$missing"
        # Install without starting their services: the tests run the daemons themselves, in
        # their own namespaces, and nothing may hold UDP 3784 on the host.
        created_policy=""
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
            chmod +x /usr/sbin/policy-rc.d
            created_policy=yes
        fi
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
        [ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d
    fi
else
    echo "NOTE: not running as root: the FRR/BIRD/OVS interop and GTSM tests (network namespaces)"
    echo "      will be skipped; every other test runs."
fi

exec mvn -B verify "$@"
