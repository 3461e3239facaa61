package org.audienceroutes.emulator;

/** When a slow answer or a connection reset strikes, relative to the operation changing the emulator's state. */
public enum FaultMoment {
    /**
     * Before the operation runs. A slow answer waits and then applies the operation, even if the client has
     * given up meanwhile (a Segment that is slow to start). A reset drops the connection and never applies it.
     */
    BEFORE_APPLYING,
    /**
     * After the operation ran and changed the state: the request was applied although the client may time out
     * or see the connection drop, as when "the POST timed out but Segment applied it".
     */
    AFTER_APPLYING
}
