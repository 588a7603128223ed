package org.onosbfd.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
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
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Type");
        table.column("Used by");
        table.emptyTableText("(no keys)");
        keys.forEach(k -> table.addRow().addContent(k.id(), k.type().label(),
                k.useCount() + " session" + (k.useCount() == 1 ? "" : "s")));
        table.print(System.out);
    }
}
