-- Which instances have commands waiting for which Segment endpoint: the instances sharing a token split each
-- endpoint's budget among those that need it (throttle.BudgetShares). Rows older than a few refreshes are stale.
CREATE TABLE pace_demand (
    instance_id text        NOT NULL,
    operation   text        NOT NULL,
    waiting     integer     NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (instance_id, operation)
);
