/**
 * Offsets of the values of a JSON text, from one linear scan (no values are built): what a
 * diagnostic inside an inline JSON string (a jwks of thousands of keys) needs, at a fraction of
 * the cost of a YAML parse of the same text.
 */
import type { Path, Target } from '../model/locate';

interface JsonNode {
  start: number;
  end: number;
  /** Object members by key, with the key's offsets. */
  members?: Map<string, { keyStart: number; keyEnd: number; value: JsonNode }>;
  items?: JsonNode[];
}

const LITERAL = /-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null/y;

class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  private fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.i}`);
  }

  private string(): string {
    const start = this.i;
    if (this.s[this.i] !== '"') this.fail();
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (c === '\\') this.i++;
      else if (c === '"') {
        this.i++;
        return JSON.parse(this.s.slice(start, this.i)) as string;
      }
    }
    return this.fail();
  }

  /** Comma-separated items up to `close` (the opening bracket is consumed). */
  private sequence(close: string, item: () => void): void {
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      item();
      this.ws();
      const sep = this.s[this.i++];
      if (sep === close) return;
      if (sep !== ',') this.fail();
    }
  }

  value(depth: number): JsonNode {
    if (depth > 64) this.fail();
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const members = new Map<string, { keyStart: number; keyEnd: number; value: JsonNode }>();
      this.sequence('}', () => {
        this.ws();
        const keyStart = this.i;
        const key = this.string();
        const keyEnd = this.i;
        this.ws();
        if (this.s[this.i++] !== ':') this.fail();
        members.set(key, { keyStart, keyEnd, value: this.value(depth + 1) });
      });
      return { start, end: this.i, members };
    }
    if (c === '[') {
      this.i++;
      const items: JsonNode[] = [];
      this.sequence(']', () => items.push(this.value(depth + 1)));
      return { start, end: this.i, items };
    }
    if (c === '"') {
      this.string();
      return { start, end: this.i };
    }
    LITERAL.lastIndex = this.i;
    const m = LITERAL.exec(this.s);
    if (!m) this.fail();
    this.i += m[0].length;
    return { start, end: this.i };
  }
}

/** The offsets locator of a JSON text, or undefined when it is not JSON. */
export function jsonOffsets(text: string): ((path: Path, target: Target) => [number, number] | undefined) | undefined {
  let root: JsonNode;
  try {
    const sc = new Scanner(text);
    root = sc.value(0);
  } catch {
    return undefined;
  }
  return (path, target) => {
    let node: JsonNode | undefined = root;
    let key: { keyStart: number; keyEnd: number } | undefined;
    for (const step of path) {
      const member: { keyStart: number; keyEnd: number; value: JsonNode } | undefined = typeof step === 'string' ? node?.members?.get(step) : undefined;
      key = member;
      node = typeof step === 'number' ? node?.items?.[step] : member?.value;
      if (!node) return undefined;
    }
    if (!node) return undefined;
    if (target === 'key' && key) return [key.keyStart, key.keyEnd];
    if (target === 'pair' && key) return [key.keyStart, node.end];
    return [node.start, node.end];
  };
}
