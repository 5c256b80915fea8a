/**
 * A fast reader for the YAML that Kubernetes manifests are written in: block mappings and
 * sequences, plain / quoted scalars, one-line flow collections, literal block scalars, comments.
 * It gives the data Kubernetes reads (goYaml.ts: the YAML 1.2 data `yaml` gives, except plain
 * scalars that YAML 1.1 reads otherwise, `yes`, `0443`, `8_080`, which are read as Kubernetes
 * reads them and listed for their warning), or gives up (`undefined`) on anything else: anchors,
 * aliases, tags, folded or multi-line scalars, tabs, duplicate keys, merge keys, keys Kubernetes
 * names otherwise, odd indentation, and anything that `yaml` would report as an error or a
 * warning. Giving up is always safe: the caller then parses with `yaml`.
 *
 * About 10 times faster than `yaml`, because it builds neither a CST nor nodes. Positions are
 * recorded only in a second pass (`places`), made when a finding needs a range or a YAML 1.1
 * scalar needs its warning; fastOffsets answers offsetsOf from them for keys and one-token values.
 * test/engine/fastYaml.test.ts checks data, disagreements and offsets against `yaml` on every
 * manifest the tests know, and on random mutations of them.
 */

import { plainKey, resolvePlainScalar, type Yaml11Disagreement } from './goYaml';

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
  /** Offset of the raw line in the text. */
  start: number;
}

/** Where a node was written: its key (mapping entries) and its value, when the value is one token (a scalar or a one-line flow collection). */
export interface NodePlace {
  key?: [number, number];
  value?: [number, number];
}

/** Places of every node of a document, by pathKey(path); filled only when the reader is asked for them. */
export type Places = Map<string, NodePlace>;

