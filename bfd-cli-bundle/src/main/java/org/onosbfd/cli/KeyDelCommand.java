package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code bfd:key-del ID}: deletes a key no session uses. */
@Service
@Command(scope = "bfd", name = "key-del", description = "Deletes an authentication key no session uses")
public class KeyDelCommand extends AbstractBfdCommand {

    @Argument(index = 0, name = "ID", required = true, description = "Configuration key id")
    @Completion(KeyIdCompleter.class)
    private String id;

    @Override
    protected void run() {
        long keyId = SessionOptions.integer("ID", id, 0, 0xFFFF_FFFFL);
        bfd.removeKey(keyId);
        report(removed("keyId", keyId), "Key %d deleted", keyId);
    }
}
