package dev.loupe.core.store;

import java.util.ArrayList;
import java.util.List;

/** Fields of one CSV line (RFC 4180 quoting: a quoted field may hold commas, and "" stands for a quote). */
public final class Csv {
	private Csv() {
	}

	public static List<String> fields(String line) {
		List<String> out = new ArrayList<>(4);
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		int n = line.length();
		for (int i = 0; i < n; i++) {
			char c = line.charAt(i);
			if (quoted) {
				if (c == '"') {
					if (i + 1 < n && line.charAt(i + 1) == '"') {
						field.append('"');
						i++;
					} else {
						quoted = false;
					}
				} else {
					field.append(c);
				}
			} else if (c == '"' && field.isEmpty()) {
				quoted = true;
			} else if (c == ',') {
				out.add(field.toString());
				field.setLength(0);
			} else {
				field.append(c);
			}
		}
		out.add(field.toString());
		return out;
	}
}
