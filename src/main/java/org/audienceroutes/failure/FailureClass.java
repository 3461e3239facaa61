package org.audienceroutes.failure;

/** How a command failed; the {@code error.class} of a failure record. */
public enum FailureClass {
    /** The command breaks the contract, or Segment rejected its body (400, 422). */
    VALIDATION,
    /** A resource it names does not exist (404, or an audienceName that matches nothing). */
    NOT_FOUND,
    /** Segment refused because of the resource's state (409). */
    CONFLICT,
    /** Segment answered 429. */
    RATE_LIMITED,
    /** The token was refused (401, 403). */
    AUTH,
    /** Segment failed (5xx), or it answered something this service cannot read. */
    SERVER,
    /** Segment could not be reached or did not answer in time. */
    TRANSPORT
}
