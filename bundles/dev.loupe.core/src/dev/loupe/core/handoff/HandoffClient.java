package dev.loupe.core.handoff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Hands a command to the process that holds the store ({@link HandoffServer}), if one listens. */
public final class HandoffClient implements AutoCloseable {
	/** The process holding the store stopped answering mid-command. */
	public static final class Lost extends IOException {
		private static final long serialVersionUID = 1L;

		Lost(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private final SocketChannel channel;
	private final DataInputStream in;
	private final DataOutputStream out;

	private HandoffClient(SocketChannel channel) {
		this.channel = channel;
		this.in = new DataInputStream(new BufferedInputStream(Channel.in(channel)));
		this.out = new DataOutputStream(new BufferedOutputStream(Channel.out(channel)));
	}

	/**
	 * Connects to the process serving the store in {@code store}; empty when none does (no socket, or one left by a
	 * process that ended, or one in a folder that is not this user's alone). Cheap when there is none: one look for
	 * a file.
	 */
	public static Optional<HandoffClient> connect(Path store) {
		Path socket = SocketPath.of(store);
		if (!Files.exists(socket) || !SocketPath.trusted(socket)) {
			return Optional.empty();
		}
		try {
			SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
			try {
				c.connect(UnixDomainSocketAddress.of(socket));
			} catch (IOException e) {
				c.close();
				return Optional.empty();
			}
			return Optional.of(new HandoffClient(c));
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	/** What serves the store in {@code store} (as "loupe serve (pid 4242)"), if something does. */
	public static Optional<String> holder(Path store) {
		Optional<HandoffClient> c = connect(store);
		if (c.isEmpty()) {
			return Optional.empty();
		}
		String[] who = { null };
		try (HandoffClient client = c.get()) {
			client.run(Path.of(""), "en", List.of(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
					w -> who[0] = w);
			return Optional.ofNullable(who[0]);
		} catch (Lost e) {
			return Optional.empty();
		}
	}

	/**
	 * Runs the command there, copying its output to {@code stdout} and {@code stderr} as it comes; returns its exit
	 * code. An interrupt of this process (Ctrl-C) cancels the command there, and this process waits for it to end
	 * (a minute at most), as it would for the command run here.
	 * @param announce told who runs the command, before its output
	 * @throws Lost when the other process does not answer as a Loupe server or goes away before the command ends
	 */
	public int run(Path home, String language, List<String> args, OutputStream stdout, OutputStream stderr,
			Consumer<String> announce) throws Lost {
		CountDownLatch ended = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			try {
				channel.shutdownOutput();
				ended.await(60, TimeUnit.SECONDS);
			} catch (IOException e) {
				// the command ends anyway when the socket goes
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "loupe-handoff-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			out.write(Frames.HELLO);
			Frames.writeString(out, home.toString());
			Frames.writeString(out, language);
			out.writeInt(args.size());
			for (String a : args) {
				Frames.writeString(out, a);
			}
			out.flush();
			Frames.hello(in);
			announce.accept(Frames.readString(in));
			while (true) {
				int kind = in.readUnsignedByte();
				if (kind == Frames.EXIT) {
					return in.readInt();
				}
				byte[] b = Frames.readBytes(in);
				OutputStream to = kind == Frames.OUT ? stdout : kind == Frames.ERR ? stderr : null;
				if (to == null) {
					throw new IOException("a frame of kind " + kind);
				}
				to.write(b);
				to.flush();
			}
		} catch (EOFException e) {
			throw new Lost("the Loupe process holding the store ended before the command did", e);
		} catch (IOException e) {
			throw new Lost("the Loupe process holding the store stopped answering: " + e.getMessage(), e);
		} finally {
			ended.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch (IllegalStateException e) {
				// shutting down: the hook is running and lets the JVM go now
			}
		}
	}

	@Override
	public void close() {
		try {
			channel.close();
		} catch (IOException e) {
			// nothing held
		}
	}
}