/** The key of a path in Places: a number step (sequence index) cannot collide with a string key. */
export function pathKey(path: ReadonlyArray<string | number>): string {
  let k = '';
  for (const step of path) k += typeof step === 'number' ? `\u0000\u0001${step}` : `\u0000${step}`;
  return k;
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

/** A key made of letters, digits, `_` and `-`, starting with a letter: a string for YAML 1.1 and 1.2 alike, unless one of SCALAR_WORDS. */
const WORD_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Words (in any case) that YAML 1.1 or 1.2 may read as a boolean or null: such scalars take the general path. */
const SCALAR_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** Whether a scalar starts with an ASCII letter (then only SCALAR_WORDS resolve to a non-string, in YAML 1.1 and 1.2). */
function startsWithLetter(s: string): boolean {
  const c = s.charCodeAt(0) | 0x20;
  return c >= 97 && c <= 122;
}

/** What one read collects beside the data. */
interface ReadState {
  /** Node places, when asked for (the second pass). */
  places?: Places;
  /** Plain scalars Kubernetes (YAML 1.1) reads otherwise than YAML 1.2, with places (second pass). */
  yaml11: Yaml11Disagreement[];
  /** Plain scalars read differently by YAML 1.1 and 1.2 so far (their warnings need the second pass). */
  yaml11Count: number;
}

/** Where a plain scalar was written (second pass only): offset and the pathKey of its node. */
interface ScalarAt {
  start: number;
  path: string;
}

/** A pathKey back into a path. */
function pathOfKey(key: string): Array<string | number> {
  return key === '' ? [] : key.slice(1).split('\u0000').map((step) => (step[0] === '\u0001' ? Number(step.slice(1)) : step));
}

/** A plain scalar's value as Kubernetes (YAML 1.1, goYaml.ts) reads it; where YAML 1.2 reads another value, noted for its warning. */
function plainValue(s: string, state: ReadState, at: ScalarAt | undefined): unknown {
  if (startsWithLetter(s) && !SCALAR_WORDS.has(s.toLowerCase())) return s; // a string for YAML 1.1 and 1.2 alike
  const yaml12 = resolvePlain(s);
  const kubernetes = resolvePlainScalar(s);
  if (kubernetes === yaml12 || (Number.isNaN(kubernetes) && Number.isNaN(yaml12))) return yaml12;
  state.yaml11Count++;
  if (at) state.yaml11.push({ range: [at.start, at.start + s.length], source: s, kubernetes, yaml12, key: false, path: pathOfKey(at.path) });
  return kubernetes;
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
  if (k === '<<' || k === '__proto__' || /[\u0000\u0001]/.test(k)) giveUp(); // \u0000 and \u0001 separate pathKey's steps
  return k;
}

/** One-line flow collections: `[a, "b", {c: 1}]`. */
class FlowReader {
  i: number;
  /** Where the last value read ends (a plain scalar ends before the spaces that follow it). */
  private end = 0;
  constructor(
    private readonly s: string,
    at: number,
    private readonly state: ReadState,
    /** Where s starts in the text and the path of the collection (the second pass, which fills places). */
    private readonly where?: { base: number; path: string },
  ) {
    this.i = at;
  }

  /** Records the place of the value read from `start` (and of its key). */
  private place(path: string, start: number, key?: [number, number]): void {
    if (!this.where) return;
    const b = this.where.base;
    this.state.places!.set(path, { key: key && [b + key[0], b + key[1]], value: [b + start, b + this.end] });
  }

  value(path = this.where?.path ?? ''): unknown {
    return this.token(path);
  }

  private skip(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private token(path: string): unknown {
    this.skip();
    const ch = this.s[this.i];
    if (ch === '[' || ch === '{') {
      const v = ch === '[' ? this.seq(path) : this.map(path);
      this.end = this.i;
      return v;
    }
    if (ch === '"' || ch === "'") {
      const [v, end] = ch === '"' ? doubleQuoted(this.s, this.i) : singleQuoted(this.s, this.i);
      this.i = this.end = end;
      return v;
    }
    const start = this.i;
    const text = this.plain();
    this.end = start + text.length;
    return plainValue(text, this.state, this.where && path !== '' ? { start: this.where.base + start, path } : undefined);
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

  private seq(path: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      const start = this.i;
      const itemPath = this.where ? `${path}\u0000\u0001${out.length}` : '';
      out.push(this.value(itemPath));
      this.place(itemPath, start);
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') giveUp();
    }
  }

  private map(path: string): Record<string, unknown> {
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
      const keyStart = this.i;
      const noted = this.state.yaml11Count;
      const key = jsKey(this.value(''));
      if (this.state.yaml11Count !== noted) giveUp(); // a key Kubernetes names otherwise: the full reader places its warning
      const keyPlace: [number, number] = [keyStart, this.end];
      this.skip();
      if (this.s[this.i] !== ':') giveUp();
      this.i++;
      if (Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      this.skip();
      const valuePath = this.where ? `${path}\u0000${key}` : '';
      const start = this.i;
      out[key] = this.s[this.i] === ',' || this.s[this.i] === '}' ? null : this.value(valuePath);
      if (this.i > start) this.place(valuePath, start, keyPlace);
      else if (this.where) this.state.places!.set(valuePath, { key: [this.where.base + keyPlace[0], this.where.base + keyPlace[1]] });
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') giveUp();
    }
  }
}

class BlockReader {
  private i = 0;

  constructor(
    private readonly lines: readonly Line[],
    /** With places: the second pass, which records where every node was written. */
    private readonly state: ReadState,
  ) {
    this.places = state.places;
  }

  private readonly places: Places | undefined;

  /** The pathKey of a child; '' when places are not recorded (no string is built then). */
  private child(path: string, step: string | number): string {
    if (!this.places) return '';
    return typeof step === 'number' ? `${path}\u0000\u0001${step}` : `${path}\u0000${step}`;
  }

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
    const value = this.block(this.lines[j].indent, '');
    if (this.nextContent() < this.lines.length) giveUp();
    return value;
  }

  private isSeqItem(c: string): boolean {
    return c === '-' || c.startsWith('- ');
  }

  /** The collection whose first line is the current one, at `indent`. */
  private block(indent: number, path: string): unknown {
    const line = this.lines[this.i];
    if (line.indent !== indent) giveUp();
    return this.isSeqItem(line.content) ? this.seq(indent, path) : this.map(indent, path);
  }

  private map(indent: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const j = this.nextContent();
      if (j >= this.lines.length) return out;
      const line = this.lines[j];
      if (line.indent < indent) return out;
      if (line.indent > indent || this.isSeqItem(line.content)) giveUp();
      this.i = j;
      const [key, rest, keyEnd] = this.keyOf(line.content);
      if (Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      this.i = j + 1;
      const at = line.start + line.indent;
      const place: NodePlace | undefined = this.places && { key: [at, at + keyEnd] };
      const valuePath = this.child(path, key);
      if (place) this.places!.set(valuePath, place);
      out[key] = this.valueAfter(rest, indent, true, valuePath, place && at + line.content.length - rest.length, place);
    }
  }

  private seq(indent: number, path: string): unknown[] {
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
      const itemPath = this.child(path, out.length);
      const place: NodePlace | undefined = this.places && {};
      if (place) this.places!.set(itemPath, place);
      if (item === '' || item[0] === '#') {
        this.i = j + 1;
        out.push(this.nested(indent, false, itemPath));
        continue;
      }
      if (this.isSeqItem(item)) giveUp();
      if (this.hasKey(item)) {
        // `- key: value` starts a mapping at the item's column: read it as if on its own line.
        const col = indent + 2 + pad;
        const saved = this.lines[j];
        (this.lines as Line[])[j] = { indent: col, content: item, raw: saved.raw, start: saved.start };
        this.i = j;
        try {
          out.push(this.map(col, itemPath));
        } finally {
          (this.lines as Line[])[j] = saved;
        }
        continue;
      }
      this.i = j + 1;
      out.push(this.valueAfter(item, indent, false, itemPath, place && line.start + indent + 2 + pad, place));
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
  private keyOf(c: string): [string, string, number] {
    if (c[0] === '"' || c[0] === "'") {
      const [k, end] = c[0] === '"' ? doubleQuoted(c, 0) : singleQuoted(c, 0);
      const m = /^ *:(?: +|$)/.exec(c.slice(end));
      if (!m) giveUp();
      return [jsKey(k), c.slice(end + m![0].length), end];
    }
    const colon = c.search(/:(?: |$)/);
    if (colon <= 0) giveUp();
    const raw = c.slice(0, colon).trimEnd();
    if (WORD_KEY.test(raw) && !SCALAR_WORDS.has(raw.toLowerCase())) return [raw, c.slice(colon + 1).trimStart(), raw.length];
    if (raw === '' || !startsPlain(raw) || raw.includes(' #')) giveUp();
    const key = jsKey(resolvePlain(raw));
    if (plainKey(raw) !== key) giveUp(); // Kubernetes names this key otherwise (YAML 1.1)
    return [key, c.slice(colon + 1).trimStart(), raw.length];
  }

  /** The value after `key:` or `- ` (`rest`, possibly empty: then on the next lines). */
  private valueAfter(rest: string, indent: number, inMap: boolean, path: string, restAt?: number, place?: NodePlace): unknown {
    if (rest === '' || rest[0] === '#') return this.nested(indent, inMap, path);
    const ch = rest[0];
    let value: unknown;
    let length: number;
    if (ch === '"' || ch === "'") {
      const [v, end] = ch === '"' ? doubleQuoted(rest, 0) : singleQuoted(rest, 0);
      if (!onlyComment(rest, end)) giveUp();
      value = v;
      length = end;
    } else if (ch === '[' || ch === '{') {
      const r = new FlowReader(rest, 0, this.state, place && { base: restAt!, path });
      value = r.value();
      if (!onlyComment(rest, r.i)) giveUp();
      length = r.i;
    } else if (ch === '|') {
      return this.literal(rest, indent);
    } else {
      const text = blockPlain(rest);
      value = plainValue(text, this.state, place && { start: restAt!, path });
      length = text.length;
    }
    if (place) place.value = [restAt!, restAt! + length];
    // A more indented line after a one-line value would continue it (a multi-line scalar): give up.
    const j = this.nextContent();
    if (j < this.lines.length && this.lines[j].indent > indent) giveUp();
    return value;
  }

  /** A block under a key or `-`: more indented lines, or (under a key) a sequence at the key's indentation. */
  private nested(indent: number, inMap: boolean, path: string): unknown {
    const j = this.nextContent();
    if (j >= this.lines.length) return null;
    const line = this.lines[j];
    if (line.indent > indent) {
      this.i = j;
      return this.block(line.indent, path);
    }
    if (inMap && line.indent === indent && this.isSeqItem(line.content)) {
      this.i = j;
      return this.seq(indent, path);
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

/** What the fast reader gives: the data, the YAML 1.1 disagreements, and node places when recorded. */
export interface FastRead {
  data: unknown;
  yaml11: Yaml11Disagreement[];
  places?: Places;
}

/**
 * The plain data of one YAML document, or undefined when it is outside the subset read here.
 * With `places`, also where each node was written (a second pass, made only when positions are needed).
 */
export function fastParseYaml(text: string, places?: Places): FastRead | undefined {
  if (text.includes('\t') || text.includes('\r') && /\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  const raws = text.split('\n');
  const lines: Line[] = [];
  let first = true;
  let start = 0;
  for (const r of raws) {
    const lineStart = start;
    start += r.length + 1;
    const raw = r.endsWith('\r') ? r.slice(0, -1) : r;
    const content = raw.trimStart();
    if (first && content !== '' && content[0] !== '#') {
      first = false;
      // A leading document marker, alone or with a comment.
      if (content.startsWith('---')) {
        if (!/^---(?: +#.*)? *$/.test(content) || raw !== content) return undefined;
        lines.push({ indent: 0, content: '', raw: '', start: lineStart });
        continue;
      }
    }
    if (/^(?:---|\.\.\.)(?: |$)/.test(raw) || raw.startsWith('%')) return undefined;
    lines.push({ indent: raw.length - content.length, content: content.trimEnd() === '' ? '' : content.replace(/ +$/, ''), raw, start: lineStart });
  }
  try {
    const state: ReadState = { places, yaml11: [], yaml11Count: 0 };
    const data = new BlockReader(lines, state).document();
    if (state.yaml11Count > 0 && !places) {
      // The warnings of YAML 1.1 scalars need their places: read again, recording them.
      const second = fastParseYaml(text, new Map());
      return second && { data, yaml11: second.yaml11, places: second.places };
    }
    return { data, yaml11: state.yaml11, places };
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

/**
 * offsetsOf (locate.ts) answered from the places the fast reader records, for the parts it knows
 * exactly: keys, and values written as one token. Undefined for the rest (block collections, block
 * scalars, empty values, the root): the caller then asks `yaml`'s syntax tree.
 */
export function fastOffsets(places: Places, path: ReadonlyArray<string | number>, target: 'key' | 'value' | 'pair'): [number, number] | undefined {
  let depth = path.length;
  let place = places.get(pathKey(path));
  while (!place && depth > 0) place = places.get(pathKey(path.slice(0, --depth)));
  if (!place) return undefined;
  // A missing path points at the key of its deepest existing ancestor (or that ancestor's value).
  const t = depth < path.length ? 'key' : target;
  if (t === 'key') return place.key ?? place.value;
  if (t === 'pair') return place.key && place.value ? [place.key[0], place.value[1]] : place.key ? undefined : place.value;
  return place.value;
}
