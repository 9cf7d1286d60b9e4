package dev.loupe.core.ingest.cloudtrail;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structs, maps and arrays as Athena (Presto, Hive) prints them in a query's CSV:
 * {@code {type=AssumedRole, principalid=AROA...:s, sessioncontext={attributes={mfaauthenticated=false}}}} and
 * {@code [{arn=arn:aws:..., accountid=123, type=AWS::S3::Object}]}. Nothing is quoted: a value ends where ", " and
 * the next field's name and "=" follow, or where its struct closes. {@code null} is a null.
 */
final class HiveText {
	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
	/** A field's or map key's name and its "=": names hold no spaces, commas, braces or brackets. */
	private static final Pattern KEY = Pattern.compile("[^\\s,={}\\[\\]]+=");
	private static final Pattern STRUCT_START = Pattern.compile("^\\{([^\\s,={}\\[\\]]+=|\\})");
	private static final Pattern ARRAY_START = Pattern.compile("^\\[(\\]|\\{([^\\s,={}\\[\\]]+=|\\}))");

	private final String text;
	private int at;

	private HiveText(String text) {
		this.text = text;
	}

	/** Whether {@code value} is printed as a struct, map or array of structs (not JSON text, which quotes its names). */
	static boolean looksLike(String value) {
		return STRUCT_START.matcher(value).find() || ARRAY_START.matcher(value).find();
	}

	/** @throws IllegalArgumentException naming the column and where in it the text stops making sense */
	static JsonNode parse(String value, String column) {
		HiveText p = new HiveText(value);
		try {
			JsonNode v = p.value('\0');
			if (p.at != value.length()) {
				throw p.problem("unexpected text after the value");
			}
			return v;
		} catch (StringIndexOutOfBoundsException e) {
			throw new IllegalArgumentException(column + " ends inside a struct or array: " + shortened(value));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(column + ": " + e.getMessage());
		}
	}

	private JsonNode value(char closing) {
		char c = at < text.length() ? text.charAt(at) : '\0';
		if (c == '{' && STRUCT_START.matcher(text).region(at, text.length()).lookingAt()) {
			return struct();
		}
		if (c == '[' && ARRAY_START.matcher(text).region(at, text.length()).lookingAt()) {
			return array();
		}
		String s = scalar(closing);
		return "null".equals(s) ? NODES.nullNode() : NODES.textNode(s);
	}

	private ObjectNode struct() {
		ObjectNode o = NODES.objectNode();
		at++;
		if (text.charAt(at) == '}') {
			at++;
			return o;
		}
		while (true) {
			int eq = text.indexOf('=', at);
			if (eq < 0) {
				throw problem("expected a field's name and \"=\"");
			}
			String key = text.substring(at, eq);
			at = eq + 1;
			JsonNode v = value('}');
			if (!v.isNull()) {
				o.set(key, v);
			}
			if (text.startsWith(", ", at)) {
				at += 2;
			} else if (text.charAt(at) == '}') {
				at++;
				return o;
			} else {
				throw problem("expected \", \" or \"}\" after field " + key);
			}
		}
	}

	private ArrayNode array() {
		ArrayNode a = NODES.arrayNode();
		at++;
		if (text.charAt(at) == ']') {
			at++;
			return a;
		}
		while (true) {
			JsonNode v = value(']');
			if (!v.isNull()) {
				a.add(v);
			}
			if (text.startsWith(", ", at)) {
				at += 2;
			} else if (text.charAt(at) == ']') {
				at++;
				return a;
			} else {
				throw problem("expected \", \" or \"]\" after an element");
			}
		}
	}

	/**
	 * A value up to the next field (", name=") or the close of its struct or array: the first close that the end
	 * of the text, another close or ", " follows (an ARN or a user agent may hold a brace or a bracket).
	 */
	private String scalar(char closing) {
		if (closing == '\0') {
			String s = text.substring(at);
			at = text.length();
			return s;
		}
		int i = at;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == ',' && text.startsWith(", ", i) && (closing == ']' || KEY.matcher(text).region(i + 2, text.length()).lookingAt())) {
				break;
			}
			if (c == closing && closes(i + 1)) {
				break;
			}
			i++;
		}
		String s = text.substring(at, i);
		at = i;
		return s;
	}

	private boolean closes(int next) {
		return next == text.length() || text.charAt(next) == '}' || text.charAt(next) == ']' || text.startsWith(", ", next);
	}

	private IllegalArgumentException problem(String what) {
		return new IllegalArgumentException(what + " at character " + (at + 1) + " of " + shortened(text));
	}

	private static String shortened(String s) {
		return s.length() > 120 ? s.substring(0, 120) + "..." : s;
	}
}
