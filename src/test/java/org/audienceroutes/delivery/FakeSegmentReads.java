package org.audienceroutes.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.segment.SegmentReads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment's list operations over fixed resources, in pages of its own size (smaller than any count asked for, so
 * a short list already spans pages). A read without pagination gets every item at once, as List Audience
 * Schedules answers. The cursor is the offset as text; callers must treat it as opaque anyway.
 */
final class FakeSegmentReads implements SegmentReads {

    private final int pageSize;
    private final Map<String, Listing> listings = new HashMap<>();
    private final List<AudienceCommand> reads = new ArrayList<>();

    FakeSegmentReads(int pageSize) {
        this.pageSize = pageSize;
    }

    FakeSegmentReads holding(String listType, String itemsField, JsonNode... items) {
        listings.put(listType, new Listing(itemsField, List.of(items)));
        return this;
    }

    List<AudienceCommand> reads() {
        return reads;
    }

    @Override
    public JsonNode read(AudienceCommand readCommand) {
        reads.add(readCommand);
        Listing listing = listings.getOrDefault(readCommand.type(), new Listing("unused", List.of()));
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (readCommand.query() == null || readCommand.query().pagination() == null) {
            data.putArray(listing.itemsField()).addAll(listing.items());
            return data;
        }
        String cursor = readCommand.query().pagination().cursor();
        int offset = cursor == null ? 0 : Integer.parseInt(cursor);
        int end = Math.min(listing.items().size(), offset + pageSize);
        data.putArray(listing.itemsField()).addAll(listing.items().subList(offset, end));
        ObjectNode pagination = data.putObject("pagination").put("current", Integer.toString(offset));
        if (end < listing.items().size()) {
            pagination.put("next", Integer.toString(end));
        }
        return data;
    }

    private record Listing(String itemsField, List<JsonNode> items) {}
}
