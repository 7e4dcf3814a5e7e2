/** Bounds of a slice after Python's adjustment, and how many elements it selects. */
export interface SliceIndices {
  start: number;
  stop: number;
  step: number;
  count: number;
}

function checkBound(name: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (
    typeof value !== "number" ||
    !(Number.isInteger(value) || value === Infinity || value === -Infinity)
  ) {
    throw new TypeError(`${name} must be an integer, null or undefined, got ${String(value)}`);
  }
}

/**
 * Python's `slice(start, stop, step).indices(length)` plus the element count: CPython's
 * `PySlice_Unpack` then `PySlice_AdjustIndices`. Omitted bounds (null/undefined) take the
 * defaults for the step's sign; negative bounds count from the end; out-of-range bounds clamp.
 *
 * @throws {RangeError} if `step` is 0 (Python: "slice step cannot be zero") or `length` is not a
 *   non-negative integer.
 * @throws {TypeError} if a bound is not an integer (±Infinity is accepted and clamps).
 * @example
 * sliceIndices(6, null, null, -1); // { start: 5, stop: -1, step: -1, count: 6 }
 */
export function sliceIndices(
  length: number,
  start?: number | null,
  stop?: number | null,
  step?: number | null,
): SliceIndices {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`length must be a non-negative integer, got ${String(length)}`);
  }
  checkBound("start", start);
  checkBound("stop", stop);
  if (
    step !== null &&
    step !== undefined &&
    (typeof step !== "number" || !Number.isInteger(step))
  ) {
    throw new TypeError(`step must be an integer, null or undefined, got ${String(step)}`);
  }
  const by = step ?? 1;
  if (by === 0) throw new RangeError("slice step cannot be zero");
  const backwards = by < 0;
  let from = start ?? (backwards ? Infinity : 0);
  let to = stop ?? (backwards ? -Infinity : Infinity);
  if (from < 0) {
    from += length;
    if (from < 0) from = backwards ? -1 : 0;
  } else if (from >= length) {
    from = backwards ? length - 1 : length;
  }
  if (to < 0) {
    to += length;
    if (to < 0) to = backwards ? -1 : 0;
  } else if (to >= length) {
    to = backwards ? length - 1 : length;
  }
  let count = 0;
  if (!backwards && from < to) count = Math.floor((to - from - 1) / by) + 1;
  else if (backwards && to < from) count = Math.floor((from - to - 1) / -by) + 1;
  return { start: from, stop: to, step: by, count };
}

// A string without surrogates has one code unit per code point, so UTF-16 offsets are Python
// indices and String#slice is exact.
const SURROGATE = /[\uD800-\uDFFF]/;

function pick<T>(items: ArrayLike<T>, { start, step, count }: SliceIndices): T[] {
  const out = new Array<T>(count);
  for (let i = 0, at = start; i < count; i++, at += step) out[i] = items[at] as T;
  return out;
}

/** `value[start:stop]` for a string whose code units are its code points: no allocation but the result. */
function sliceUnits(
  value: string,
  start: number | null | undefined,
  stop: number | null | undefined,
): string {
  checkBound("start", start);
  checkBound("stop", stop);
  const length = value.length;
  let from = start ?? 0;
  let to = stop ?? length;
  if (from < 0) from = Math.max(from + length, 0);
  if (to < 0) to = Math.max(to + length, 0);
  // String#slice clamps bounds past the end and gives "" for from >= to, as Python does.
  return from < to ? value.slice(from, to) : "";
}

/** Code units taken by the code point at `index`: 2 for a surrogate pair, else 1. */
function unitsAt(value: string, index: number): number {
  const c = value.charCodeAt(index);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const next = value.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/** `value[start:stop]` by code point without building an array: count, then walk to the bounds. */
function sliceCodePoints(
  value: string,
  start: number | null | undefined,
  stop: number | null | undefined,
): string {
  const from = start ?? 0;
  if (from >= 0 && (stop === null || stop === undefined || stop >= 0)) {
    // Non-negative bounds need no length: walk to them, clamping at the end of the string.
    checkBound("start", start);
    checkBound("stop", stop);
    const to = stop ?? Infinity;
    if (from >= to) return "";
    let unit = 0;
    let point = 0;
    for (; point < from && unit < value.length; point++) unit += unitsAt(value, unit);
    const first = unit;
    if (to === Infinity) return value.slice(first);
    for (; point < to && unit < value.length; point++) unit += unitsAt(value, unit);
    return value.slice(first, unit);
  }
  let length = 0;
  for (let i = 0; i < value.length; i += unitsAt(value, i)) length++;
  const indices = sliceIndices(length, start, stop, 1);
  if (indices.count === 0) return "";
  let unit = 0;
  for (let point = 0; point < indices.start; point++) unit += unitsAt(value, unit);
  const first = unit;
  for (let point = indices.start; point < indices.stop; point++) unit += unitsAt(value, unit);
  return value.slice(first, unit);
}

/**
 * Python's `value[start:stop:step]` for strings and arrays, with exactly Python's semantics:
 * negative indices, omitted bounds (null/undefined), clamping out-of-range bounds, negative
 * and large steps. Strings are sliced by code point, as Python does, so a surrogate pair is
 * never split; strings without astral characters take a `String#slice` fast path.
 *
 * @throws {RangeError} if `step` is 0.
 * @throws {TypeError} if `value` is neither a string nor an array, or a bound is not an integer.
 * @example
 * slice("Robert", 0, 3);          // "Rob"
 * slice("Robert", -2, -1);        // "r"
 * slice("/index.html", 1);        // "index.html" (Python's path[1:])
 * slice([10, 20, 30], null, null, -1); // [30, 20, 10]
 */
export function slice(
  value: string,
  start?: number | null,
  stop?: number | null,
  step?: number | null,
): string;
export function slice<T>(
  value: readonly T[],
  start?: number | null,
  stop?: number | null,
  step?: number | null,
): T[];
export function slice<T>(
  value: string | readonly T[],
  start?: number | null,
  stop?: number | null,
  step?: number | null,
): string | T[] {
  if (typeof value === "string") {
    if (!SURROGATE.test(value)) {
      if (step === undefined || step === null || step === 1) return sliceUnits(value, start, stop);
      const indices = sliceIndices(value.length, start, stop, step);
      if (indices.count === 0) return "";
      if (indices.step === 1) return value.slice(indices.start, indices.stop);
      let out = "";
      for (let i = 0, at = indices.start; i < indices.count; i++, at += indices.step)
        out += value[at];
      return out;
    }
    if (step === undefined || step === null || step === 1)
      return sliceCodePoints(value, start, stop);
    const points = Array.from(value);
    return pick(points, sliceIndices(points.length, start, stop, step)).join("");
  }
  if (!Array.isArray(value)) throw new TypeError("value must be a string or an array");
  const indices = sliceIndices(value.length, start, stop, step);
  if (indices.step === 1)
    return indices.count === 0 ? [] : value.slice(indices.start, indices.stop);
  return pick(value, indices);
}
