/**
 * A fast reader for the YAML that Kubernetes manifests are written in: block mappings and
 * sequences, plain / quoted scalars, one-line flow collections, literal block scalars, comments.
 * It gives the plain data `yaml`'s parseDocument(...).toJS() would give (YAML 1.2 core schema), or
 * gives up (`undefined`) on anything else: anchors, aliases, tags, folded or multi-line scalars,
 * tabs, duplicate keys, merge keys, odd indentation, and anything that `yaml` would report as an
 * error or a warning, and any plain scalar Kubernetes (YAML 1.1, goYaml.ts) reads otherwise than
 * YAML 1.2 (`yes`, `0443`, `8_080`): those need positions for their warning, and the full reader.
 * Giving up is always safe: the caller then parses with `yaml`.
 *
 * About 20 times faster than `yaml`, because it builds neither a CST nor nodes: positions are not
 * recorded, and a document that needs them (one with findings) is parsed again with `yaml`.
 * test/engine/fastYaml.test.ts checks it against `yaml` on every manifest the tests know, and on
 * random mutations of them.
 */

import { agreesWithYaml12, plainKey } from './goYaml';

class GiveUp extends Error {}

const giveUp = (): never => {
  throw new GiveUp();
};

interface Line {
  indent: number;
  /** The line without its indentation (and without a trailing CR). */
  content: string;
  /** The whole raw line (block scalars read it). */
  raw: string;
}

/** YAML 1.2 core schema resolution of a plain scalar, in `yaml`'s tag order. */
export function resolvePlain(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  const c = s.charCodeAt(0);
  // Numbers start with a digit, a sign or a dot: everything else is a string.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** A plain scalar's value, when Kubernetes (YAML 1.1) reads it the same; else the full reader takes over. */
function plainValue(s: string): unknown {
  const v = resolvePlain(s);
  if (!agreesWithYaml12(s, v)) giveUp();
  return v;
}

/**
 * Can a plain scalar (or plain key) start like this? Not with an indicator; `-`, `?` and `:` only
 * when a non-space follows (`-1`, `:path`).
 */
function startsPlain(text: string): boolean {
  return !/^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/.test(text);
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/** A double-quoted scalar starting at s[at]; returns its value and the index after the closing quote. */
function doubleQuoted(s: string, at: number): [string, number] {
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') return [out, i + 1];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = s[++i];
    if (e === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) giveUp();
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (e !== undefined && ESCAPES[e] !== undefined) out += ESCAPES[e];
    else giveUp();
  }
  return giveUp();
}

/** A single-quoted scalar starting at s[at] ('' is a quote). */
function singleQuoted(s: string, at: number): [string, number] {
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    if (s[i] !== "'") out += s[i];
    else if (s[i + 1] === "'") {
      out += "'";
      i++;
    } else return [out, i + 1];
  }
  return giveUp();
}

/** True when s[from..] holds nothing but spaces and maybe a comment (`#` after a space or at the start). */
function onlyComment(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    if (s[i] === ' ') continue;
    return s[i] === '#' && (i === from ? i === 0 || s[i - 1] === ' ' : true);
  }
  return true;
}

/** A plain scalar in block context: up to a comment; no `: ` inside, no trailing `:`. */
function blockPlain(s: string): string {
  const hash = s.indexOf(' #');
  const text = (hash === -1 ? s : s.slice(0, hash)).trimEnd();
  if (text === '' || !startsPlain(text) || text.includes(': ') || text.endsWith(':')) giveUp();
  return text;
}

/** A key as a JS property name, as yaml's toJS makes it (String of the resolved scalar, null → ''). */
function jsKey(v: unknown): string {
  const k = v === null ? '' : String(v);
  if (k === '<<' || k === '__proto__') giveUp();
  return k;
}

/** One-line flow collections: `[a, "b", {c: 1}]`. */
class FlowReader {
  i: number;
  constructor(
    private readonly s: string,
    at: number,
  ) {
    this.i = at;
  }

  private skip(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  value(): unknown {
    this.skip();
    const ch = this.s[this.i];
    if (ch === '[') return this.seq();
    if (ch === '{') return this.map();
    if (ch === '"') {
      const [v, end] = doubleQuoted(this.s, this.i);
      this.i = end;
      return v;
    }
    if (ch === "'") {
      const [v, end] = singleQuoted(this.s, this.i);
      this.i = end;
      return v;
    }
    return plainValue(this.plain());
  }

  /** A plain scalar in flow context: up to `,`, `]`, `}` or `: `. */
  private plain(): string {
    const start = this.i;
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{' || ch === '#' || ch === '\t') break;
      if (ch === ':' && (this.s[this.i + 1] === ' ' || this.s[this.i + 1] === ',' || this.s[this.i + 1] === '}' || this.s[this.i + 1] === ']' || this.i + 1 === this.s.length)) break;
      this.i++;
    }
    const text = this.s.slice(start, this.i).trim();
    if (text === '' || !startsPlain(text)) giveUp();
    return text;
  }

  private seq(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') giveUp();
    }
  }

