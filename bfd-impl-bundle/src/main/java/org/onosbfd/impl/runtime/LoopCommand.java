package org.onosbfd.impl.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** A call waiting to run on the {@link EventLoop}, and its result for the caller. */
final class LoopCommand<T> {
    final Callable<T> work;
    final CompletableFuture<T> result = new CompletableFuture<>();

    LoopCommand(Callable<T> work) {
        this.work = work;
    }

    /** Runs the call on the loop; whatever it throws is the caller's. */
    void run() {
        try {
            result.complete(work.call());
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }
}
