package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared public datasets (../shared/datasets), located through -Dloupe.test.datasets. */
public final class Fixtures {
	private Fixtures() {
	}

	public static Path datasets() {
		Path p = Path.of(System.getProperty("loupe.test.datasets", "../../../shared/datasets"));
		assertTrue(Files.isDirectory(p), "shared datasets not found at " + p.toAbsolutePath());
		return p;
	}

	/** Query text with Loupe's predefined prefixes declared, for tests that write SPARQL inline. */
	public static String sparql(String body) {
		StringBuilder sb = new StringBuilder();
		dev.loupe.core.query.Queries.PREFIXES.getNsPrefixMap()
				.forEach((k, v) -> sb.append("PREFIX ").append(k).append(": <").append(v).append(">\n"));
		return sb.append(body).toString();
	}

	public static Path stratus() {
		return datasets().resolve("stratus-red-team-detonation-logs/detonation-logs");
	}

	public static Path stratus(String technique) {
		return stratus().resolve(technique + ".json");
	}

	/** Events in a bare-array file, counted independently of Loupe's reader. */
	public static int arrayLength(Path file) throws IOException {
		JsonNode n = new ObjectMapper().readTree(file.toFile());
		return n.size();
	}

	public static long stratusEventTotal() throws IOException {
		long n = 0;
		try (Stream<Path> s = Files.list(stratus())) {
			for (Path p : s.toList()) {
				n += arrayLength(p);
			}
		}
		return n;
	}
}
