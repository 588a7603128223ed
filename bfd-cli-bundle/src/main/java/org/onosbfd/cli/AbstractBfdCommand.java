package org.onosbfd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.codec.BfdJson;

/**
 * The base of every {@code bfd:*} command, with the habits of ONOS's AbstractShellCommand
 * ({@code -j} for JSON, {@code print}) but no dependency on ONOS: in a plain Karaf that base
 * looks up ONOS's AuditService first and prints nothing without it.
 *
 * <p>A refused request ({@link BfdException}) becomes an error that names the bad argument and
 * the accepted form; the shell prints it and {@code bin/client -b} exits non-zero.
 */
public abstract class AbstractBfdCommand implements Action {

    @Reference
    protected BfdService bfd;

    @Option(name = "-j", aliases = "--json", description = "Output JSON (as the REST API does)")
    protected boolean json;

    @Override
    public final Object execute() {
        try {
            run();
        } catch (BfdException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return null;
    }

    /** The command's work; throw {@link BfdException} or IllegalArgumentException to refuse. */
    protected abstract void run();

    protected void print(String format, Object... args) {
        System.out.println(args.length == 0 ? format : String.format(format, args));
    }

    protected void printJson(JsonNode node) {
        System.out.println(BfdJson.print(node));
    }

    /** What a command did: as JSON with {@code -j}, else as one line of text. */
    protected void report(JsonNode result, String format, Object... args) {
        if (json) {
            printJson(result);
        } else {
            print(format, args);
        }
    }

    /** {@code {"<field>": id, "removed": true}}: the JSON of a command that removed something. */
    protected static JsonNode removed(String field, long value) {
        return BfdJson.mapper().createObjectNode().put(field, value).put("removed", true);
    }
}
