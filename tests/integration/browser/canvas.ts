/** Reads the live tree's canvas in the page: how many pixels are clearly red, green or blue. */
import type { Page } from "playwright-core";

export interface ColourCounts {
  red: number;
  green: number;
  blue: number;
}

export function countCanvasColours(page: Page, selector = ".tree-canvas"): Promise<ColourCounts> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    const context = canvas?.getContext("2d");
    if (canvas === null || canvas === undefined || context === null || context === undefined) throw new Error(`no canvas ${selector}`);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const counts = { red: 0, green: 0, blue: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      // A channel "wins" when it is bright and the other two are at most half of it.
      if (r > 120 && g * 2 <= r && b * 2 <= r) counts.red++;
      else if (g > 120 && r * 2 <= g && b * 2 <= g) counts.green++;
      else if (b > 120 && r * 2 <= b && g * 2 <= b) counts.blue++;
    }
    return counts;
  }, selector);
}

/** Polls until the canvas shows at least `minimum` pixels of the colour (the tree turns slowly). */
export async function waitForCanvasColour(page: Page, colour: keyof ColourCounts, minimum: number, timeoutMs: number): Promise<ColourCounts> {
  const deadline = Date.now() + timeoutMs;
  let last: ColourCounts = { red: 0, green: 0, blue: 0 };
  while (Date.now() < deadline) {
    last = await countCanvasColours(page);
    if (last[colour] >= minimum) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`canvas never showed ${minimum} ${colour} pixels within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}
