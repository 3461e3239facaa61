package org.audienceroutes.bench;

/** One line of the result table. Every figure in it comes from the run that printed it. */
record Row(String section, String metric, String ours, String reference, String ratio, String target, String verdict) {

    static final String PASS = "PASS";
    static final String FAIL = "FAIL";
}
