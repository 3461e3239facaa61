package org.audienceroutes.bench;

/** One row group of the table: a scenario that starts what it needs, measures, and stops it all again. */
interface Section {

    /** Numbered as in docs/BENCHMARKS.md, e.g. "1. Per endpoint". */
    String title();

    /** Adds its rows as it measures them: rows added before a failure stay in the table. */
    void run(Lab lab, RowGroup rows) throws Exception;
}
