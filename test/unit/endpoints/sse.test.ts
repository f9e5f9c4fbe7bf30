import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NdjsonParser, SseParser } from "../../../src/endpoints/sse.js";

function feed(parser: SseParser, parts: (string | Uint8Array)[]): string[] {
  return [...parts.flatMap((p) => parser.push(p)), ...parser.end()];
}

describe("SseParser", () => {
  it("reads data with or without a space, CRLF and CR line ends, and skips comments and other fields", () => {
    const events = feed(new SseParser(), [
      'data:{"a":1}\r\n\r\n: ping\n\nevent: x\nid: 3\ndata: two\r\rdata: [DONE]\n\n',
    ]);
    assert.deepEqual(events, ['{"a":1}', "two", "[DONE]"]);
  });

  it("joins multi-line data and keeps a last event that lacks its blank line", () => {
    assert.deepEqual(feed(new SseParser(), ["data: a\ndata: b\n\ndata: tail"]), ["a\nb", "tail"]);
  });

  it("holds a CR that may be the first half of CRLF, and a split UTF-8 character", () => {
    const bytes = Buffer.from('data: "ки+"\r\n\r\n', "utf8");
    const parts = [
      bytes.subarray(0, 8),
      bytes.subarray(8, 9),
      bytes.subarray(9, 13),
      bytes.subarray(13, 14),
      bytes.subarray(14),
    ];
    assert.deepEqual(feed(new SseParser(), parts), ['"ки+"']);
  });
});

describe("NdjsonParser", () => {
  it("returns complete lines across chunk borders", () => {
    const p = new NdjsonParser();
    assert.deepEqual(p.push('{"a":1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(p.push(":2}\n\n"), ['{"b":2}']);
    assert.deepEqual(p.push('{"c":3}'), []);
    assert.deepEqual(p.end(), ['{"c":3}']);
  });
});
