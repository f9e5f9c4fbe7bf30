import assert from "node:assert/strict";
import { test } from "node:test";
import { selectCode, type CodeTest, type Executed, type TestResult } from "../../../src/core/index.js";

const USER: CodeTest[] = [
  { id: "t1", source: "assert f(1) == 1", origin: "doctest" },
  { id: "t2", source: "assert f(2) == 4", origin: "doctest" },
];

function ran(nodeId: string, results: [string, boolean, string?][], verifierScore?: number): Executed {
  const r: TestResult[] = results.map(([testId, passed, value]) => ({
    testId,
    passed,
    ...(value !== undefined ? { value } : {}),
    ...(passed ? {} : { message: `AssertionError: got ${value}` }),
  }));
  return {
    nodeId,
    code: `# ${nodeId}`,
    run: { results: r },
    ...(verifierScore !== undefined ? { verifierScore } : {}),
  };
}

test("the candidates passing the most tests win over a larger group that fails one", () => {
  const executed = [
    ran("a", [
      ["t1", true, "1"],
      ["t2", false, "3"],
    ]),
    ran("b", [
      ["t1", true, "1"],
      ["t2", false, "3"],
    ]),
    ran("c", [
      ["t1", true, "1"],
      ["t2", true, "4"],
    ]),
  ];
  const s = selectCode(executed, USER);
  assert.equal(s.chosen?.nodeId, "c");
  const a = s.candidates.find((c) => c.nodeId === "a")!;
  assert.deepEqual(
    [a.passed, a.failed, a.firstFailure],
    [1, 1, { testId: "t2", message: "AssertionError: got 3" }],
  );
});

test("among equal scores, the largest group with the same outputs on generated inputs wins", () => {
  const tests: CodeTest[] = [...USER, { id: "g1", source: "assert f(3) == 9", origin: "generated" }];
  // All pass the user's tests; a and d agree on g1's output (9), b and c each differ and fail it.
  const executed = [
    ran("b", [
      ["t1", true, "1"],
      ["t2", true, "4"],
      ["g1", false, "6"],
    ]),
    ran("a", [
      ["t1", true, "1"],
      ["t2", true, "4"],
      ["g1", true, "9"],
    ]),
    ran("c", [
      ["t1", true, "1"],
      ["t2", true, "4"],
      ["g1", false, "7"],
    ]),
    ran("d", [
      ["t1", true, "1"],
      ["t2", true, "4"],
      ["g1", true, "9"],
    ]),
  ];
  const s = selectCode(executed, tests);
  assert.equal(s.chosen?.nodeId, "a");
  // CodeT weight: g1 is passed by half the candidates, so it counts 0.5.
  assert.equal(s.candidates.find((c) => c.nodeId === "a")!.score, 2.5);
  assert.match(s.reason, /2 of 4 candidates pass all 3 tests \(2 given, 1 generated\)/);
});

test("a tie between groups goes to the verifier's scores when there are any, else to the first", () => {
  const tests: CodeTest[] = [{ id: "g1", source: "assert f(3) == 9", origin: "generated" }];
  const tie = [ran("a", [["g1", false, "6"]], 0.2), ran("b", [["g1", false, "7"]], 0.9)];
  assert.equal(selectCode(tie, tests).chosen?.nodeId, "b");
  const unscored = [ran("a", [["g1", false, "6"]]), ran("b", [["g1", false, "7"]])];
  assert.equal(selectCode(unscored, tests).chosen?.nodeId, "a");
});

test("a candidate that does not parse is never chosen, and none parsing chooses none", () => {
  const bad: Executed = { nodeId: "x", code: "def", run: { parseError: "SyntaxError", results: [] } };
  const s = selectCode(
    [
      bad,
      ran("a", [
        ["t1", false, "0"],
        ["t2", false, "0"],
      ]),
    ],
    USER,
  );
  assert.equal(s.chosen?.nodeId, "a");
  assert.equal(s.candidates[0]!.failed, 2);
  assert.match(s.candidates[0]!.firstFailure?.message ?? "", /does not parse/);
  assert.equal(selectCode([bad], USER).chosen, null);
});

test("with no tests at all, the most common code wins (by text)", () => {
  const e = (nodeId: string, code: string): Executed => ({ nodeId, code, run: { results: [] } });
  const s = selectCode([e("a", "x = 1"), e("b", "x = 2\n"), e("c", "x = 2")], []);
  assert.equal(s.chosen?.nodeId, "b");
});
