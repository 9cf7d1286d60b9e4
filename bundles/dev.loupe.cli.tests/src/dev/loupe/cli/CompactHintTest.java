package dev.loupe.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When `loupe ingest` suggests compacting the store (the sizes are those the 1M-event bench measured). */
class CompactHintTest {

	@Test
	void aStoreGrownByManyRunsIsToldToCompact() {
		String hint = CompactCommand.hint(18_300_000_000L, 16_500_000L);
		assertTrue(hint != null && hint.contains("1109 bytes a fact") && hint.contains("loupe compact"), hint);
	}

	@Test
	void aStoreWrittenOnceOrASmallOneIsNot() {
		assertNull(CompactCommand.hint(6_600_000_000L, 13_900_000L), "473 bytes a fact: as ingested");
		assertNull(CompactCommand.hint(7_700_000_000L, 16_500_000L), "the same store compacted");
		assertNull(CompactCommand.hint(300_000_000L, 10_000L), "a small store's empty indexes say nothing");
	}
}
