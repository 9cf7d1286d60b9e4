package dev.loupe.core.handoff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lets `loupe` commands started elsewhere run in this process, which holds the store: a database on disk admits one
 * process at a time, and this one has its caches and compiled code warm. Listens on {@link SocketPath}; each
 * connection runs one command on a thread of its own.
 */
public final class HandoffServer implements AutoCloseable {
	/** A command from another process: Loupe's home there, the language of its labels, its arguments (paths absolute). */
	public record Request(Path home, String language, List<String> args) {
	}

	public interface Handler {
		/** Runs the command, writing what the command line would; returns its exit code. */
		int run(Request request, PrintStream out, PrintStream err, Cancellation cancellation);
	}

	/** What a command waits for before the server's close cuts it off: the time the command line gives itself too. */
	private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);
	private static final int MAX_ARGS = 10_000;
	private static final long FLUSH_MILLIS = 50;
	private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
			.daemon().name("loupe-handoff-flush").unstarted(r));
	/** Sockets served in this process: a second server would take the first one's socket away. */
	private static final Map<Path, HandoffServer> SERVED = new ConcurrentHashMap<>();

	private final Path socket;
	private final ServerSocketChannel channel;
	private final String who;
	private final Handler handler;
	private final Map<Thread, Connection> running = new ConcurrentHashMap<>();
	private volatile boolean closed;

	/** One connection: its command's cancellation, and whether the request was read (until then it may idle). */
	private static final class Connection {
		final SocketChannel channel;
		final Cancellation cancellation = new Cancellation();
		volatile boolean requested;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}
	}

	private HandoffServer(Path socket, ServerSocketChannel channel, String who, Handler handler) {
		this.socket = socket;
		this.channel = channel;
		this.who = who;
		this.handler = handler;
	}

	/**
	 * Starts listening for commands on the store in {@code store}, which the caller holds open.
	 * @param who what this process is, as the other process tells its user (the pid is added)
	 * @throws IOException when the socket cannot be made, or this process serves the store already
	 */
	public static HandoffServer start(Path store, String who, Handler handler) throws IOException {
		Path socket = SocketPath.of(store);
		SocketPath.prepareFolder(socket);
		synchronized (SERVED) {
			HandoffServer other = SERVED.get(socket);
			if (other != null) {
				throw new IOException("this process serves the store already, as " + other.who);
			}
			// the caller holds the store's lock: a socket here is left from a process that ended without removing it
			Files.deleteIfExists(socket);
			ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			try {
				ch.bind(UnixDomainSocketAddress.of(socket));
			} catch (IOException e) {
				ch.close();
				throw e;
			}
			HandoffServer server = new HandoffServer(socket, ch, who + " (pid " + ProcessHandle.current().pid() + ")", handler);
			SERVED.put(socket, server);
			Thread.ofPlatform().daemon().name("loupe-handoff").start(server::accept);
			return server;
		}
	}

	public Path socket() {
		return socket;
	}

	private void accept() {
		while (!closed) {
			SocketChannel c;
			try {
				c = channel.accept();
			} catch (IOException e) {
				if (closed) {
					return;
				}
				pause(); // one failed connection: the next may be fine, but a lasting failure is not to be spun on
				continue;
			}
			Connection connection = new Connection(c);
			Thread t = Thread.ofPlatform().daemon().name("loupe-handoff-command").unstarted(() -> serve(connection));
			running.put(t, connection);
			if (closed) {
				connection.cancellation.cancel();
			}
			t.start();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void serve(Connection connection) {
		Cancellation cancellation = connection.cancellation;
		try (SocketChannel c = connection.channel) {
			DataInputStream in = new DataInputStream(new BufferedInputStream(Channel.in(c)));
			DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channel.out(c)));
			Frames.hello(in);
			Request request = read(in);
			connection.requested = true;
			out.write(Frames.HELLO);
			Frames.writeString(out, who);
			out.flush();
			if (request.args().isEmpty()) {
				// only asked who holds the store
				out.writeByte(Frames.EXIT);
				out.writeInt(0);
				out.flush();
				return;
			}
			// the client sends nothing more: its end closing means its user stopped it
			Thread.ofPlatform().daemon().name("loupe-handoff-hangup").start(() -> {
				try {
					if (in.read() < 0) {
						cancellation.cancel();
					}
				} catch (IOException e) {
					cancellation.cancel();
				}
			});
			int code;
			// standard output in frames of up to 64 KB, sent at least every 50 ms: a frame per line made a query's
			// 300K rows a second slower. Errors go at once, after the output written before them.
			PrintStream o = new PrintStream(new BufferedOutputStream(Frames.stream(out, Frames.OUT), 1 << 16), false,
					StandardCharsets.UTF_8);
			OutputStream errors = Frames.stream(out, Frames.ERR);
			PrintStream e = new PrintStream(Channel.chunks((b, off, len) -> {
				o.flush();
				errors.write(b, off, len);
			}), true, StandardCharsets.UTF_8);
			ScheduledFuture<?> flushing = FLUSHER.scheduleWithFixedDelay(o::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
			try {
				code = handler.run(request, o, e, cancellation);
			} finally {
				flushing.cancel(false);
				o.flush();
				e.flush();
			}
			synchronized (out) {
				out.writeByte(Frames.EXIT);
				out.writeInt(code);
				out.flush();
			}
		} catch (IOException e) {
			// the client went away or spoke something else: nothing to tell it
		} finally {
			running.remove(Thread.currentThread());
		}
	}

	private static Request read(DataInputStream in) throws IOException {
		Path home = Path.of(Frames.readString(in));
		String language = Frames.readString(in);
		int n = in.readInt();
		if (n < 0 || n > MAX_ARGS) {
			throw new IOException(n + " arguments");
		}
		List<String> args = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			args.add(Frames.readString(in));
		}
		return new Request(home, language, List.copyOf(args));
	}

	/**
	 * Stops listening, removes the socket and cancels the commands running, waiting for them to end (a minute at
	 * most) so that the store can close after them.
	 */
	@Override
	public void close() {
		closed = true;
		try {
			channel.close();
		} catch (IOException e) {
			// closing anyway
		}
		SERVED.remove(socket, this);
		try {
			Files.deleteIfExists(socket);
		} catch (IOException e) {
			// a socket left behind is replaced by the next server and refused meanwhile
		}
		for (Connection c : running.values()) {
			c.cancellation.cancel();
			if (!c.requested) {
				try {
					c.channel.close(); // a connection that never sent its request would hold the close up
				} catch (IOException e) {
					// gone anyway
				}
			}
		}
		long until = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
		for (Thread t : List.copyOf(running.keySet())) {
			try {
				t.join(Math.max(1, until - System.currentTimeMillis()));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}
}
