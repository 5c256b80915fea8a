/**
 * The LSP base protocol over a byte stream (`Content-Length: N\r\n\r\n` + N bytes of JSON), read so
 * that one malformed frame costs one message, never the connection. vscode-jsonrpc's stream reader
 * trusts Content-Length: a length too large makes it wait for bytes that never come, swallowing
 * every later message while the server looks alive and logs nothing. Here every problem is
 * logged and the reader resynchronises on the next `Content-Length` header:
 *
 * - a header without a valid Content-Length: skipped;
 * - a body that is not a JSON object (length too small, garbage): skipped;
 * - a length too large: a JSON body never contains `Content-Length: N` followed by a raw line
 *   break (raw line breaks cannot occur inside JSON strings), so when the next header shows up inside the body, or
 *   when the bytes received so far already form a complete JSON object and nothing more comes, the
 *   message is delivered and the wrong length logged.
 */
import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-languageserver/node';

const HEADER_END = Buffer.from('\r\n\r\n');
/**
 * A Content-Length header line. It cannot occur inside a JSON body: its raw CR LF could only be
 * whitespace between JSON tokens, where `Content-Length: 12` is not valid JSON either.
 */
const NEXT_HEADER = /content-length:[ \t]*\d+[ \t]*\r\n/i;
/** Headers are a few dozen bytes; past this without CR LF CR LF the input is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
/** Larger messages are refused (the largest document analysed is 20 MiB). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Quiet time after which a body shorter than its Content-Length is judged on what came. */
const SETTLE_MS = 500;

export class RecoveringMessageReader extends AbstractMessageReader implements MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Body length announced by the current header; undefined while reading a header. */
  private expected: number | undefined;
  private callback: DataCallback | undefined;
  private settle: NodeJS.Timeout | undefined;
  /** The last bytes received, so that a header split between two chunks is still seen. */
  private tail = '';

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly log: (message: string) => void,
    private readonly settleMs: number = SETTLE_MS,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer): void => this.onData(data);
    const onError = (err: Error): void => this.fireError(err);
    const onClose = (): void => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    return Disposable.create(() => {
      clearTimeout(this.settle);
      this.input.off('data', onData);
      this.input.off('error', onError);
      this.input.off('close', onClose);
    });
  }

  private onData(data: Buffer): void {
    clearTimeout(this.settle);
    this.chunks.push(data);
    this.chunkBytes += data.length;
    // While a long body arrives, chunks are joined once it is complete (not at every chunk),
    // except for a look at the newest chunk for the next header.
    if (!(this.expected !== undefined && this.buffer.length + this.chunkBytes < this.expected && !this.newHeaderIn(data))) this.drain();
    if (this.expected !== undefined) this.armSettle();
  }

  private newHeaderIn(data: Buffer): boolean {
    // A false alarm (the tail of the current header) only costs a drain.
    const seen = this.tail + data.toString('latin1');
    this.tail = seen.slice(-64);
    return NEXT_HEADER.test(seen);
  }

  private joined(): Buffer {
    if (this.chunks.length > 0) {
      this.buffer = Buffer.concat([this.buffer, ...this.chunks]);
      this.chunks = [];
      this.chunkBytes = 0;
    }
    return this.buffer;
  }

  private armSettle(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.onSettled(), this.settleMs);
    this.settle.unref?.();
  }

  /** Drops bytes up to the next Content-Length header at or after `from` (keeps a tail that may start one). */
  private resync(from: number): void {
    const buf = this.joined();
    const m = NEXT_HEADER.exec(buf.subarray(from).toString('latin1'));
    this.buffer = m ? buf.subarray(from + m.index) : buf.subarray(Math.max(from, buf.length - headerStartLength(buf)));
    this.expected = undefined;
  }

  private deliver(body: Buffer, note?: string): boolean {
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return false;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return false;
    if (note) this.log(note);
    this.callback?.(message as Message);
    return true;
  }

  private drain(): void {
    for (;;) {
      const buf = this.joined();
      if (this.expected === undefined) {
        const end = buf.indexOf(HEADER_END);
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) {
            this.log(`malformed LSP input: ${buf.length} bytes without a header end (CR LF CR LF); skipped to the next Content-Length header`);
            this.resync(1);
          }
          return;
        }
        const header = buf.subarray(0, end).toString('latin1');
        const length = contentLength(header);
        if (length === undefined) {
          this.log(`malformed LSP frame: header ${JSON.stringify(header.slice(0, 120))} has no valid Content-Length (at most ${MAX_MESSAGE_BYTES} bytes); skipped to the next Content-Length header`);
          this.resync(1);
          continue;
        }
        this.buffer = buf.subarray(end + HEADER_END.length);
        this.expected = length;
        continue;
      }
      const expected = this.expected;
      if (buf.length >= expected) {
        const body = buf.subarray(0, expected);
        if (this.deliver(body)) {
          this.buffer = buf.subarray(expected);
          this.expected = undefined;
          continue;
        }
        this.log(`malformed LSP frame: the ${expected} bytes after Content-Length: ${expected} are not a JSON object (a wrong length?); skipped to the next Content-Length header`);
        this.resync(0);
        continue;
      }
      const next = NEXT_HEADER.exec(buf.toString('latin1'));
      if (next && next.index > 0) {
        // The next header arrived before the announced length: the length was too large.
        const body = buf.subarray(0, next.index);
        const delivered = this.deliver(body, `malformed LSP frame: Content-Length: ${expected} but the next header came after ${body.length} bytes; the message was read up to it`);
        if (!delivered) this.log(`malformed LSP frame: Content-Length: ${expected}, and the ${body.length} bytes before the next header are not a JSON object; skipped`);
        this.buffer = buf.subarray(next.index);
        this.expected = undefined;
        continue;
      }
      return;
    }
  }

  /** Nothing came for a while and the body is short of its length: a complete JSON object means a wrong length. */
  private onSettled(): void {
    this.drain(); // a next header split across two chunks is found in the joined buffer
    const expected = this.expected;
    const buf = this.joined();
    if (expected === undefined || buf.length === 0 || buf.length >= expected) return;
    if (this.deliver(buf, `malformed LSP frame: Content-Length: ${expected} but the message ended after ${buf.length} bytes; it was read as sent`)) {
      this.buffer = Buffer.alloc(0);
      this.expected = undefined;
    }
  }
}

const HEADER_NAME = 'content-length:';

/** How many bytes at the end of `buf` may begin a Content-Length header still to come. */
function headerStartLength(buf: Buffer): number {
  const tail = buf.subarray(Math.max(0, buf.length - HEADER_NAME.length)).toString('latin1').toLowerCase();
  for (let i = 0; i < tail.length; i++) if (HEADER_NAME.startsWith(tail.slice(i))) return tail.length - i;
  return 0;
}

/** The Content-Length of a header block, or undefined when it has none, or one that is not a sane byte count. */
function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) return undefined;
    length = Number(value);
  }
  return length !== undefined && length <= MAX_MESSAGE_BYTES ? length : undefined;
}
