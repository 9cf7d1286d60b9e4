package dev.loupe.core.handoff;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The handoff's wire format. The client sends {@link #HELLO}, Loupe's home, the language of its labels and the
 * arguments; the server answers {@link #HELLO} and who it is, then frames of standard output and error and, last,
 * the exit code. The client sends nothing more: when its end closes (the user pressed Ctrl-C), the command is
 * cancelled.
 */
final class Frames {
	/** Protocol name and version; a process speaking another version is not talked to. */
	static final byte[] HELLO = "LOUPE-HANDOFF/1\n".getBytes(StandardCharsets.US_ASCII);
	static final int OUT = 1;
	static final int ERR = 2;
	static final int EXIT = 3;
	/** Strings and frames larger than this are refused: no message of Loupe's comes near it. */
	static final int MAX_BYTES = 64 << 20;

	private Frames() {
	}

	static void writeString(DataOutputStream out, String s) throws IOException {
		byte[] b = s.getBytes(StandardCharsets.UTF_8);
		out.writeInt(b.length);
		out.write(b);
	}

	static String readString(DataInputStream in) throws IOException {
		return new String(readBytes(in), StandardCharsets.UTF_8);
	}

	static byte[] readBytes(DataInputStream in) throws IOException {
		int n = in.readInt();
		if (n < 0 || n > MAX_BYTES) {
			throw new IOException("a handoff frame of " + n + " bytes");
		}
		byte[] b = in.readNBytes(n);
		if (b.length != n) {
			throw new java.io.EOFException("the other end closed within a frame");
		}
		return b;
	}

	static void hello(DataInputStream in) throws IOException {
		byte[] got = in.readNBytes(HELLO.length);
		if (!java.util.Arrays.equals(got, HELLO)) {
			throw new IOException("the other end does not speak " + new String(HELLO, StandardCharsets.US_ASCII).trim());
		}
	}

	/** One stream of the command's output, each write sent as a frame of its own. */
	static OutputStream stream(DataOutputStream socket, int kind) {
		return Channel.chunks((b, off, len) -> {
			synchronized (socket) {
				socket.writeByte(kind);
				socket.writeInt(len);
				socket.write(b, off, len);
				socket.flush();
			}
		});
	}
}
