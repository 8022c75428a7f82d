-- Call history (org.pasarela.history.CallHistory). One SQL file for SQLite and PostgreSQL, so only portable
-- types: instants are BIGINT milliseconds since the epoch (UTC), which sort and compare the same everywhere;
-- ids are made by the gateway (UUIDs), because SQLite and PostgreSQL spell auto-increment differently.
CREATE TABLE call_history (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    call_id     VARCHAR(128) NOT NULL,
    user_name   VARCHAR(64)  NOT NULL,
    direction   VARCHAR(8)   NOT NULL CHECK (direction IN ('OUTBOUND', 'INBOUND')),
    peer        VARCHAR(512) NOT NULL,
    profile     VARCHAR(64)  NOT NULL,
    started_at  BIGINT       NOT NULL,
    answered_at BIGINT,
    ended_at    BIGINT,
    sip_code    INTEGER,
    reason      VARCHAR(512),
    hangup_by   VARCHAR(8)   CHECK (hangup_by IN ('CLIENT', 'REMOTE', 'GATEWAY')),
    reported    BOOLEAN      NOT NULL DEFAULT FALSE
);

-- history: newest first per user, with a stable tie-break for paging.
CREATE INDEX call_history_user_started ON call_history (user_name, started_at, id);

-- Updates find a call by the gateway's call id among the records still open; at most one may be.
CREATE UNIQUE INDEX call_history_open_call ON call_history (call_id) WHERE ended_at IS NULL;
