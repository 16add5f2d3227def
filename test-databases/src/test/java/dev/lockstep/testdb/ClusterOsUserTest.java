package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterOsUserTest {

    private static final List<String> INITDB = List.of("/usr/lib/postgresql/15/bin/initdb", "-D", "/tmp/it's here/data");

    @Test
    void itselfRunsTheCommandAsItIs() {
        assertThat(new ClusterOsUser.Itself().command(INITDB)).isEqualTo(INITDB);
        assertThat(new ClusterOsUser.Itself().switchedTo()).isEmpty();
    }

    @Test
    void runuserPutsTheUserBeforeTheUntouchedArguments() {
        ClusterOsUser user = new ClusterOsUser.ViaRunuser("postgres", Path.of("/usr/sbin/runuser"));

        assertThat(user.command(INITDB)).containsExactly(
                "/usr/sbin/runuser", "-u", "postgres", "--",
                "/usr/lib/postgresql/15/bin/initdb", "-D", "/tmp/it's here/data");
        assertThat(user.describe()).isEqualTo("as OS user postgres (the JVM runs as root, which PostgreSQL refuses)");
    }

    @Test
    void suGetsOneShellStringWithEveryArgumentQuoted() {
        ClusterOsUser user = new ClusterOsUser.ViaSu("nobody", Path.of("/bin/su"));

        assertThat(user.command(INITDB)).containsExactly(
                "/bin/su", "-s", "/bin/sh", "-c",
                "'/usr/lib/postgresql/15/bin/initdb' '-D' '/tmp/it'\\''s here/data'",
                "nobody");
    }
}
