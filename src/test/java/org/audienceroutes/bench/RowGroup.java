package org.audienceroutes.bench;

import java.util.ArrayList;
import java.util.List;

/** A section's rows, built as it measures: each row names its metric, our figure, what it is compared with, and the verdict. */
final class RowGroup {

    private final String section;
    private final List<Row> rows = new ArrayList<>();

    RowGroup(String section) {
        this.section = section;
    }

    /**
     * @param ratio   ours ÷ reference, or null when there is no reference to divide by
     * @param judged  the number the target is checked against (the ratio, a count, megabytes...)
     */
    RowGroup add(String metric, String ours, String reference, Double ratio, Target target, double judged) {
        String verdict = !target.judged() ? "" : target.met().test(judged) ? Row.PASS : Row.FAIL;
        rows.add(new Row(section, metric, ours, reference, ratio == null ? "" : Figures.ratio(ratio), target.text(), verdict));
        return this;
    }

    RowGroup info(String metric, String ours, String reference) {
        return add(metric, ours, reference, null, Target.NONE, 0);
    }

    /** Every command of a timed part should end as a result record: a rate means little if commands failed. */
    RowGroup succeeded(long succeeded, int commands) {
        return add("SUCCEEDED outcomes", succeeded + " / " + commands, "", null, Target.atLeast(commands), succeeded);
    }

    /** A section that could not finish still gets a row, so that a missing figure is never silent. */
    RowGroup failed(String what, Exception cause) {
        rows.add(new Row(section, what, "did not complete: " + cause.getMessage(), "", "", "", Row.FAIL));
        return this;
    }

    List<Row> rows() {
        return rows;
    }
}
