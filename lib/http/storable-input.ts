import { AppError } from "@/lib/errors";

// One boundary for what PostgreSQL cannot store and what no caller needs: a NUL character
// (text and jsonb refuse U+0000), a lone UTF-16 surrogate (not valid UTF-8), and absurdly deep
// nesting (jsonb and recursive validation give up somewhere past a few thousand levels). Each is
// refused with a 400 that says where, before anything is validated, run or stored.

/** Deeper than any payload this product defines; deep enough for generous webhook bodies. */
export const MAX_INPUT_DEPTH = 64;

export type Unstorable = { path: string; problem: string };

function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (!text.isWellFormed()) return "contains a lone UTF-16 surrogate (for example \\ud800), which is not valid Unicode";
  return null;
}

const join = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * Walks a parsed JSON value (iteratively, so depth itself cannot blow the stack) and returns the
 * first thing that cannot be stored, or null. Object keys are checked like values.
 */
export function findUnstorable(value: unknown, maxDepth = MAX_INPUT_DEPTH): Unstorable | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      const problem = textProblem(item.value);
      if (problem) return { path: item.path, problem };
      continue;
    }
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= maxDepth) {
      return { path: item.path, problem: `is nested more than ${maxDepth} levels deep` };
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((child, index) => stack.push({ value: child, path: join(item.path, index), depth: item.depth + 1 }));
      continue;
    }
    for (const [key, child] of Object.entries(item.value)) {
      const problem = textProblem(key);
      if (problem) return { path: item.path, problem: `has a key that ${problem}` };
      stack.push({ value: child, path: join(item.path, key), depth: item.depth + 1 });
    }
  }
  return null;
}

/** Throws a 400 naming the place (`what` is "Request body", "Query", "Path", …). */
export function assertStorable(value: unknown, what: string): void {
  const found = findUnstorable(value);
  if (!found) return;
  const where = found.path ? `${what} field "${found.path}"` : what;
  throw new AppError("bad_request", `${where} ${found.problem}`, { path: found.path || undefined });
}

/**
 * Checks a raw URL path or query component: percent-decoding must succeed (a lone surrogate
 * arrives as invalid UTF-8) and the result must be storable. Returns the problem, or null.
 */
export function urlComponentProblem(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return "is not valid percent-encoded UTF-8";
  }
  return textProblem(decoded);
}
