package org.scsms;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One C object owned by a Java object: its address, a count of the calls in
 * flight and a closed flag in one atomic word.
 *
 * <p>{@link #acquire()} returns the address for one call (or throws
 * IllegalStateException once closed) and {@link #release()} ends the call.
 * {@link #close()} marks the handle closed; the C object is freed exactly
 * once, by close() when no call is in flight, else by the release() of the
 * last one. So closing from another thread, or the owner becoming
 * unreachable during a call, never frees memory a call is using. A
 * {@link Cleaner} closes the handle when its owner is garbage-collected
 * without close() (a safety net: close deterministically).
 */
final class Handle implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final long CLOSED = Long.MIN_VALUE;

    private final AtomicLong state = new AtomicLong();
    private final long address;
    private final LongConsumer free;
    private final String what;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param owner the Java object whose unreachability also frees the C object
     * @param address the C object (non-zero)
     * @param free its free function
     * @param what its name in messages ("model", "snapshot", ...)
     */
    Handle(Object owner, long address, LongConsumer free, String what) {
        if (address == 0) {
            throw new IllegalArgumentException("null " + what);
        }
        this.address = address;
        this.free = free;
        this.what = what;
        this.cleanable = CLEANER.register(owner, this);
    }

    /** The address, for one call; pair with {@link #release()} in a finally block. */
    long acquire() {
        for (;;) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException("the " + what + " is closed");
            }
            if (state.compareAndSet(s, s + 1)) {
                return address;
            }
        }
    }

    /** Ends a call begun by {@link #acquire()}. */
    void release() {
        if (state.decrementAndGet() == CLOSED) {
            free.accept(address);
        }
    }

    /** Closes: idempotent; frees now or when the last call in flight ends. */
    void close() {
        cleanable.clean();
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** The Cleaner's action (runs once, through close() or the GC). */
    @Override
    public void run() {
        for (;;) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    free.accept(address);
                }
                return;
            }
        }
    }
}
