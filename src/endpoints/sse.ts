/**
 * Incremental parsers for streamed bodies. Chunks may split anywhere, including inside a UTF-8
 * character or between `\r` and `\n`; both parsers buffer until a line is complete.
 */

/**
 * Server-sent events: returns the `data` payload of each complete event. Comment lines
 * (`: ping`, which llama.cpp sends during long prefill) and other fields are skipped; `data:`
 * with or without a space is accepted; several data lines in one event are joined by `\n`.
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private data: string[] = [];

  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.drain(false);
  }

  /** Call at the end of the body: a last event without its blank line still counts. */
  end(): string[] {
    this.buffer += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): string[] {
    const events: string[] = [];
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1 && !final)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line, events);
    }
    if (final) {
      if (this.buffer) this.line(this.buffer, events);
      this.buffer = "";
      this.line("", events);
    }
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === "") {
      if (this.data.length) events.push(this.data.join("\n"));
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
  }
}

/** Newline-delimited JSON (Ollama's native API): returns each complete non-blank line. */
export class NdjsonParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";

  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.buffer.split("\n");
    this.buffer = lines.pop() ?? "";
    return lines.map((l) => l.trim()).filter(Boolean);
  }

  end(): string[] {
    const rest = (this.buffer + this.decoder.decode()).trim();
    this.buffer = "";
    return rest ? [rest] : [];
  }
}
