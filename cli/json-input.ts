import { AppError } from "@/lib/errors";

// JSON typed at a terminal: parsed by JSON.parse, but when that fails the message says where
// (line, column, offset) and what was expected. Node's own messages omit the position for some
// mistakes ("Unexpected token '}'"), and the wording changes between Node versions.

type Located = { offset: number; problem: string };

class SyntaxProblem extends Error {
  constructor(readonly located: Located) {
    super(located.problem);
  }
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Walks the text as the JSON grammar does and stops at the first character it cannot accept. */
class Scanner {
  private i = 0;

  constructor(private readonly text: string) {}

  locate(): Located | null {
    try {
      this.value();
      this.skipWhitespace();
      if (this.i < this.text.length) this.fail("there is more text after the JSON value");
      return null;
    } catch (error) {
      if (error instanceof SyntaxProblem) return error.located;
      throw error;
    }
  }

  private fail(expected: string): never {
    const found = this.text[this.i];
    const what = found === undefined ? "the input ended" : `found ${JSON.stringify(found)}`;
    throw new SyntaxProblem({ offset: this.i, problem: `${expected}, but ${what}` });
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.i] ?? "")) this.i++;
  }

  private value(): void {
    this.skipWhitespace();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.i)) {
        this.i += literal.length;
        return;
      }
    }
    this.fail("expected a value (object, array, string, number, true, false or null)");
  }

  private object(): void {
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') this.fail("expected a property name in double quotes");
      this.string();
      this.skipWhitespace();
      if (this.text[this.i] !== ":") this.fail('expected ":" after the property name');
      this.i++;
      this.value();
      this.skipWhitespace();
      if (this.text[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.text[this.i] === "}") {
        this.i++;
        return;
      }
      this.fail('expected "," or "}"');
    }
  }

  private array(): void {
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.skipWhitespace();
      if (this.text[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.text[this.i] === "]") {
        this.i++;
        return;
      }
      this.fail('expected "," or "]"');
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('expected the closing " of a string');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\") {
        const next = this.text[this.i + 1] ?? "";
        if (SIMPLE_ESCAPES.has(next)) this.i += 2;
        else if (next === "u" && HEX4.test(this.text.slice(this.i + 2, this.i + 6))) this.i += 6;
        else this.fail("expected a valid escape sequence");
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.fail("expected no line breaks or control characters inside a string (write \\n)");
      this.i++;
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    if (!NUMBER.test(this.text)) this.fail("expected a number");
    this.i = NUMBER.lastIndex;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** Parses JSON given on the command line; `source` names where it came from, e.g. "--input". */
export function parseJsonInput(text: string, source: string): unknown {
  if (text.trim() === "") throw new AppError("bad_request", `${source} is empty; give a JSON object, e.g. '{}'`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const located = new Scanner(text).locate();
    if (!located) throw new AppError("bad_request", `${source} is not valid JSON: ${(error as Error).message}`);
    const { line, column } = lineAndColumn(text, located.offset);
    throw new AppError(
      "bad_request",
      `${source} is not valid JSON at line ${line}, column ${column} (position ${located.offset}): ${located.problem}`,
    );
  }
}
