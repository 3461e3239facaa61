package org.audienceroutes.enrich;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One space's audience ids by exact name, as read at {@code readAt} and changed since by this service's own commands. */
final class SpaceIndex {

    private final Instant readAt;
    private final Map<String, List<String>> idsByName = new ConcurrentHashMap<>();

    SpaceIndex(Instant readAt) {
        this.readAt = readAt;
    }

    Instant readAt() {
        return readAt;
    }

    List<String> idsNamed(String name) {
        return List.copyOf(idsByName.getOrDefault(name, List.of()));
    }

    void add(String name, String id) {
        if (name != null && id != null) {
            idsByName.compute(name, (key, ids) -> {
                List<String> more = ids == null ? new ArrayList<>() : new ArrayList<>(ids);
                if (!more.contains(id)) {
                    more.add(id);
                }
                return more;
            });
        }
    }

    void remove(String id) {
        idsByName.replaceAll((name, ids) -> ids.stream().filter(held -> !held.equals(id)).toList());
        idsByName.values().removeIf(List::isEmpty);
    }
}
