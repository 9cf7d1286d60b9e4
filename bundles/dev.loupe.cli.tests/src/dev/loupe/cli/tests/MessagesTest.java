package dev.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every English text of every bundle has a Japanese translation with the same placeholders. */
class MessagesTest {
	private static final Pattern ARG = Pattern.compile("\\{\\d+\\}");

	static Properties load(Path p) throws IOException {
		Properties props = new Properties();
		try (InputStream in = Files.newInputStream(p)) {
			props.load(in); // ISO-8859-1 with \\u escapes, as Eclipse NLS reads them
		}
		return props;
	}

	static TreeSet<String> args(String text) {
		TreeSet<String> found = new TreeSet<>();
		Matcher m = ARG.matcher(text);
		while (m.find()) {
			found.add(m.group());
		}
		return found;
	}

	@Test
	void japaneseTranslationsAreCompleteAndKeepPlaceholders() throws IOException {
		Path repo = Path.of(System.getProperty("loupe.repo"));
		List<Path> english;
		try (Stream<Path> s = Files.walk(repo.resolve("bundles"))) {
			english = s.filter(p -> p.toString().contains("/src/") || p.getParent().getFileName().toString().startsWith("dev.loupe"))
					.filter(p -> p.getFileName().toString().equals("messages.properties")
							|| p.getFileName().toString().equals("plugin.properties"))
					.filter(p -> !p.toString().contains("/target/")).toList();
		}
		assertTrue(english.size() >= 5, english.toString());
		List<String> problems = new ArrayList<>();
		for (Path en : english) {
			Path ja = en.resolveSibling(en.getFileName().toString().replace(".properties", "_ja.properties"));
			if (!Files.exists(ja)) {
				problems.add(ja + " is missing");
				continue;
			}
			Properties e = load(en);
			Properties j = load(ja);
			assertEquals(new TreeSet<>(e.stringPropertyNames()), new TreeSet<>(j.stringPropertyNames()), en.toString());
			for (String key : e.stringPropertyNames()) {
				if (!args(e.getProperty(key)).equals(args(j.getProperty(key)))) {
					problems.add(ja + ": " + key + " has placeholders " + args(j.getProperty(key)) + ", English has "
							+ args(e.getProperty(key)));
				}
			}
		}
		assertEquals(List.of(), problems);
	}
}
