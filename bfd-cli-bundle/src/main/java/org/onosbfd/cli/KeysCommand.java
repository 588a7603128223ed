package org.onosbfd.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:keys}: the authentication keys, never their secrets. */
@Service
@Command(scope = "bfd", name = "keys", description = "Lists authentication keys (secrets are never shown)")
public class KeysCommand extends AbstractBfdCommand {

    @Override
    protected void run() {
        List<BfdKeyInfo> keys = bfd.keys();
        if (json) {
            printJson(BfdJson.list("keys",
                    keys.stream().map(BfdJson::encode).collect(Collectors.toList())));
            return;
        }
        print("%-12s %-24s %s", "Id", "Type", "Used by");
        keys.forEach(k -> print("%-12d %-24s %d session%s", k.id(), k.type().label(),
                k.useCount(), k.useCount() == 1 ? "" : "s"));
        if (keys.isEmpty()) {
            print("(no keys)");
        }
    }
}
