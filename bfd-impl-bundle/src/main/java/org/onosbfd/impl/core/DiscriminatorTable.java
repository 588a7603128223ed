package org.onosbfd.impl.core;

/**
 * Sessions by local discriminator: open addressing on primitive ints, so the per-packet lookup of
 * Your Discriminator (§6.8.6) neither boxes nor allocates. Ours are random, but one adopted
 * in a handover need not be: a multiplicative mix spreads any set of keys.
 */
final class DiscriminatorTable {
    private int[] keys = new int[64];
    private CoreSession[] values = new CoreSession[64];
    private int size;

    CoreSession get(int discriminator) {
        if (discriminator == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = mix(discriminator) & mask; ; i = (i + 1) & mask) {
            int key = keys[i];
            if (key == discriminator) {
                return values[i];
            }
            if (key == 0) {
                return null;
            }
        }
    }

    void put(int discriminator, CoreSession session) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(discriminator) & mask;
        while (keys[i] != 0 && keys[i] != discriminator) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = discriminator;
        values[i] = session;
    }

    void remove(int discriminator) {
        int mask = keys.length - 1;
        int i = mix(discriminator) & mask;
        while (keys[i] != discriminator) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        values[i] = null;
        size--;
        // Re-insert the rest of the probe run so that no lookup stops early at the hole.
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int key = keys[j];
            CoreSession value = values[j];
            keys[j] = 0;
            values[j] = null;
            size--;
            put(key, value);
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        CoreSession[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new CoreSession[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
