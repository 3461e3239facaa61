package org.audienceroutes.reconcile;

/** A read a plan needs ended in a failure outcome: without it the plan would be a guess. */
public class LiveStateUnreadableException extends RuntimeException {

    public LiveStateUnreadableException(String message) {
        super(message);
    }
}
