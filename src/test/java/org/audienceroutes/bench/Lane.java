package org.audienceroutes.bench;

/**
 * A run of partitions given to one endpoint's backlog, so that concurrent backlogs measure each endpoint's
 * throttle rather than one backlog queueing behind another in a shared partition.
 */
record Lane(int first, int size) {

    /** The same index always maps to the same partition: one audience's commands stay in order. */
    int partition(int index) {
        return first + Math.floorMod(index, size);
    }
}
