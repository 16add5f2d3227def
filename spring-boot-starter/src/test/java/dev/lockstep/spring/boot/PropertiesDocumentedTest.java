package dev.lockstep.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of the starter's properties names exactly the properties the build's generated metadata
 * has (what IDEs complete and Boot binds), each once.
 */
class PropertiesDocumentedTest {

    private static final Pattern PROPERTY = Pattern.compile("`(lockstep\\.[a-z.-]+)`");

    @Test
    void theReadmeTableNamesEveryPropertyOfTheMetadata() throws IOException {
        String metadata;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the generated metadata").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String properties = metadata.substring(metadata.indexOf("\"properties\""), metadata.indexOf("\"hints\""));
        TreeSet<String> bound = new TreeSet<>();
        Matcher names = Pattern.compile("\"name\": \"(lockstep\\.[a-z.-]+)\"").matcher(properties);
        while (names.find()) {
            bound.add(names.group(1));
        }

        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int section = readme.indexOf("### Spring Boot");
        assertThat(section).as("the README's Spring Boot section").isNotNegative();
        List<String> documented = readme.stream().skip(section + 1).takeWhile(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith("| `lockstep."))
                .flatMap(line -> PROPERTY.matcher(line.split("\\|")[1]).results().map(match -> match.group(1)))
                .toList();

        assertThat(bound).hasSizeGreaterThanOrEqualTo(10);
        assertThat(documented).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(bound);
    }
}
