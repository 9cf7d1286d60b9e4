package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loupe.core.handoff.HandoffClient;
import dev.loupe.core.handoff.HandoffServer;
import dev.loupe.core.handoff.SocketPath;

/** Commands handed to the process holding a store: streams, exit code, hang-ups and sockets left behind. */
class HandoffTest {
	@TempDir
	Path dir;

	private static int run(HandoffClient c, List<String> args, ByteArrayOutputStream out, ByteArrayOutputStream err,
			AtomicReference<String> who) throws IOException {
		return c.run(Path.of("/home/analyst/.loupe"), "ja", args, out, err, who::set);
	}

	@Test
	void outputErrorsAndExitCodeComeBackAsWritten() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		AtomicReference<HandoffServer.Request> seen = new AtomicReference<>();
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> {
			seen.set(request);
			out.println("first line");
			err.println("ファイル a.json 3 行目: 期待したのは {");
			out.print("x".repeat(200_000));
			return 7;
		})) {
			assertEquals(store.resolve("handoff/loupe.sock").toRealPath(), server.socket().toRealPath());
			assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket().getParent())));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			AtomicReference<String> who = new AtomicReference<>();
			int code;
			try (HandoffClient c = HandoffClient.connect(store).orElseThrow()) {
				code = run(c, List.of("query", "--format", "json", "SELECT * { ?s ?p ?o }"), out, err, who);
			}
			assertEquals(7, code);
			assertEquals("the test (pid " + ProcessHandle.current().pid() + ")", who.get());
			assertEquals("first line\n" + "x".repeat(200_000), out.toString(StandardCharsets.UTF_8));
			assertEquals("ファイル a.json 3 行目: 期待したのは {\n", err.toString(StandardCharsets.UTF_8));
			assertEquals(List.of("query", "--format", "json", "SELECT * { ?s ?p ?o }"), seen.get().args());
			assertEquals("ja", seen.get().language());
			assertEquals(Path.of("/home/analyst/.loupe"), seen.get().home());
		}
		assertFalse(Files.exists(store.resolve("handoff/loupe.sock")), "the socket goes with the server");
		assertTrue(HandoffClient.connect(store).isEmpty());
	}

	@Test
	void anErrorComesAfterTheOutputWrittenBeforeIt() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> {
			out.println("ingested a.json");
			err.println("a.json:3: expected {");
			out.println("ingested b.json");
			return 1;
		})) {
			ByteArrayOutputStream terminal = new ByteArrayOutputStream();
			try (HandoffClient c = HandoffClient.connect(store).orElseThrow()) {
				assertEquals(1, run(c, List.of("ingest", "a.json", "b.json"), terminal, terminal, new AtomicReference<>()));
			}
			assertEquals("ingested a.json\na.json:3: expected {\ningested b.json\n", terminal.toString(StandardCharsets.UTF_8));
		}
	}

	@Test
	void aClientThatGoesAwayCancelsItsCommand() throws Exception {
		Path store = Files.createDirectories(dir.resolve("store"));
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> {
			try (AutoCloseable c = cancel.whenCancelled(cancelled::countDown)) {
				started.countDown();
				cancelled.await(30, TimeUnit.SECONDS);
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
			return 0;
		})) {
			try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
				ByteBuffer b = ByteBuffer.allocate(1024);
				b.put("LOUPE-HANDOFF/1\n".getBytes(StandardCharsets.US_ASCII));
				putString(b, "/h");
				putString(b, "en");
				b.putInt(1);
				putString(b, "ingest");
				b.flip();
				c.write(b);
				assertTrue(started.await(10, TimeUnit.SECONDS));
			}
			assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the command was told its client went away");
		}
	}

	@Test
	void closingTheServerCancelsAndAwaitsItsCommands() throws Exception {
		Path store = Files.createDirectories(dir.resolve("store"));
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<String> ended = new AtomicReference<>();
		HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> {
			started.countDown();
			while (!cancel.isCancelled()) {
				Thread.onSpinWait();
			}
			ended.set("cancelled");
			return 1;
		});
		Thread client = Thread.ofPlatform().start(() -> {
			try (HandoffClient c = HandoffClient.connect(store).orElseThrow()) {
				run(c, List.of("reason"), new ByteArrayOutputStream(), new ByteArrayOutputStream(), new AtomicReference<>());
			} catch (IOException e) {
				// the server may close before the exit code is read
			}
		});
		assertTrue(started.await(10, TimeUnit.SECONDS));
		server.close();
		assertEquals("cancelled", ended.get(), "close returns after the command ended");
		client.join(10_000);
	}

	@Test
	void aSocketLeftByAnEndedProcessIsNotTalkedTo() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		Path socket = SocketPath.of(store);
		Files.createDirectories(socket.getParent());
		// what a process killed with SIGKILL leaves: the socket file, nobody listening
		ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		dead.bind(UnixDomainSocketAddress.of(socket));
		dead.close();
		assertTrue(Files.exists(socket));
		assertTrue(HandoffClient.connect(store).isEmpty(), "nobody listens: the command runs in its own process");
		try (HandoffServer server = HandoffServer.start(store, "the next holder", (request, out, err, cancel) -> 0)) {
			assertTrue(HandoffClient.connect(store).isPresent(), "the next holder replaces the socket");
		}
	}

	@Test
	void aServerIgnoresWhatIsNotAHandoffAndKeepsServing() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> 0)) {
			try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
				c.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
				assertEquals(-1, c.read(ByteBuffer.allocate(16)), "closed without an answer");
			}
			try (HandoffClient c = HandoffClient.connect(store).orElseThrow()) {
				assertEquals(0, run(c, List.of("sources"), new ByteArrayOutputStream(), new ByteArrayOutputStream(), new AtomicReference<>()));
			}
		}
	}

	@Test
	void whoHoldsAStoreIsAskedWithoutRunningAnything() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		assertTrue(HandoffClient.holder(store).isEmpty());
		java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
		try (HandoffServer server = HandoffServer.start(store, "loupe serve", (request, out, err, cancel) -> ran.incrementAndGet())) {
			assertEquals(Optional.of("loupe serve (pid " + ProcessHandle.current().pid() + ")"), HandoffClient.holder(store));
			assertEquals(Optional.of("loupe serve (pid " + ProcessHandle.current().pid() + ")"), dev.loupe.core.store.StoreHolder.of(store));
		}
		assertEquals(0, ran.get());
		// TDB2's lock names a process: this one does not count, nor one that ended
		Files.writeString(store.resolve("tdb.lock"), Long.toString(ProcessHandle.current().pid()));
		assertTrue(dev.loupe.core.store.StoreHolder.of(store).isEmpty());
		Files.writeString(store.resolve("tdb.lock"), Long.toString(ProcessHandle.current().parent().orElseThrow().pid()));
		assertEquals(Optional.of("process " + ProcessHandle.current().parent().orElseThrow().pid()),
				dev.loupe.core.store.StoreHolder.of(store));
	}

	@Test
	void aConnectionThatNeverAsksDoesNotHoldTheCloseUp() throws Exception {
		Path store = Files.createDirectories(dir.resolve("store"));
		HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> 0);
		try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
			Thread.sleep(200); // accepted, waiting for a request that does not come
			long t = System.nanoTime();
			server.close();
			assertTrue(System.nanoTime() - t < TimeUnit.SECONDS.toNanos(5), "closed at once");
		}
	}

	@Test
	void aSocketInAFolderOthersMayEnterIsNotTalkedTo() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> 0)) {
			Path folder = server.socket().getParent();
			// what another user could have made in the temporary folder before Loupe did
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
			assertTrue(HandoffClient.connect(store).isEmpty(), "a folder others may enter is not trusted");
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
			assertTrue(HandoffClient.connect(store).isPresent());
		}
	}

	@Test
	void oneProcessServesAStoreOnce() throws IOException {
		Path store = Files.createDirectories(dir.resolve("store"));
		try (HandoffServer server = HandoffServer.start(store, "the workbench", (request, out, err, cancel) -> 0)) {
			IOException e = assertThrows(IOException.class, () -> HandoffServer.start(store, "loupe watch", (r, o, er, c) -> 0));
			assertTrue(e.getMessage().contains("the workbench (pid"), e.getMessage());
		}
	}

	@Test
	void aStoreWithALongPathIsServedFromTheTemporaryFolder() throws IOException {
		Path store = Files.createDirectories(dir.resolve("a-folder-with-a-long-name-".repeat(4)).resolve("store"));
		Path socket = SocketPath.of(store);
		assertFalse(socket.startsWith(store), socket.toString());
		assertTrue(socket.getFileName().toString().endsWith(".sock"));
		assertEquals(socket, SocketPath.of(store.resolve("..").resolve("store")), "every spelling of the folder finds it");
		try (HandoffServer server = HandoffServer.start(store, "the test", (request, out, err, cancel) -> 3)) {
			Optional<HandoffClient> c = HandoffClient.connect(store);
			assertTrue(c.isPresent());
			try (HandoffClient client = c.get()) {
				assertEquals(3, run(client, List.of("gaps"), new ByteArrayOutputStream(), new ByteArrayOutputStream(), new AtomicReference<>()));
			}
		}
	}

	private static void putString(ByteBuffer b, String s) {
		byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
		b.putInt(bytes.length);
		b.put(bytes);
	}
}
