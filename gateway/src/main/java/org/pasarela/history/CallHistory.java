package org.pasarela.history;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call history store: one row per call in a relational database reached over JDBC, SQLite in a file by
 * default, PostgreSQL by URL. The schema is created and upgraded by Flyway migrations
 * ({@code db/migration/V*__*.sql}) when the store is opened.
 *
 * <p>A call's row is written when it starts and updated when it is answered and when it ends, so a gateway that
 * stops mid-call leaves an open row behind; {@link #closeOpenRecords} ends those at the next start-up. This
 * assumes one gateway per database.
 *
 * <p>Every method blocks on the database. Thread-safe but serialized: one connection, used by one caller at a
 * time, which suits SQLite (one writer) and is plenty for a gateway's call rate on PostgreSQL. Callers run it on
 * a dedicated executor, never on a call's lane or a network thread. A connection that breaks (PostgreSQL
 * restarted) is dropped and opened again on the next use.
 */
public final class CallHistory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallHistory.class);
    /** The reason written into calls that were still open when the gateway stopped. */
    public static final String RESTART_REASON = "gateway restarted";
    /** The SIP code written into those calls. */
    public static final int RESTART_CODE = 503;
    /** Most missed calls reported at one login; older ones stay for the next. */
    public static final int MAX_MISSED_REPORT = 500;

    private static final Pattern SECRET_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");
    private static final String COLUMNS = "id, call_id, user_name, direction, peer, profile, started_at,"
            + " answered_at, ended_at, sip_code, reason, hangup_by";

    private final String url;
    private final Properties credentials;
    private Connection connection;
    private boolean closed;

    private CallHistory(String url, Properties credentials) {
        this.url = url;
        this.credentials = credentials;
    }

    /**
     * Opens the store at {@code jdbcUrl}, creating the SQLite file's directory if needed, and migrates its schema.
     *
     * @param username null or empty when the database needs none (SQLite)
     * @param password null or empty when the database needs none
     * @throws HistoryException naming the URL (password hidden) and what went wrong
     */
    public static CallHistory open(String jdbcUrl, String username, String password) {
        Properties credentials = new Properties();
        if (username != null && !username.isEmpty()) credentials.setProperty("user", username);
        if (password != null && !password.isEmpty()) credentials.setProperty("password", password);
        createSqliteDirectory(jdbcUrl);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(jdbcUrl, emptyToNull(username), emptyToNull(password))
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            log.info("call history at {}: schema version {} ({} migration(s) applied)", printable(jdbcUrl),
                    result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException | IllegalStateException e) {
            throw new HistoryException("history.jdbc-url = '" + printable(jdbcUrl)
                    + "': cannot open or migrate the call history: " + firstLine(e.getMessage()), e);
        }
        CallHistory history = new CallHistory(jdbcUrl, credentials);
        try {
            history.connection();
        } catch (SQLException e) {
            throw new HistoryException("history.jdbc-url = '" + printable(jdbcUrl)
                    + "': cannot connect: " + e.getMessage(), e);
        }
        return history;
    }

    /** The JDBC URL with any password parameter hidden, for logs and messages. */
    public String url() {
        return printable(url);
    }

    /** Writes the row of a call that has just started (its INVITE sent or received). */
    public synchronized String recordStarted(String callId, String user, Direction direction, String peer,
                                             String profile, Instant start) {
        String id = UUID.randomUUID().toString();
        update("record the start of call " + callId, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO call_history (id, call_id, user_name,"
                    + " direction, peer, profile, started_at, reported) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, callId);
                s.setString(3, user);
                s.setString(4, direction.name());
                s.setString(5, truncate(peer, 512));
                s.setString(6, profile);
                s.setLong(7, start.toEpochMilli());
                s.setBoolean(8, false);
                return s.executeUpdate();
            }
        });
        return id;
    }

    /** Marks the open call {@code callId} answered; false if no such call is open. */
    public synchronized boolean recordAnswered(String callId, Instant at) {
        return update("record the answer of call " + callId, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE call_history SET answered_at = ?"
                    + " WHERE call_id = ? AND ended_at IS NULL AND answered_at IS NULL")) {
                s.setLong(1, at.toEpochMilli());
                s.setString(2, callId);
                return s.executeUpdate();
            }
        }) == 1;
    }

    /**
     * Ends the open call {@code callId}; false if no such call is open. An inbound call ended without an answer
     * becomes a missed call, reported at the user's next login unless {@link #markReported} says it was seen.
     */
    public synchronized boolean recordEnded(String callId, Instant end, int sipCode, String reason,
                                            HangupParty who) {
        CallRecord.Ending ending = new CallRecord.Ending(end, sipCode, reason, who);
        return update("record the end of call " + callId, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE call_history SET ended_at = ?, sip_code = ?,"
                    + " reason = ?, hangup_by = ? WHERE call_id = ? AND ended_at IS NULL")) {
                s.setLong(1, ending.at().toEpochMilli());
                s.setInt(2, ending.sipCode());
                s.setString(3, truncate(ending.reason(), 512));
                s.setString(4, ending.by().name());
                s.setString(5, callId);
                return s.executeUpdate();
            }
        }) == 1;
    }

    /**
     * The user's calls, newest first, at most {@code limit}, all strictly older than {@code before}.
     *
     * @param before null for the newest calls; an ISO-8601 instant ({@code 2025-03-01T10:00:00Z}); or the
     *               {@link CallRecord#id()} of the last record of the previous page
     * @throws UnknownCursorException if {@code before} is a record id not in this user's history
     */
    public synchronized List<CallRecord> list(String user, int limit, String before) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        return query("list the history of " + user, c -> {
            Optional<Instant> time = parseInstant(before);
            String sql = "SELECT " + COLUMNS + " FROM call_history WHERE user_name = ?";
            long startedBefore = 0;
            String idBefore = null;
            if (time.isPresent()) {
                sql += " AND started_at < ?";
                startedBefore = time.get().toEpochMilli();
            } else if (before != null) {
                startedBefore = startOf(c, user, before);
                idBefore = before;
                sql += " AND (started_at < ? OR (started_at = ? AND id < ?))";
            }
            sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setString(i++, user);
                if (before != null) {
                    s.setLong(i++, startedBefore);
                    if (idBefore != null) {
                        s.setLong(i++, startedBefore);
                        s.setString(i++, idBefore);
                    }
                }
                s.setInt(i, limit);
                return read(s);
            }
        });
    }

    /**
     * The unreported missed calls of a user. Its first three conditions repeat, as literals, the WHERE of the
     * partial index {@code call_history_unreported_missed} (V2), so that a login reads only those rows and not the
     * user's whole history.
     */
    static final String UNREPORTED_MISSED = "SELECT " + COLUMNS + " FROM call_history"
            + " WHERE direction = 'INBOUND' AND answered_at IS NULL AND reported = FALSE"
            + " AND user_name = ? AND ended_at IS NOT NULL AND hangup_by <> 'CLIENT'"
            + " AND sip_code <> " + CallRecord.ANSWERED_ELSEWHERE
            + " ORDER BY started_at, id LIMIT ?";

    /**
     * The user's missed calls not reported yet, oldest first, now marked reported. Each missed call is handed
     * out once, whichever device logs in first, even when two log in at the same moment.
     */
    public synchronized List<CallRecord> takeUnreportedMissed(String user) {
        return query("take the missed calls of " + user, c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<CallRecord> candidates;
                try (PreparedStatement s = c.prepareStatement(UNREPORTED_MISSED)) {
                    s.setString(1, user);
                    s.setInt(2, MAX_MISSED_REPORT);
                    candidates = read(s);
                }
                List<CallRecord> taken = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE call_history SET reported = ? WHERE id = ? AND reported = ?")) {
                    for (CallRecord record : candidates) {
                        s.setBoolean(1, true);
                        s.setString(2, record.id());
                        s.setBoolean(3, false);
                        if (s.executeUpdate() == 1) taken.add(record);
                    }
                }
                c.commit();
                return taken;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    /** Marks records reported, e.g. a missed call the user saw ringing while online; returns how many changed. */
    public synchronized int markReported(Collection<String> recordIds) {
        int changed = 0;
        for (String id : recordIds) {
            changed += update("mark record " + id + " reported", c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE call_history SET reported = ? WHERE id = ? AND reported = ?")) {
                    s.setBoolean(1, true);
                    s.setString(2, id);
                    s.setBoolean(3, false);
                    return s.executeUpdate();
                }
            });
        }
        return changed;
    }

    /**
     * Ends every call still open, with {@value #RESTART_CODE} "{@value #RESTART_REASON}" at {@code now}: they were
     * left open by a gateway that stopped mid-call. Run once at start-up, before any call is placed.
     */
    public synchronized int closeOpenRecords(Instant now) {
        return update("close the calls left open", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE call_history SET ended_at = ?, sip_code = ?,"
                    + " reason = ?, hangup_by = ? WHERE ended_at IS NULL")) {
                s.setLong(1, now.toEpochMilli());
                s.setInt(2, RESTART_CODE);
                s.setString(3, RESTART_REASON);
                s.setString(4, HangupParty.GATEWAY.name());
                return s.executeUpdate();
            }
        });
    }

    /** Deletes calls that ended before {@code cutoff} (history retention); returns how many. */
    public synchronized int deleteEndedBefore(Instant cutoff) {
        return update("delete calls ended before " + cutoff, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM call_history WHERE ended_at IS NOT NULL AND ended_at < ?")) {
                s.setLong(1, cutoff.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        dropConnection();
    }

    private long startOf(Connection c, String user, String recordId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT started_at FROM call_history WHERE id = ? AND user_name = ?")) {
            s.setString(1, recordId);
            s.setString(2, user);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownCursorException("before: no call '" + recordId + "' in the history of " + user);
                }
                return rs.getLong(1);
            }
        }
    }

    private static List<CallRecord> read(PreparedStatement s) throws SQLException {
        List<CallRecord> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(record(rs));
            }
        }
        return out;
    }

    private static CallRecord record(ResultSet rs) throws SQLException {
        Optional<Instant> answered = instant(rs, "answered_at");
        Optional<Instant> endedAt = instant(rs, "ended_at");
        Optional<CallRecord.Ending> end = Optional.empty();
        if (endedAt.isPresent()) {
            int code = rs.getInt("sip_code");
            String by = rs.getString("hangup_by");
            String reason = rs.getString("reason");
            end = Optional.of(new CallRecord.Ending(endedAt.get(), code, reason == null ? "" : reason,
                    by == null ? HangupParty.GATEWAY : HangupParty.valueOf(by)));
        }
        return new CallRecord(rs.getString("id"), rs.getString("call_id"), rs.getString("user_name"),
                Direction.valueOf(rs.getString("direction")), rs.getString("peer"), rs.getString("profile"),
                Instant.ofEpochMilli(rs.getLong("started_at")), answered, end);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private int update(String what, Work<Integer> work) {
        return query(what, work);
    }

    /** Runs {@code work} on the connection; a broken connection is reopened and the work tried once more. */
    private <T> T query(String what, Work<T> work) {
        if (closed) throw new HistoryException("call history at " + url() + " is closed: cannot " + what);
        try {
            return work.run(connection());
        } catch (SQLException first) {
            if (!isConnectionFailure(first)) {
                throw new HistoryException("call history at " + url() + ": cannot " + what + ": "
                        + first.getMessage(), first);
            }
            log.warn("call history at {}: connection failed ({}), reconnecting", url(), first.getMessage());
            dropConnection();
            try {
                return work.run(connection());
            } catch (SQLException second) {
                throw new HistoryException("call history at " + url() + ": cannot " + what + ": "
                        + second.getMessage(), second);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = DriverManager.getConnection(url, credentials);
            if (url.startsWith("jdbc:sqlite:")) {
                try (Statement s = c.createStatement()) {
                    // WAL: a committed row survives a killed process, and readers do not block the writer.
                    // synchronous=NORMAL: no fsync per commit (only at checkpoints), so three writes per call do not
                    // wait on the disk three times. A killed gateway still loses nothing; a power cut may lose the
                    // last rows. (The history thread's CPU per call was the login query, fixed by migration V2.)
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA busy_timeout=5000");
                }
            }
            connection = c;
        }
        return connection;
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("call history: closing the connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** SQLState class 08 is "connection exception" (SQL:2011); a closed connection reports no state. */
    private boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) return true;
        try {
            return connection != null && connection.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    private static Optional<Instant> parseInstant(String before) {
        if (before == null) return Optional.empty();
        try {
            return Optional.of(Instant.parse(before));
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            return Optional.empty();
        }
    }

    private static void createSqliteDirectory(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) return;
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) file = file.substring(0, query);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) return;
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException | InvalidPathException e) {
            throw new HistoryException("history.jdbc-url = '" + printable(jdbcUrl)
                    + "': cannot create the directory of " + file + ": " + e, e);
        }
    }

    private static String printable(String jdbcUrl) {
        return SECRET_IN_URL.matcher(jdbcUrl).replaceAll("$1***");
    }

    private static String firstLine(String message) {
        if (message == null) return "no details";
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

}
