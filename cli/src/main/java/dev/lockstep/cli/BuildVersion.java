package dev.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** What {@code lockstep --version} prints: the version the build wrote into {@code version.properties}. */
final class BuildVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties written = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing: the command was not built by Maven");
            }
            written.load(in);
        }
        return new String[] {"lockstep " + written.getProperty("version")};
    }
}
