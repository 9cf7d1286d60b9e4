package dev.loupe.core.ingest.cloudtrail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tells apart calls that one file records identically when its eventIDs cannot: a script paging through secrets
 * makes four calls in one second with the same parameters, and data whose eventIDs (and requestIDs) are
 * placeholders then holds four identical records. With real eventIDs such records are one call delivered twice (an
 * export of overlapping windows), and stay one event.
 * <p>
 * The n-th repeat of a record in a file is the n-th call: the same file read again, or the same calls in another
 * container (S3 and LookupEvents), give the same events. Repeats are counted among the last {@value #WINDOW}
 * records' events only: a script's identical calls come together, and a file of millions of records needs no
 * memory of each.
 * <p>
 * An eventID is taken for a placeholder when it is not a UUID, when its digits are all the same, or once the file
 * has given one eventID to two different calls.
 */
final class Repeats {
	static final int WINDOW = 4096;
	private static final Pattern UUID = Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
	private static final Pattern ONE_DIGIT = Pattern.compile("(\\p{XDigit})(?:\\1|-)*");

	private final Map<String, Integer> seen = recent();
	private final Map<String, String> eventOfId = recent();
	private final Map<String, List<ObjectNode>> held = recent();
	private int heldCount;
	private boolean placeholders;

	/**
	 * Returns 0 for the first record of this event in the file, else which repeat this record is, when the file's
	 * eventIDs do not tell calls apart (else 0: a duplicate, held back in case the file later shows its eventIDs to
	 * be placeholders).
	 *
	 * @param eventId the record's eventID, or null
	 * @param event what the record would be named by without this count
	 */
	int repeat(String eventId, String event, ObjectNode record) {
		if (eventId != null && !placeholders) {
			String before = eventOfId.putIfAbsent(eventId, event);
			placeholders = before != null && !before.equals(event) || !UUID.matcher(eventId).matches()
					|| ONE_DIGIT.matcher(eventId).matches();
		}
		int n = seen.merge(event, 1, Integer::sum) - 1;
		if (eventId == null || placeholders) {
			return n;
		}
		if (n > 0 && heldCount < WINDOW) {
			held.computeIfAbsent(event, k -> new ArrayList<>(2)).add(record);
			heldCount++;
		}
		return 0;
	}

	/**
	 * Once a file has shown its eventIDs to be placeholders, the records taken for duplicates before were calls of
	 * their own: each with the repeat it was (a fixed UUID on every record is only found out at the second call).
	 */
	List<Map.Entry<ObjectNode, Integer>> released() {
		if (!placeholders || held.isEmpty()) {
			return List.of();
		}
		List<Map.Entry<ObjectNode, Integer>> out = new ArrayList<>(heldCount);
		held.values().forEach(records -> {
			for (int i = 0; i < records.size(); i++) {
				out.add(Map.entry(records.get(i), i + 1));
			}
		});
		held.clear();
		heldCount = 0;
		return out;
	}

	private static <V> Map<String, V> recent() {
		return new LinkedHashMap<>(64, 0.75f, true) {
			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
				return size() > WINDOW;
			}
		};
	}
}
