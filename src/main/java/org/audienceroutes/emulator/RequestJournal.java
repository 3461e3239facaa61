package org.audienceroutes.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.audienceroutes.catalogue.SegmentOperation;

/** Every request the emulator answered, for the counters and snapshots tests assert on. */
final class RequestJournal {

    private static final int TOO_MANY_REQUESTS = 429;

    private final List<RecordedRequest> requests = new ArrayList<>();

    synchronized void record(RecordedRequest request) {
        requests.add(request);
    }

    /** Handler threads finish out of order, so the snapshot is re-sorted by arrival. */
    synchronized List<RecordedRequest> snapshot() {
        List<RecordedRequest> copy = new ArrayList<>(requests);
        copy.sort(Comparator.comparingLong(RecordedRequest::arrivedNanos));
        return List.copyOf(copy);
    }

    int count() {
        return count(request -> true);
    }

    int count(SegmentOperation operation) {
        return count(request -> request.operation() == operation);
    }

    int count(String spaceId, SegmentOperation operation) {
        return count(request -> request.operation() == operation && Objects.equals(request.spaceId(), spaceId));
    }

    int rateLimited() {
        return count(request -> request.status() == TOO_MANY_REQUESTS);
    }

    int rateLimited(SegmentOperation operation) {
        return count(request -> request.operation() == operation && request.status() == TOO_MANY_REQUESTS);
    }

    int faults(FaultKind kind) {
        return count(request -> request.faults().contains(kind));
    }

    private synchronized int count(Predicate<RecordedRequest> filter) {
        return (int) requests.stream().filter(filter).count();
    }
}
