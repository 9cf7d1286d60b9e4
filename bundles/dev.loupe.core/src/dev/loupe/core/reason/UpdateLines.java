package dev.loupe.core.reason;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each operation of a SPARQL Update file starts (its line), so that a failing operation is reported with
 * its line: operations are separated by ';' outside braces, strings, IRIs and comments. Jena's parser reports
 * lines for syntax errors; errors while running an operation only know the operation.
 */
final class UpdateLines {
	private UpdateLines() {
	}

	/** The 1-based line of the first token of each operation (prefix declarations are not the operation). */
	static List<Integer> starts(String text) {
		List<Integer> out = new ArrayList<>();
		int depth = 0;
		int line = 1;
		boolean looking = true;
		int n = text.length();
		for (int i = 0; i < n; i++) {
			char c = text.charAt(i);
			if (c == '\n') {
				line++;
				continue;
			}
			if (c == '#') {
				while (i + 1 < n && text.charAt(i + 1) != '\n') {
					i++;
				}
				continue;
			}
			if (looking && !Character.isWhitespace(c)) {
				if (startsWord(text, i, "PREFIX") || startsWord(text, i, "BASE")) {
					while (i + 1 < n && text.charAt(i + 1) != '\n') {
						i++;
					}
					continue;
				}
				out.add(line);
				looking = false;
			}
			if (c == '"' || c == '\'') {
				boolean triple = i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
				int j = i + (triple ? 3 : 1);
				while (j < n && !(triple ? text.startsWith(String.valueOf(c).repeat(3), j) : text.charAt(j) == c)) {
					if (text.charAt(j) == '\\') {
						j++;
					} else if (text.charAt(j) == '\n') {
						line++;
					}
					j++;
				}
				i = j + (triple ? 2 : 0);
			} else if (c == '<' && i + 1 < n && !Character.isWhitespace(text.charAt(i + 1)) && text.charAt(i + 1) != '=') {
				int close = text.indexOf('>', i);
				int space = indexOfWhitespace(text, i);
				if (close > 0 && (space < 0 || close < space)) {
					i = close; // an IRI: its '#' and ';' are not syntax
				}
			} else if (c == '{') {
				depth++;
			} else if (c == '}') {
				depth--;
			} else if (c == ';' && depth == 0) {
				looking = true;
			}
		}
		return out;
	}

	private static boolean startsWord(String text, int i, String word) {
		return text.regionMatches(true, i, word, 0, word.length())
				&& (i + word.length() >= text.length() || Character.isWhitespace(text.charAt(i + word.length())));
	}

	private static int indexOfWhitespace(String text, int from) {
		for (int i = from; i < text.length(); i++) {
			if (Character.isWhitespace(text.charAt(i))) {
				return i;
			}
		}
		return -1;
	}
}
