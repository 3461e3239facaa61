package org.audienceroutes.emulator;

import java.time.Instant;
import java.util.Set;

import org.audienceroutes.catalogue.SegmentOperation;

/**
 * One HTTP request as the emulator saw it and answered it.
 *
 * @param operation the matched operation, or null when no operation matches the method and path
 * @param spaceId   the percent-decoded {@code {spaceId}} path parameter, or null when the path has none
 * @param status    the answer's status, or {@link #NO_ANSWER} when the connection was reset instead
 * @param faults    what an {@link EmulatorFaults} plan did to this request; empty for most
 * @param body      the request's body as UTF-8 text, empty when it had none
 */
public record RecordedRequest(Instant arrivedAt, long arrivedNanos, String method, String rawPath, String rawQuery,
                              SegmentOperation operation, String spaceId, int status, String contentType, String accept,
                              Set<FaultKind> faults, String body) {

    public static final int NO_ANSWER = 0;
}