  private map(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const ch = this.s[this.i];
      if (ch === '[' || ch === '{') giveUp();
      const key = jsKey(this.value());
      this.skip();
      if (this.s[this.i] !== ':') giveUp();
      this.i++;
      if (Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      this.skip();
      out[key] = this.s[this.i] === ',' || this.s[this.i] === '}' ? null : this.value();
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') giveUp();
    }
  }
}

class BlockReader {
  private i = 0;

  constructor(private readonly lines: readonly Line[]) {}

  /** Index of the next line with content (not blank, not a comment), from `from`. */
  private nextContent(from = this.i): number {
    let j = from;
    while (j < this.lines.length) {
      const c = this.lines[j].content;
      if (c !== '' && c[0] !== '#') break;
      j++;
    }
    return j;
  }

  document(): unknown {
    const j = this.nextContent();
    if (j >= this.lines.length) return null;
    this.i = j;
    const value = this.block(this.lines[j].indent);
    if (this.nextContent() < this.lines.length) giveUp();
    return value;
  }

  private isSeqItem(c: string): boolean {
    return c === '-' || c.startsWith('- ');
  }

  /** The collection whose first line is the current one, at `indent`. */
  private block(indent: number): unknown {
    const line = this.lines[this.i];
    if (line.indent !== indent) giveUp();
    return this.isSeqItem(line.content) ? this.seq(indent) : this.map(indent);
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const j = this.nextContent();
      if (j >= this.lines.length) return out;
      const line = this.lines[j];
      if (line.indent < indent) return out;
      if (line.indent > indent || this.isSeqItem(line.content)) giveUp();
      this.i = j;
      const [key, rest] = this.keyOf(line.content);
      if (Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      this.i = j + 1;
      out[key] = this.valueAfter(rest, indent, true);
    }
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const j = this.nextContent();
      if (j >= this.lines.length) return out;
      const line = this.lines[j];
      if (line.indent < indent) return out;
      if (line.indent > indent || !this.isSeqItem(line.content)) {
        if (line.indent === indent) return out; // a mapping key after `key:\n- items` at the same indentation
        giveUp();
      }
      const rest = line.content === '-' ? '' : line.content.slice(2);
      const pad = rest.length - rest.trimStart().length;
      const item = rest.trimStart();
      if (item === '' || item[0] === '#') {
        this.i = j + 1;
        out.push(this.nested(indent, false));
        continue;
      }
      if (this.isSeqItem(item)) giveUp();
      if (this.hasKey(item)) {
        // `- key: value` starts a mapping at the item's column: read it as if on its own line.
        const col = indent + 2 + pad;
        const saved = this.lines[j];
        (this.lines as Line[])[j] = { indent: col, content: item, raw: saved.raw };
        this.i = j;
        try {
          out.push(this.map(col));
        } finally {
          (this.lines as Line[])[j] = saved;
        }
        continue;
      }
      this.i = j + 1;
      out.push(this.valueAfter(item, indent, false));
    }
  }

  /** Does a line's content start with `key:`? */
  private hasKey(c: string): boolean {
    if (c[0] === '"' || c[0] === "'") {
      try {
        const [, end] = c[0] === '"' ? doubleQuoted(c, 0) : singleQuoted(c, 0);
        return /^ *:(?: |$)/.test(c.slice(end));
      } catch {
        return false;
      }
    }
    if (c[0] === '[' || c[0] === '{') return false;
    return /:(?: |$)/.test(c.split(' #')[0]);
  }

  /** Splits `key: rest` (rest trimmed of leading spaces). */
  private keyOf(c: string): [string, string] {
    if (c[0] === '"' || c[0] === "'") {
      const [k, end] = c[0] === '"' ? doubleQuoted(c, 0) : singleQuoted(c, 0);
      const m = /^ *:(?: +|$)/.exec(c.slice(end));
      if (!m) giveUp();
      return [jsKey(k), c.slice(end + m![0].length)];
    }
    const colon = c.search(/:(?: |$)/);
    if (colon <= 0) giveUp();
    const raw = c.slice(0, colon).trimEnd();
    if (raw === '' || !startsPlain(raw) || raw.includes(' #')) giveUp();
    const key = jsKey(resolvePlain(raw));
    if (plainKey(raw) !== key) giveUp(); // Kubernetes names this key otherwise (YAML 1.1)
    return [key, c.slice(colon + 1).trimStart()];
  }

  /** The value after `key:` or `- ` (`rest`, possibly empty: then on the next lines). */
  private valueAfter(rest: string, indent: number, inMap: boolean): unknown {
    if (rest === '' || rest[0] === '#') return this.nested(indent, inMap);
    const ch = rest[0];
    let value: unknown;
    if (ch === '"' || ch === "'") {
      const [v, end] = ch === '"' ? doubleQuoted(rest, 0) : singleQuoted(rest, 0);
      if (!onlyComment(rest, end)) giveUp();
      value = v;
    } else if (ch === '[' || ch === '{') {
      const r = new FlowReader(rest, 0);
      value = r.value();
      if (!onlyComment(rest, r.i)) giveUp();
    } else if (ch === '|') {
      return this.literal(rest, indent);
    } else value = plainValue(blockPlain(rest));
    // A more indented line after a one-line value would continue it (a multi-line scalar): give up.
    const j = this.nextContent();
    if (j < this.lines.length && this.lines[j].indent > indent) giveUp();
    return value;
  }

  /** A block under a key or `-`: more indented lines, or (under a key) a sequence at the key's indentation. */
  private nested(indent: number, inMap: boolean): unknown {
    const j = this.nextContent();
    if (j >= this.lines.length) return null;
    const line = this.lines[j];
    if (line.indent > indent) {
      this.i = j;
      return this.block(line.indent);
    }
    if (inMap && line.indent === indent && this.isSeqItem(line.content)) {
      this.i = j;
      return this.seq(indent);
    }
    return null;
  }

  /** A literal block scalar (`|`, `|-`): lines more indented than `indent`. */
  private literal(header: string, indent: number): string {
    const m = /^\|([-+]?)(?: +#.*)? *$/.exec(header);
    if (!m || m[1] === '+') giveUp();
    const strip = m![1] === '-';
    const body: string[] = [];
    let blockIndent = -1;
    let j = this.i;
    for (; j < this.lines.length; j++) {
      const raw = this.lines[j].raw;
      if (raw.trim() === '') {
        if (blockIndent === -1) giveUp(); // leading blank lines: not in this subset
        if (raw.length > blockIndent) giveUp();
        body.push('');
        continue;
      }
      const ind = raw.length - raw.trimStart().length;
      if (blockIndent === -1) {
        if (ind <= indent) break;
        blockIndent = ind;
      }
      if (ind < blockIndent) break;
      body.push(raw.slice(blockIndent));
    }
    while (body.length && body[body.length - 1] === '') body.pop();
    // The lines consumed: up to the last content line (trailing blank lines belong to what follows).
    this.i = j;
    if (body.length === 0) return '';
    return strip ? body.join('\n') : `${body.join('\n')}\n`;
  }
}

