package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdDampening;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;

/**
 * The session parameters shared by {@code bfd:session-add} and {@code bfd:session-mod}: each
 * option given replaces the base configuration's value, the rest stay as they are.
 */
public abstract class SessionOptions extends AbstractBfdCommand {

    @Option(name = "--interface", aliases = "-i", description = "Interface of a single-hop session")
    @Completion(InterfaceCompleter.class)
    protected String interfaceName;

    @Option(name = "--tx", description = "Desired min TX interval: 50ms, 300000us, 1s")
    protected String tx;

    @Option(name = "--rx", description = "Required min RX interval: 50ms, 300000us, 1s")
    protected String rx;

    @Option(name = "--multiplier", aliases = "-m", description = "Detect multiplier, 1-255")
    protected String multiplier;

    @Option(name = "--echo-rx", description = "Required min echo RX interval (0 = no echo loop)")
    protected String echoRx;

    @Option(name = "--echo-tx", description = "Desired min echo TX interval (0 = echo off)")
    protected String echoTx;

    @Option(name = "--passive", description = "Passive role: wait for the peer to speak first")
    protected boolean passive;

    @Option(name = "--active", description = "Active role (the default): speak first")
    protected boolean active;

    @Option(name = "--demand", description = "Ask the peer for Demand mode (RFC 5880 §6.6)")
    protected boolean demand;

    @Option(name = "--no-demand", description = "Periodic packets both ways (the default)")
    protected boolean noDemand;

    @Option(name = "--dampening", description = "Hold a flapping session Down: INITIAL,MAXIMUM "
            + "(2s,120s: 2 s after a first flap, doubled per flap up to 120 s)")
    protected String dampening;

    @Option(name = "--no-dampening", description = "Flaps not dampened (the default)")
    protected boolean noDampening;

    @Option(name = "--min-ttl", description = "Multihop: lowest TTL accepted, 1-255")
    protected String minTtl;

    @Option(name = "--key", description = "Configured key id to authenticate with (see bfd:keys)")
    @Completion(KeyIdCompleter.class)
    protected String key;

    @Option(name = "--bfd-key-id", description = "Auth Key ID on the wire, 0-255 (with --key)")
    protected String bfdKeyId;

    @Option(name = "--no-auth", description = "Remove the session's authentication")
    protected boolean noAuth;

    /** Applies the options given to a builder that holds the base values. */
    protected BfdSessionConfig.Builder apply(BfdSessionConfig.Builder b, BfdSessionConfig base) {
        if (interfaceName != null) {
            b.interfaceName(interfaceName);
        }
        if (tx != null) {
            b.desiredMinTxInterval(Durations.parseMicros("--tx", tx));
        }
        if (rx != null) {
            b.requiredMinRxInterval(Durations.parseMicros("--rx", rx));
        }
        if (echoRx != null) {
            b.requiredMinEchoRxInterval(Durations.parseMicros("--echo-rx", echoRx));
        }
        if (echoTx != null) {
            b.desiredMinEchoTxInterval(Durations.parseMicros("--echo-tx", echoTx));
        }
        if (multiplier != null) {
            b.detectMultiplier(integer("--multiplier", multiplier, 1, 255));
        }
        if (passive || active) {
            b.passive(either("--passive", passive, "--active", active));
        }
        if (demand || noDemand) {
            b.demand(either("--demand", demand, "--no-demand", noDemand));
        }
        if (dampening != null && noDampening) {
            throw BfdException.invalid("--dampening", dampening,
                    "--dampening or --no-dampening, not both");
        }
        if (dampening != null) {
            String[] holds = dampening.split(",", -1);
            if (holds.length != 2) {
                throw BfdException.invalid("--dampening", dampening,
                        "INITIAL,MAXIMUM hold-downs such as 2s,120s");
            }
            b.dampening(new BfdDampening(Durations.parseMicros("--dampening", holds[0]),
                    Durations.parseMicros("--dampening", holds[1])));
        } else if (noDampening) {
            b.dampening(null);
        }
        if (minTtl != null) {
            b.minReceivedTtl(integer("--min-ttl", minTtl, 1, 255));
        }
        if (noAuth && (key != null || bfdKeyId != null)) {
            throw new IllegalArgumentException("--no-auth: give either --no-auth or --key");
        }
        if (noAuth) {
            b.authentication(null);
        } else if (key != null || bfdKeyId != null) {
            BfdAuthentication current = base == null ? null : base.authentication();
            if (key == null && current == null) {
                throw BfdException.invalid("--key", null, "a configured key id with --bfd-key-id");
            }
            long keyId = key != null ? integer("--key", key, 0, 0xFFFF_FFFFL)
                    : current.keyId();
            int wireId = bfdKeyId != null ? (int) integer("--bfd-key-id", bfdKeyId, 0, 255)
                    : current != null ? current.bfdKeyId() : 1;
            b.authentication(new BfdAuthentication(keyId, wireId));
        }
        return b;
    }

    static long integer(String option, String text, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw BfdException.invalid(option, text, "an integer from " + min + " to " + max);
    }

    private static int integer(String option, String text, int min, int max) {
        return (int) integer(option, text, (long) min, (long) max);
    }

    /** The flag given of a pair that contradict each other: true for {@code on}. */
    private static boolean either(String onName, boolean on, String offName, boolean off) {
        if (on && off) {
            throw BfdException.invalid(onName, offName, onName + " or " + offName + ", not both");
        }
        return on;
    }
}
