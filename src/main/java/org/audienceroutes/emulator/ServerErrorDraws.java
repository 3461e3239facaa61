package org.audienceroutes.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Which struck requests answer a server error. Blocks of 100 draws hold exactly the plan's percentage of hits,
 * shuffled with a seeded {@link Random}, so a test can count on the percentage and on the order repeating.
 * Not thread-safe: {@link ActiveFaults} draws under its lock.
 */
final class ServerErrorDraws {

    private static final int BLOCK = 100;

    private final int percent;
    private final Random random;
    private final Deque<Boolean> block = new ArrayDeque<>(BLOCK);

    ServerErrorDraws(int percent, long seed) {
        this.percent = percent;
        this.random = new Random(seed);
    }

    /** The status to answer instead of the operation, if this draw is a hit. */
    OptionalInt next() {
        if (percent == 0) {
            return OptionalInt.empty();
        }
        if (block.isEmpty()) {
            refill();
        }
        if (!block.pollFirst()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(random.nextBoolean() ? 500 : 503);
    }

    private void refill() {
        List<Boolean> hits = new ArrayList<>(BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            hits.add(i < percent);
        }
        Collections.shuffle(hits, random);
        block.addAll(hits);
    }
}
