package dev.lockstep.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in the README compiles as shown: each is found, imports included, in a source file
 * the build compiles (examples' {@code readme} packages, main and test, or lockstep-contract's fixtures), its code lines
 * one after another in the same order. Indentation and blank lines do not count.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Path> COMPILED = List.of(
            ROOT.resolve("examples/src/main/java/dev/lockstep/examples/readme"),
            ROOT.resolve("examples/src/test/java/dev/lockstep/examples/readme"),
            ROOT.resolve("contract/src/test/java/dev/lockstep/contract/fixture"));

    @Test
    void everyJavaSnippetIsInCompiledCodeWithItsImports() throws IOException {
        List<List<String>> snippets = snippets(Files.readAllLines(ROOT.resolve("README.md")));
        List<List<String>> sources = new ArrayList<>();
        for (Path folder : COMPILED) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> sources.add(lines(f)));
            }
        }

        assertThat(snippets).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(5);
        for (List<String> snippet : snippets) {
            List<String> imports = snippet.stream().filter(line -> line.startsWith("import ")).toList();
            List<String> code = snippet.stream().filter(line -> !line.startsWith("import ")).toList();
            assertThat(imports).as("the imports of the snippet beginning %s", code.get(0)).isNotEmpty();
            assertThat(sources)
                    .as("a compiled source holding, imports included, the snippet%n%s", String.join("\n", snippet))
                    .anySatisfy(source -> {
                        assertThat(source).containsAll(imports);
                        assertThat(Collections.indexOfSubList(source, code)).isNotNegative();
                    });
        }
    }

    @Test
    void theRaceTestExampleIsAWholeTestClassThatTheBuildRuns() throws IOException {
        Path example = ROOT.resolve("examples/src/test/java/dev/lockstep/examples/readme/NightlyJobRaceTest.java");
        List<String> source = lines(example).stream().filter(line -> !line.startsWith("package ")).toList();

        List<List<String>> raceTests = snippets(Files.readAllLines(ROOT.resolve("README.md"))).stream()
                .filter(snippet -> snippet.stream().anyMatch(line -> line.startsWith("@RaceTest("))).toList();

        assertThat(raceTests).as("README snippets with a @RaceTest").hasSize(1);
        assertThat(raceTests.get(0)).as("the README's race test, line by line, against %s", example).isEqualTo(source);
    }

    /** The ```java blocks of a Markdown text, each as its non-blank lines, stripped. */
    private static List<List<String>> snippets(List<String> markdown) {
        List<List<String>> snippets = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                snippets.add(current);
                current = null;
            } else if (current != null && !line.isBlank()) {
                current.add(line.strip());
            }
        }
        return snippets;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
