/**
 * The program a new visitor's editor starts with. Apart from the other examples (examples.ts) so the
 * editor page can show it at once and load the rest after the editor works.
 */
export interface Example {
  id: string;
  title: string;
  code: string;
}

export const defaultExample: Example = {
  id: "blue",
  title: "All blue (the classic)",
  code: `import time

led_count = getLEDCount()
states = [[0, 0, 255, 100] for _ in range(led_count)]  # Set all LEDs to blue
# or states = [BLUE] * led_count
setLEDs(states)

time.sleep(10)  # keep it lit for 10 seconds
`,
};
