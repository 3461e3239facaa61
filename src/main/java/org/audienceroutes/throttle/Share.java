package org.audienceroutes.throttle;

/**
 * This instance's place among the {@code among} instances that split an endpoint's budget: the budget divided evenly,
 * the first {@code budget mod among} places taking one more, so that the parts add up to the budget exactly.
 */
public record Share(int place, int among) {

    /** Alone: the whole budget. */
    public static final Share WHOLE = new Share(0, 1);
    /** Nothing waiting here while others have: no part. */
    public static final Share NONE = new Share(0, 0);

    public Share {
        if (among < 0 || place < 0 || (among > 0 && place >= among)) {
            throw new IllegalArgumentException("place " + place + " among " + among);
        }
    }

    public int of(int budget) {
        if (among == 0) {
            return 0;
        }
        return budget / among + (place < budget % among ? 1 : 0);
    }
}