/** The plain data of one YAML document, or undefined when it is outside the subset read here. */
export function fastParseYaml(text: string): { data: unknown } | undefined {
  if (text.includes('\t') || text.includes('\r') && /\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  const raws = text.split('\n');
  const lines: Line[] = [];
  let first = true;
  for (const r of raws) {
    const raw = r.endsWith('\r') ? r.slice(0, -1) : r;
    const content = raw.trimStart();
    if (first && content !== '' && content[0] !== '#') {
      first = false;
      // A leading document marker, alone or with a comment.
      if (content.startsWith('---')) {
        if (!/^---(?: +#.*)? *$/.test(content) || raw !== content) return undefined;
        lines.push({ indent: 0, content: '', raw: '' });
        continue;
      }
    }
    if (/^(?:---|\.\.\.)(?: |$)/.test(raw) || raw.startsWith('%')) return undefined;
    lines.push({ indent: raw.length - content.length, content: content.trimEnd() === '' ? '' : content.replace(/ +$/, ''), raw });
  }
  try {
    return { data: new BlockReader(lines).document() };
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * Offsets [start, end) of the value of `metadata.name` in the common layout (a top-level
 * `metadata:` block, `name:` among its entries, a plain or quoted one-line value), found with a
 * line scan; undefined in any other layout (the caller then asks the syntax tree).
 */
export function metadataNameOffsets(text: string): [number, number] | undefined {
  const m = /^metadata:[ ]*(?:#[^\n]*)?\r?\n/m.exec(text);
  if (!m) return undefined;
  let pos = m.index + m[0].length;
  let childIndent = -1;
  // A repeated name key: Kubernetes keeps the last one (as the data does), so does this.
  let found: [number, number] | undefined;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (content === '' || content[0] === '#') {
      pos = end + 1;
      continue;
    }
    if (indent === 0) return found;
    if (childIndent === -1) childIndent = indent;
    if (indent === childIndent && content.startsWith('name:')) {
      const after = content.slice(5);
      const lead = after.length - after.trimStart().length;
      if (lead === 0 && after !== '') return undefined;
      const value = after.trimStart();
      const start = pos + indent + 5 + lead;
      if (value === '' || value[0] === '#') return undefined;
      if (value[0] === '"' || value[0] === "'") {
        try {
          const [, close] = value[0] === '"' ? doubleQuoted(value, 0) : singleQuoted(value, 0);
          found = [start, start + close];
        } catch {
          return undefined;
        }
      } else {
        const hash = value.indexOf(' #');
        found = [start, start + (hash === -1 ? value : value.slice(0, hash)).trimEnd().length];
      }
    }
    pos = end + 1;
  }
  return found;
}
