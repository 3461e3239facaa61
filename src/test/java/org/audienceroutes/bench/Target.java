package org.audienceroutes.bench;

import java.util.function.DoublePredicate;

/** A figure's goal from the issue: how the table prints it and how the row is judged. */
record Target(String text, DoublePredicate met) {

    /** Reported for understanding, judged by nothing. */
    static final Target NONE = new Target("", value -> true);

    static Target atLeast(double bound) {
        return new Target("≥ " + Figures.plain(bound), value -> value >= bound);
    }

    static Target atMost(double bound) {
        return new Target("≤ " + Figures.plain(bound), value -> value <= bound);
    }

    static Target below(double bound, String unit) {
        return new Target("< " + Figures.plain(bound) + " " + unit, value -> value < bound);
    }

    static Target zero() {
        return new Target("0", value -> value == 0);
    }

    boolean judged() {
        return this != NONE;
    }
}
