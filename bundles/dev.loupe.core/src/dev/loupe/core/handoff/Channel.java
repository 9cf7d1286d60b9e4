package dev.loupe.core.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a socket channel that one thread may read while another writes: the streams of
 * {@link java.nio.channels.Channels} take one lock for both on some JDKs, and the server reads (to learn that the
 * client went away) while the command writes.
 */
final class Channel {
	private Channel() {
	}

	static InputStream in(SocketChannel c) {
		return new InputStream() {
			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return len == 0 ? 0 : c.read(ByteBuffer.wrap(b, off, len));
			}
		};
	}

	static OutputStream out(SocketChannel c) {
		return chunks((b, off, len) -> {
			ByteBuffer buf = ByteBuffer.wrap(b, off, len);
			while (buf.hasRemaining()) {
				c.write(buf);
			}
		});
	}

	/** Writes a run of bytes. */
	interface Chunks {
		void write(byte[] b, int off, int len) throws IOException;
	}

	/** A stream that hands each write, of one byte or many, to {@code chunks} as it comes. */
	static OutputStream chunks(Chunks chunks) {
		return new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				chunks.write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				chunks.write(b, off, len);
			}
		};
	}
}
