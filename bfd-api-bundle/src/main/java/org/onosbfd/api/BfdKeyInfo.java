package org.onosbfd.api;

/** What the service tells about a key: never its secret. */
public final class BfdKeyInfo {
    private final long id;
    private final BfdAuthType type;
    private final int useCount;

    public BfdKeyInfo(long id, BfdAuthType type, int useCount) {
        this.id = id;
        this.type = type;
        this.useCount = useCount;
    }

    public long id() {
        return id;
    }

    public BfdAuthType type() {
        return type;
    }

    /** How many sessions use the key; a key in use cannot be deleted or changed. */
    public int useCount() {
        return useCount;
    }

    @Override
    public String toString() {
        return "key " + id + " " + type.label() + " used by " + useCount;
    }
}
