/**
 * Projects the tree's 3D LED positions (x, y in −1…1, z from 0 up: the layout the API serves) onto a
 * canvas, turned by an angle about the trunk, with a little perspective so the near side reads as
 * near. Pure, so it is tested without a browser.
 */
export interface ProjectedLed {
  index: number;
  x: number;
  y: number;
  /** Larger is farther from the viewer; draw far ones first. */
  depth: number;
  /** Perspective factor: near LEDs are drawn a little larger. */
  scale: number;
}

/** Camera distance from the trunk, in units of the tree's radius. */
const cameraDistance = 4;
/** Share of the canvas the tree may fill, leaving room for glow at the edges. */
const fill = 0.86;

export function projectLeds(positions: readonly (readonly number[])[], angleRadians: number, width: number, height: number): ProjectedLed[] {
  let top = 0;
  for (const position of positions) top = Math.max(top, position[2] ?? 0);
  const treeHeight = top > 0 ? top : 1;
  // The widest the tree can appear is its diameter (2) at the nearest perspective factor.
  const nearest = cameraDistance / (cameraDistance - 1);
  const pixelsPerUnit = Math.min((width * fill) / (2 * nearest), (height * fill) / (treeHeight * nearest));
  const centerX = width / 2;
  const centerY = height / 2;
  const middle = treeHeight / 2;
  const cos = Math.cos(angleRadians);
  const sin = Math.sin(angleRadians);

  const projected = positions.map((position, index): ProjectedLed => {
    const [x = 0, y = 0, z = 0] = position;
    const across = x * cos - y * sin;
    const depth = x * sin + y * cos;
    const scale = cameraDistance / (cameraDistance + depth);
    return { index, x: centerX + across * pixelsPerUnit * scale, y: centerY - (z - middle) * pixelsPerUnit * scale, depth, scale };
  });
  return projected.sort((a, b) => b.depth - a.depth);
}
