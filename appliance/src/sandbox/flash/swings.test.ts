import { describe, expect, test } from "vitest";
import { movesAnchor, TransitionTimes, turnOf } from "./swings.ts";

/** Transitions of a series through turnOf/movesAnchor, starting dark. */
function turns(values: number[], delta: number): number[] {
  let anchor = 0;
  let direction = 0;
  const found: number[] = [];
  for (const value of values) {
    const turn = turnOf(value, anchor, direction, delta);
    if (movesAnchor(value, anchor, direction, turn)) anchor = value;
    if (turn !== 0) {
      direction = turn;
      found.push(turn);
    }
  }
  return found;
}

describe("turnOf", () => {
  test("a fade up and down by more than the delta is two transitions, however many small steps it takes", () => {
    const up = Array.from({ length: 50 }, (_, i) => i / 49);
    expect(turns([...up, ...up.toReversed()], 0.1)).toEqual([1, -1]);
  });

  test("wobbles smaller than the delta never count; turning back by the delta from the last extreme does", () => {
    expect(turns([0.5, 0.45, 0.52, 0.47, 0.55], 0.1)).toEqual([1]);
    expect(turns([0.5, 0.9, 0.85, 0.81, 0.79], 0.1)).toEqual([1, -1]);
  });
});

describe("TransitionTimes", () => {
  test("keeps the last few times per signal, newest first, -Infinity when fewer", () => {
    const times = new TransitionTimes(2, 3);
    for (const time of [10, 20, 30, 40]) times.push(0, time);
    times.push(1, 5);
    expect([1, 2, 3].map((back) => times.recent(0, back))).toEqual([40, 30, 20]);
    expect([1, 2].map((back) => times.recent(1, back))).toEqual([5, Number.NEGATIVE_INFINITY]);
  });
});
