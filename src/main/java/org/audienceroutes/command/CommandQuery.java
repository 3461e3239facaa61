package org.audienceroutes.command;

/** Query parameters of list and lookup commands; each maps to one Segment query parameter. */
public record CommandQuery(Pagination pagination, String include, String slug, String actionId) {

    /** The first page of a list, {@code count} items long. */
    public static CommandQuery firstPage(int count) {
        return new CommandQuery(new Pagination(count, null), null, null, null);
    }

    /** The same query for the page a previous answer's {@code pagination.next} points to. */
    public CommandQuery atCursor(String cursor) {
        return new CommandQuery(new Pagination(pagination == null ? null : pagination.count(), cursor), include, slug, actionId);
    }

    public record Pagination(Integer count, String cursor) {}
}
