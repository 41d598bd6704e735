/**
 * A JSON parser that remembers the 1-based line each object and array starts on, so a reader can name the line
 * of a bad record (JSON.parse only gives a character offset, and only for syntax errors). It also takes the bare
 * tokens `nan`, `-nan`, `inf` and `-inf`: nccl-tests writes doubles with printf("%lf"), which quotes NaN ("nan")
 * but prints an infinite bandwidth (a zero time) bare, and that file is still the tool's output.
 */
import { ImportSyntaxError } from './imported-block.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface LocatedJson {
  value: JsonValue;
  /** the line where an object or array of the value starts; firstLine where it was not parsed here */
  lineOf: (node: JsonValue) => number;
}

const BARE = /^(?:-?nan|-?inf)/;

class Parser {
  private pos = 0;
  private line: number;
  readonly lines = new WeakMap<object, number>();

  constructor(
    private readonly text: string,
    firstLine: number,
  ) {
    this.line = firstLine;
  }

  fail(problem: string): never {
    throw new ImportSyntaxError(this.line, problem);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === '\n') this.line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      this.pos++;
    }
  }

  private found(): string {
    if (this.pos >= this.text.length) return 'the text ends';
    return `found '${this.text.slice(this.pos, this.pos + 12).split('\n')[0]}'`;
  }

  parseDocument(): JsonValue {
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`not JSON: ${this.found()} after the value, expected nothing more`);
    return value;
  }

  private parseValue(): JsonValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseArray();
    if (c === '"') return this.parseString();
    if (c === 't' && this.text.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (c === 'f' && this.text.startsWith('false', this.pos)) return (this.pos += 5), false;
    if (c === 'n' && this.text.startsWith('null', this.pos)) return (this.pos += 4), null;
    return this.parseNumber();
  }

  private parseNumber(): number {
    const rest = this.text.slice(this.pos, this.pos + 40);
    const bare = BARE.exec(rest);
    if (bare) {
      this.pos += bare[0].length;
      return bare[0].includes('nan') ? NaN : bare[0].startsWith('-') ? -Infinity : Infinity;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (!m) this.fail(`not JSON: ${this.found()}, expected a value`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('not JSON: a string is not closed, expected a closing quote');
      if (c === '\\') this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      return this.fail('not JSON: a bad escape in a string');
    }
  }

  private parseArray(): JsonValue[] {
    const list: JsonValue[] = [];
    this.lines.set(list, this.line);
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') return this.pos++, list;
    for (;;) {
      list.push(this.parseValue());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return list;
      if (c !== ',') this.pos--, this.fail(`not JSON: ${this.found()} in a list, expected ',' or ']'`);
    }
  }

  private parseObject(): { [key: string]: JsonValue } {
    const object: { [key: string]: JsonValue } = {};
    this.lines.set(object, this.line);
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') return this.pos++, object;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail(`not JSON: ${this.found()} in an object, expected a quoted key`);
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.pos--, this.fail(`not JSON: ${this.found()} after key "${key}", expected ':'`);
      object[key] = this.parseValue();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return object;
      if (c !== ',') this.pos--, this.fail(`not JSON: ${this.found()} in an object, expected ',' or '}'`);
    }
  }
}

/** Parses one JSON document whose first character is on line firstLine; throws ImportSyntaxError where it is not JSON. */
export function parseLocatedJson(text: string, firstLine = 1): LocatedJson {
  const parser = new Parser(text, firstLine);
  const value = parser.parseDocument();
  return { value, lineOf: (node) => (node !== null && typeof node === 'object' ? (parser.lines.get(node) ?? firstLine) : firstLine) };
}

export type JsonObject = { [key: string]: JsonValue };

export const isObject = (v: JsonValue | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
