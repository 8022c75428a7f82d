package org.pasarela.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallHistoryTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private String url;
    private CallHistory history;

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("data/sub/history.db");
        history = CallHistory.open(url, null, null);
    }

    @AfterEach
    void close() {
        history.close();
    }

    @Test
    void migrationsCreateTheSchemaInANewFileUnderAMissingDirectory() throws Exception {
        assertThat(dir.resolve("data/sub/history.db")).exists();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT version, success FROM flyway_schema_history"
                     + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getBoolean(2)).isTrue();
                applied.add(rs.getString(1));
            }
            assertThat(applied).containsExactly("1", "2");
        }
    }

    @Test
    void aLoginReadsTheUnreportedMissedCallsThroughTheirOwnIndexNotTheUsersWholeHistory() throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("EXPLAIN QUERY PLAN "
                     + CallHistory.UNREPORTED_MISSED.replace("user_name = ?", "user_name = 'alice'")
                             .replace("LIMIT ?", "LIMIT 100"))) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) plan.append(rs.getString("detail")).append('\n');
            assertThat(plan.toString()).contains("USING INDEX call_history_unreported_missed")
                    .doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void reopeningAnExistingStoreAppliesNoMigrationTwiceAndKeepsItsRows() {
        history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:echo@127.0.0.1", "echo", T0);
        history.close();
        history = CallHistory.open(url, "", "");
        assertThat(history.list("alice", 10, null)).hasSize(1);
    }

    @Test
    void recordsStartAnswerAndEndOfACall() {
        String id = history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:1001@pbx", "trunk", T0);
        assertThat(history.recordAnswered("c1", T0.plusSeconds(3))).isTrue();
        assertThat(history.recordEnded("c1", T0.plusSeconds(63), 200, "hung up by client", HangupParty.CLIENT))
                .isTrue();

        CallRecord record = history.list("alice", 10, null).get(0);
        assertThat(record.id()).isEqualTo(id);
        assertThat(record.callId()).isEqualTo("c1");
        assertThat(record.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(record.peer()).isEqualTo("sip:1001@pbx");
        assertThat(record.profile()).isEqualTo("trunk");
        assertThat(record.started()).isEqualTo(T0);
        assertThat(record.answered()).contains(T0.plusSeconds(3));
        assertThat(record.end()).contains(
                new CallRecord.Ending(T0.plusSeconds(63), 200, "hung up by client", HangupParty.CLIENT));
        assertThat(record.talkTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(record.missed()).isFalse();
    }

    @Test
    void answerAndEndOfAnUnknownOrEndedCallChangeNothing() {
        history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:1001@pbx", "trunk", T0);
        history.recordEnded("c1", T0.plusSeconds(5), 486, "Busy Here", HangupParty.REMOTE);
        assertThat(history.recordAnswered("c1", T0.plusSeconds(6))).isFalse();
        assertThat(history.recordEnded("c1", T0.plusSeconds(7), 200, "again", HangupParty.CLIENT)).isFalse();
        assertThat(history.recordAnswered("c9", T0)).isFalse();
        CallRecord record = history.list("alice", 1, null).get(0);
        assertThat(record.answered()).isEmpty();
        assertThat(record.end().orElseThrow().sipCode()).isEqualTo(486);
        assertThat(record.talkTime()).isZero();
    }

    @Test
    void callIdsReusedAfterARestartUpdateOnlyTheOpenRecord() {
        history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:a@pbx", "trunk", T0);
        history.recordEnded("c1", T0.plusSeconds(1), 486, "Busy Here", HangupParty.REMOTE);
        history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:b@pbx", "trunk", T0.plusSeconds(10));
        history.recordAnswered("c1", T0.plusSeconds(11));
        List<CallRecord> calls = history.list("alice", 10, null);
        assertThat(calls).extracting(CallRecord::peer).containsExactly("sip:b@pbx", "sip:a@pbx");
        assertThat(calls.get(1).answered()).isEmpty();
        assertThat(calls.get(0).answered()).contains(T0.plusSeconds(11));
    }

    @Test
    void listsNewestFirstAndPagesWithARecordIdOrAnInstant() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(history.recordStarted("c" + i, "alice", Direction.OUTBOUND, "sip:" + i + "@pbx", "trunk",
                    T0.plusSeconds(i)));
        }
        history.recordStarted("x", "bob", Direction.OUTBOUND, "sip:bob@pbx", "trunk", T0.plusSeconds(100));

        List<CallRecord> first = history.list("alice", 3, null);
        assertThat(first).extracting(CallRecord::callId).containsExactly("c6", "c5", "c4");
        List<CallRecord> second = history.list("alice", 3, first.get(2).id());
        assertThat(second).extracting(CallRecord::callId).containsExactly("c3", "c2", "c1");
        List<CallRecord> last = history.list("alice", 3, second.get(2).id());
        assertThat(last).extracting(CallRecord::callId).containsExactly("c0");

        assertThat(history.list("alice", 50, T0.plusSeconds(2).toString()))
                .extracting(CallRecord::callId).containsExactly("c1", "c0");
        assertThat(history.list("bob", 50, null)).extracting(CallRecord::callId).containsExactly("x");
    }

    @Test
    void pagingByRecordIdKeepsCallsThatStartedInTheSameMillisecond() {
        for (int i = 0; i < 5; i++) {
            history.recordStarted("c" + i, "alice", Direction.OUTBOUND, "sip:x@pbx", "trunk", T0);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 5; page++) {
            List<CallRecord> calls = history.list("alice", 2, cursor);
            if (calls.isEmpty()) break;
            calls.forEach(c -> seen.add(c.callId()));
            cursor = calls.get(calls.size() - 1).id();
        }
        assertThat(seen).containsExactlyInAnyOrder("c0", "c1", "c2", "c3", "c4");
    }

    @Test
    void aCursorFromAnotherUsersHistoryIsRefusedByName() {
        String bobs = history.recordStarted("x", "bob", Direction.OUTBOUND, "sip:bob@pbx", "trunk", T0);
        assertThatThrownBy(() -> history.list("alice", 10, bobs))
                .isInstanceOf(UnknownCursorException.class)
                .hasMessage("before: no call '" + bobs + "' in the history of alice");
    }

    @Test
    void closesRecordsLeftOpenByAGatewayThatStoppedMidCall() {
        history.recordStarted("c1", "alice", Direction.OUTBOUND, "sip:1001@pbx", "trunk", T0);
        history.recordAnswered("c1", T0.plusSeconds(2));
        history.recordStarted("c2", "alice", Direction.OUTBOUND, "sip:1002@pbx", "trunk", T0.plusSeconds(5));
        history.recordEnded("c2", T0.plusSeconds(6), 486, "Busy Here", HangupParty.REMOTE);
        history.close(); // the process dies here: no end was written for c1

        history = CallHistory.open(url, null, null);
        Instant restart = T0.plusSeconds(600);
        assertThat(history.closeOpenRecords(restart)).isEqualTo(1);
        assertThat(history.closeOpenRecords(restart.plusSeconds(1))).isZero();

        CallRecord c1 = history.list("alice", 10, null).get(1);
        assertThat(c1.callId()).isEqualTo("c1");
        assertThat(c1.end()).contains(new CallRecord.Ending(restart, CallHistory.RESTART_CODE,
                CallHistory.RESTART_REASON, HangupParty.GATEWAY));
        assertThat(c1.answered()).contains(T0.plusSeconds(2));
    }

    @Test
    void missedInboundCallsAreHandedOutOnceOldestFirst() {
        history.recordStarted("i1", "alice", Direction.INBOUND, "sip:+3493@trunk", "trunk", T0);
        history.recordEnded("i1", T0.plusSeconds(30), 487, "caller cancelled", HangupParty.REMOTE);
        history.recordStarted("i2", "alice", Direction.INBOUND, "sip:+3494@trunk", "trunk", T0.plusSeconds(60));
        history.recordEnded("i2", T0.plusSeconds(90), 408, "no answer", HangupParty.GATEWAY);
        history.recordStarted("i3", "alice", Direction.INBOUND, "sip:+3495@trunk", "trunk", T0.plusSeconds(100));
        history.recordAnswered("i3", T0.plusSeconds(101));
        history.recordEnded("i3", T0.plusSeconds(130), 200, "hung up by remote party", HangupParty.REMOTE);
        history.recordStarted("i4", "alice", Direction.INBOUND, "sip:+3496@trunk", "trunk", T0.plusSeconds(200));
        history.recordStarted("o1", "alice", Direction.OUTBOUND, "sip:1@trunk", "trunk", T0.plusSeconds(300));
        history.recordEnded("o1", T0.plusSeconds(301), 486, "Busy Here", HangupParty.REMOTE);
        history.recordStarted("i5", "bob", Direction.INBOUND, "sip:+3497@trunk", "trunk", T0);
        history.recordEnded("i5", T0.plusSeconds(30), 487, "caller cancelled", HangupParty.REMOTE);

        List<CallRecord> missed = history.takeUnreportedMissed("alice");
        assertThat(missed).extracting(CallRecord::callId).containsExactly("i1", "i2");
        assertThat(missed).allMatch(CallRecord::missed);
        assertThat(history.takeUnreportedMissed("alice")).isEmpty();
        assertThat(history.takeUnreportedMissed("bob")).extracting(CallRecord::callId).containsExactly("i5");
    }

    @Test
    void callsTheUserDeclinedOrAnotherGroupMemberAnsweredAreNotMissed() {
        history.recordStarted("d1", "alice", Direction.INBOUND, "sip:+3493@trunk", "trunk", T0);
        history.recordEnded("d1", T0.plusSeconds(5), 486, "Busy Here", HangupParty.CLIENT);
        history.recordStarted("g1/alice", "alice", Direction.INBOUND, "sip:+3494@trunk", "trunk", T0.plusSeconds(10));
        history.recordEnded("g1/alice", T0.plusSeconds(40), CallRecord.ANSWERED_ELSEWHERE, "answered elsewhere",
                HangupParty.GATEWAY);
        history.recordStarted("m1", "alice", Direction.INBOUND, "sip:+3495@trunk", "trunk", T0.plusSeconds(50));
        history.recordEnded("m1", T0.plusSeconds(60), 480, "no answer", HangupParty.GATEWAY);

        assertThat(history.list("alice", 5, null)).extracting(CallRecord::callId, CallRecord::missed)
                .containsExactly(tuple("m1", true), tuple("g1/alice", false), tuple("d1", false));
        assertThat(history.takeUnreportedMissed("alice")).extracting(CallRecord::callId).containsExactly("m1");
    }

    @Test
    void aMissedCallMarkedReportedIsNotReportedAgain() {
        String id = history.recordStarted("i1", "alice", Direction.INBOUND, "sip:+3493@trunk", "trunk", T0);
        history.recordEnded("i1", T0.plusSeconds(30), 487, "caller cancelled", HangupParty.REMOTE);
        assertThat(history.markReported(List.of(id))).isEqualTo(1);
        assertThat(history.takeUnreportedMissed("alice")).isEmpty();
        assertThat(history.list("alice", 5, null).get(0).missed()).isTrue();
    }

    @Test
    void retentionDeletesOnlyCallsEndedBeforeTheCutoff() {
        history.recordStarted("old", "alice", Direction.OUTBOUND, "sip:a@pbx", "trunk", T0);
        history.recordEnded("old", T0.plusSeconds(1), 200, "ok", HangupParty.CLIENT);
        history.recordStarted("new", "alice", Direction.OUTBOUND, "sip:b@pbx", "trunk", T0.plusSeconds(100));
        history.recordEnded("new", T0.plusSeconds(101), 200, "ok", HangupParty.CLIENT);
        history.recordStarted("open", "alice", Direction.OUTBOUND, "sip:c@pbx", "trunk", T0);
        assertThat(history.deleteEndedBefore(T0.plusSeconds(50))).isEqualTo(1);
        assertThat(history.list("alice", 10, null)).extracting(CallRecord::callId).containsExactly("new", "open");
    }

    @Test
    void aStoreThatCannotBeOpenedNamesItsUrlButNotItsPassword() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        String bad = "jdbc:sqlite:" + notADirectory.resolve("history.db");
        assertThatThrownBy(() -> CallHistory.open(bad, null, null))
                .isInstanceOf(HistoryException.class)
                .hasMessageStartingWith("history.jdbc-url = '" + bad + "': ");
        String pg = "jdbc:postgresql://127.0.0.1:1/pasarela?password=s3cret&connectTimeout=1";
        assertThatThrownBy(() -> CallHistory.open(pg, "u", null))
                .isInstanceOf(HistoryException.class)
                .hasMessageStartingWith("history.jdbc-url = 'jdbc:postgresql://127.0.0.1:1/pasarela?password=***"
                        + "&connectTimeout=1': cannot open or migrate the call history: ")
                .message().doesNotContain("s3cret");
    }

    @Test
    void aClosedStoreRefusesWorkWithAClearMessage() {
        history.close();
        assertThatThrownBy(() -> history.list("alice", 1, null))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("is closed: cannot list the history of alice");
    }
}
