package org.audienceroutes.catalogue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment, so that no value can add a segment, a query or a fragment. */
public final class PathSegments {

    private PathSegments() {}

    public static String encode(String value) {
        // URLEncoder is form encoding: a space becomes '+', which a path must carry as %20
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
