-- A login asks for the user's missed calls not reported yet. With only call_history_user_started, that walked
-- every row the user ever had (all their outbound and answered calls too), so a login got slower as the history
-- grew: about 1 ms per login at a few thousand rows (docs/benchmarks.md, run 7). This partial index holds only
-- the inbound calls nobody answered that are still unreported; the query in CallHistory.takeUnreportedMissed
-- spells the same three conditions with literals, which SQLite needs to use a partial index.
CREATE INDEX call_history_unreported_missed ON call_history (user_name, started_at, id)
    WHERE direction = 'INBOUND' AND answered_at IS NULL AND reported = FALSE;
