// node engines.js RANGE VERSION: whether the node VERSION (e.g. 18.19.0 or
// v18.19.0) satisfies RANGE, package.json's engines.node. Exit status 0: it
// does; 1: it does not; 2: RANGE is not a form this understands.
//
// The common semver range forms: "*", "x", "" (any); partial versions
// ("18", "18.x", "18.19"); comparators (>=, >, <=, <, =) with full or partial
// versions; "^20.1", "~18.19"; hyphen ranges ("18 - 20"); several comparators
// separated by spaces (all must hold: ">=18 <21"); alternatives with "||".
"use strict";

// A version with x/X/* or missing parts as null: [major, minor, patch].
function parseVersion(text) {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? null : Number(p)));
  // "18.x.3" is not a version: nothing after a wildcard.
  for (let i = 1; i < 3; i++) if (parts[i - 1] === null && parts[i] !== null) return undefined;
  return parts;
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

// The lowest version of a partial one and the version just above it:
// "18" -> [18.0.0, 19.0.0), "18.19" -> [18.19.0, 18.20.0), "18.19.1" -> [18.19.1, 18.19.2).
function bounds(v) {
  if (v[0] === null) return [[0, 0, 0], null];
  if (v[1] === null) return [[v[0], 0, 0], [v[0] + 1, 0, 0]];
  if (v[2] === null) return [[v[0], v[1], 0], [v[0], v[1] + 1, 0]];
  return [v, [v[0], v[1], v[2] + 1]];
}

// One comparator as a list of tests on a version.
function comparator(text) {
  const m = /^(>=|<=|>|<|=|\^|~>?|)\s*(.*)$/.exec(text);
  const op = m[1];
  const v = parseVersion(m[2] === "" ? "*" : m[2]);
  if (!v) return undefined;
  const [low, high] = bounds(v);
  const ge = (b) => (x) => compare(x, b) >= 0;
  const lt = (b) => (x) => b === null || compare(x, b) < 0;
  switch (op) {
    case "":
    case "=":
      return [ge(low), lt(high)];
    case ">=":
      return [ge(low)];
    case ">":
      return high === null ? [() => false] : [ge(high)];
    case "<":
      return [(x) => compare(x, low) < 0];
    case "<=":
      return [lt(high)];
    case "^": {
      if (v[0] === null) return [];
      let upper;
      if (v[0] > 0 || v[1] === null) upper = [v[0] + 1, 0, 0];
      else if (v[1] > 0 || v[2] === null) upper = [0, v[1] + 1, 0];
      else upper = [0, 0, v[2] + 1];
      return [ge(low), lt(upper)];
    }
    default: {
      // ~ and ~>: patch updates when a minor is given, else minor updates.
      if (v[0] === null) return [];
      const upper = v[1] === null ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0];
      return [ge(low), lt(upper)];
    }
  }
}

function parseRange(range) {
  const alternatives = range.split("||").map((alternative) => {
    let text = alternative.trim().replace(/(>=|<=|>|<|=|\^|~>?)\s+/g, "$1");
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const from = parseVersion(hyphen[1]);
      const to = parseVersion(hyphen[2]);
      if (!from || !to) return undefined;
      return [(x) => compare(x, bounds(from)[0]) >= 0, (x) => bounds(to)[1] === null || compare(x, bounds(to)[1]) < 0];
    }
    const tests = [];
    for (const part of text === "" ? ["*"] : text.split(/\s+/)) {
      const c = comparator(part);
      if (!c) return undefined;
      tests.push(...c);
    }
    return tests;
  });
  return alternatives.includes(undefined) ? undefined : alternatives;
}

const [range, version] = process.argv.slice(2);
const alternatives = parseRange(String(range));
const v = parseVersion(String(version));
if (!alternatives || !v || v.includes(null)) process.exit(2);
process.exit(alternatives.some((tests) => tests.every((test) => test(v))) ? 0 : 1);
