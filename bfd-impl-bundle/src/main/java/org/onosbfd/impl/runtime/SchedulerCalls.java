package org.onosbfd.impl.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library's scheduler calls ({@link RealtimeScheduling}, {@link PinnedThreads}), bound on
 * first use only: a host that never asks for them never loads them. pid 0 is the calling thread
 * (a Linux thread is a task of its own).
 */
final class SchedulerCalls {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private SchedulerCalls() {
    }

    static native int sched_setscheduler(int pid, int policy, Memory param)
            throws LastErrorException;

    static native int sched_getaffinity(int pid, long size, Memory mask)
            throws LastErrorException;

    static native int sched_setaffinity(int pid, long size, Memory mask)
            throws LastErrorException;
}
