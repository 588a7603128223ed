package org.onosbfd.impl.udp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for the hot path's kernel structures (msghdr, iovec, control messages,
 * pollfd) as direct buffers in the host's byte order. The JIT turns a direct buffer's absolute
 * get and put into plain loads and stores; each JNA {@code Memory} accessor is a JNI call
 * instead, and at about twenty of them per packet those calls were most of our user CPU
 * (BENCHMARKS.md, "Where the CPU goes"). Pointers into the memory are written as addresses.
 */
final class NativeBuffers {
    private NativeBuffers() {
    }

    /** Zeroed native memory, read and written in the host's byte order. */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** The address of a direct buffer's first byte, to be written into a kernel structure. */
    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(pointer(direct));
    }

    /** A direct buffer as the JNA pointer a system call takes. */
    static Pointer pointer(ByteBuffer direct) {
        return Native.getDirectBufferPointer(direct);
    }

    /** Copies {@code to.length} bytes from {@code index} on, leaving the buffer's position. */
    static void read(ByteBuffer from, int index, byte[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] = from.get(index + i);
        }
    }
}
