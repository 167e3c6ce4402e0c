package org.scsms;

/**
 * Progress of a simulation, called on the thread that runs
 * {@link Model#simulate} after each block of trials it finishes.
 */
@FunctionalInterface
public interface SimulationProgress {
    /**
     * @param done trials done so far
     * @param total trials in all
     * @return true to go on, false to stop: the simulation then throws
     *         {@link CanceledException}. An exception thrown here stops the
     *         simulation and propagates from {@link Model#simulate}.
     */
    boolean onProgress(long done, long total);
}
