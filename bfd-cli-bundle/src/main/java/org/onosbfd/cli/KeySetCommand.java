package org.onosbfd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:key-set ID TYPE SECRET}: adds a key or replaces an unused one (as VPP's bfd key set). */
@Service
@Command(scope = "bfd", name = "key-set", description = "Adds an authentication key, or replaces "
        + "one that no session uses")
public class KeySetCommand extends AbstractBfdCommand {

    @Argument(index = 0, name = "ID", required = true, description = "Configuration key id")
    private String id;

    @Argument(index = 1, name = "TYPE", required = true,
            description = "simple|keyed-md5|meticulous-keyed-md5|keyed-sha1|meticulous-keyed-sha1")
    @Completion(value = StringsCompleter.class, values = {"simple", "keyed-md5",
        "meticulous-keyed-md5", "keyed-sha1", "meticulous-keyed-sha1"})
    private String type;

    @Argument(index = 2, name = "SECRET", required = true,
            description = "The password or key (text; hex digits with --hex)")
    private String secret;

    @Option(name = "--hex", description = "SECRET is hex digits (VPP's form)")
    private boolean hex;

    @Override
    protected void run() {
        long keyId = SessionOptions.integer("ID", id, 0, 0xFFFF_FFFFL);
        BfdAuthType authType = BfdAuthType.ofLabel(type);
        byte[] bytes = hex ? BfdJson.hex("SECRET", secret)
                : secret.getBytes(StandardCharsets.UTF_8);
        bfd.setKey(new BfdAuthKey(keyId, authType, bytes));
        // The key as listed (its secret never is), as REST answers a POST /keys.
        report(bfd.keys().stream().filter(k -> k.id() == keyId).findFirst()
                .map(k -> (JsonNode) BfdJson.encode(k)).orElseThrow(),
                "Key %d (%s) set", keyId, authType.label());
    }
}
