package org.audienceroutes.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Segment's cursor pagination ({@code pagination.count}, {@code pagination.cursor}). A cursor is the base64 of
 * the decimal offset, which is what the docs' sample shows ("MA==" for the first page, "Mw==" after 3 items).
 */
final class EmulatorPages {

    static final String COUNT = "pagination.count";
    static final String CURSOR = "pagination.cursor";
    /** "If pagination is optional and not provided, the count will default to 200". */
    static final int DEFAULT_COUNT = 200;
    static final int MAX_COUNT = 1000;
    /** listAudiences uses a fork of PaginationInput whose count is limited to 200. */
    static final int MAX_AUDIENCE_COUNT = 200;

    private EmulatorPages() {}

    static boolean requested(EmulatorCall call) {
        return call.query(COUNT) != null || call.query(CURSOR) != null;
    }

    static Page page(List<ObjectNode> items, EmulatorCall call, int maxCount) {
        int count = count(call.query(COUNT), maxCount);
        int offset = offset(call.query(CURSOR));
        int end = (int) Math.min(items.size(), (long) offset + count);
        List<ObjectNode> pageItems = offset >= items.size() ? List.of() : items.subList(offset, end);
        ObjectNode pagination = EmulatorJson.object().put("current", cursor(offset));
        if (end < items.size()) {
            pagination.put("next", cursor(end));
        }
        if (offset > 0) {
            pagination.put("previous", cursor(Math.max(0, offset - count)));
        }
        pagination.put("totalEntries", items.size());
        return new Page(pageItems, pagination);
    }

    private static int count(String value, int maxCount) {
        if (value == null) {
            return Math.min(DEFAULT_COUNT, maxCount);
        }
        int count;
        try {
            count = Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            throw EmulatorError.invalid(COUNT, "\"" + COUNT + "\" must be a number");
        }
        if (count < 1 || count > maxCount) {
            throw EmulatorError.invalid(COUNT, "\"" + COUNT + "\" must be between 1 and " + maxCount);
        }
        return count;
    }

    private static int offset(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            return offset;
        } catch (IllegalArgumentException unreadable) {
            throw EmulatorError.invalid(CURSOR, "\"" + CURSOR + "\" is not a cursor this API returned");
        }
    }

    private static String cursor(int offset) {
        return Base64.getEncoder().encodeToString(Integer.toString(offset).getBytes(StandardCharsets.UTF_8));
    }

    record Page(List<ObjectNode> items, ObjectNode pagination) {}
}
