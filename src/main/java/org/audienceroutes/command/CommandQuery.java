package org.audienceroutes.command;

/** Query parameters of list and lookup commands; each maps to one Segment query parameter. */
public record CommandQuery(Pagination pagination, String include, String slug, String actionId) {

    public record Pagination(Integer count, String cursor) {}
}
