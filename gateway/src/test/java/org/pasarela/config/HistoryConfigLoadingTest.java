package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryConfigLoadingTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    @Test
    void defaultsToSqliteInTheDataDirectoryKeptForEver() {
        HistoryConfig h = fx.load("data.dir=/var/lib/pasarela").gateway().history();
        assertThat(h.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/pasarela/history.db");
        assertThat(h.username()).isEmpty();
        assertThat(h.password()).isEmpty();
        assertThat(h.retention()).isZero();
    }

    @Test
    void readsAPostgresqlUrlWithCredentialsAndRetention() {
        HistoryConfig h = fx.load("history.jdbc-url=jdbc:postgresql://127.0.0.1:5432/pasarela",
                "history.username=pasarela", "history.password=s3cret", "history.retention-days=90")
                .gateway().history();
        assertThat(h.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/pasarela");
        assertThat(h.username()).contains("pasarela");
        assertThat(h.password()).contains("s3cret");
        assertThat(h.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(h.toString()).doesNotContain("s3cret");
    }

    @Test
    void movingTheDataDirectoryMovesADefaultHistoryButNotAnExplicitOne() {
        GatewayConfig g = fx.load().gateway().withDataDir(Path.of("/tmp/x"));
        assertThat(g.history().jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x/history.db");
        GatewayConfig pg = fx.load("history.jdbc-url=jdbc:postgresql://db/p").gateway().withDataDir(Path.of("/t"));
        assertThat(pg.history().jdbcUrl()).isEqualTo("jdbc:postgresql://db/p");
    }

    @Test
    void refusesAUrlThatIsNotJdbcWithoutEchoingIt() {
        assertThatThrownBy(() -> fx.load("history.jdbc-url=postgres://u:secret@db/p"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--set history.jdbc-url = '***': expected a JDBC URL such as")
                .message().doesNotContain("secret");
    }

    @Test
    void refusesAPasswordWithoutAUser() {
        assertThatThrownBy(() -> fx.load("history.password=s3cret"))
                .hasMessage("--set history.password = '***': expected history.username to be set as well");
    }

    @Test
    void refusesANegativeRetention() {
        assertThatThrownBy(() -> fx.load("history.retention-days=-1"))
                .hasMessageStartingWith("--set history.retention-days = '-1': expected a number of days 0-36500");
    }
}
