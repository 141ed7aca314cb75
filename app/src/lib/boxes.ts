// Geometry of the box editor (components/BoxEditor.tsx), pure and DOM-free. Boxes are the
// chain's `BoundingBox`: integer image pixels, half-open (xMin <= x < xMax), so a valid box has
// 0 <= xMin < xMax <= width and 0 <= yMin < yMax <= height. Points may be fractional (a mouse
// over a scaled image); every function that makes a box rounds and clamps, so for a valid input
// it returns a valid box, and none mutates its arguments. The mapping between client (CSS)
// coordinates and image pixels is here too: a browser test uses `imageToClient` to aim.
import type { BoundingBox } from './labels';

export interface Point {
  x: number;
  y: number;
}

/** A client rectangle, e.g. an element's `getBoundingClientRect()`. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Corner = 'nw' | 'ne' | 'sw' | 'se';
export type Part = 'move' | Corner;
export type ArrowKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** A drag shorter than this (in image pixels) on either side is a click, not a box. */
export const MIN_DRAG = 2;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const finite = (p: Point) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** The box spanned by a drag from `start` to `end` (either direction), rounded and clamped to
 *  the image; null when a side is under `MIN_DRAG` pixels. */
export function fromDrag(start: Point, end: Point, width: number, height: number, cls: number): BoundingBox | null {
  if (!finite(start) || !finite(end)) return null;
  const xMin = clamp(Math.round(Math.min(start.x, end.x)), 0, width);
  const xMax = clamp(Math.round(Math.max(start.x, end.x)), 0, width);
  const yMin = clamp(Math.round(Math.min(start.y, end.y)), 0, height);
  const yMax = clamp(Math.round(Math.max(start.y, end.y)), 0, height);
  if (xMax - xMin < MIN_DRAG || yMax - yMin < MIN_DRAG) return null;
  return { xMin, yMin, xMax, yMax, class: cls };
}

/** A box's corner point. */
export function cornerPoint(box: BoundingBox, corner: Corner): Point {
  return { x: corner === 'nw' || corner === 'sw' ? box.xMin : box.xMax, y: corner === 'nw' || corner === 'ne' ? box.yMin : box.yMax };
}

const CORNERS: Corner[] = ['nw', 'ne', 'sw', 'se'];

/** The box's corner whose square handle (|dx| <= r and |dy| <= r) holds p, the nearest if several. */
function cornerAt(box: BoundingBox, p: Point, r: number): Corner | null {
  let best: Corner | null = null;
  let bestD = Infinity;
  for (const c of CORNERS) {
    const q = cornerPoint(box, c);
    const d = Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y));
    if (d <= r && d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

const inside = (b: BoundingBox, p: Point) => p.x >= b.xMin && p.x < b.xMax && p.y >= b.yMin && p.y < b.yMax;

/** What a mousedown at p grabs: the topmost (last) box with a corner handle within
 *  `handleRadius` of p (square handles), else the topmost box whose interior holds p. Corners
 *  win over any interior, as the editor draws every handle above every box. */
export function hitTest(boxes: readonly BoundingBox[], p: Point, handleRadius: number): { index: number; part: Part } | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const c = cornerAt(boxes[i], p, handleRadius);
    if (c) return { index: i, part: c };
  }
  for (let i = boxes.length - 1; i >= 0; i--) if (inside(boxes[i], p)) return { index: i, part: 'move' };
  return null;
}

/** The box translated by (dx, dy) rounded, the translation clamped so the whole box stays in the image. */
export function moveBox(box: BoundingBox, dx: number, dy: number, width: number, height: number): BoundingBox {
  const mx = Number.isFinite(dx) ? clamp(Math.round(dx), -box.xMin, width - box.xMax) : 0;
  const my = Number.isFinite(dy) ? clamp(Math.round(dy), -box.yMin, height - box.yMax) : 0;
  return { xMin: box.xMin + mx, yMin: box.yMin + my, xMax: box.xMax + mx, yMax: box.yMax + my, class: box.class };
}

/** The box with one corner dragged to p (rounded, clamped to the image); the opposite corner
 *  stays. Dragged past it, the box does not flip: it keeps a 1 px side, so the corner keeps
 *  its meaning for the rest of the drag and the result is always valid. */
export function resizeBox(box: BoundingBox, corner: Corner, p: Point, width: number, height: number): BoundingBox {
  let { xMin, yMin, xMax, yMax } = box;
  if (!finite(p)) return { xMin, yMin, xMax, yMax, class: box.class };
  const x = clamp(Math.round(p.x), 0, width);
  const y = clamp(Math.round(p.y), 0, height);
  if (corner === 'nw' || corner === 'sw') xMin = Math.min(x, xMax - 1);
  else xMax = Math.max(x, xMin + 1);
  if (corner === 'nw' || corner === 'ne') yMin = Math.min(y, yMax - 1);
  else yMax = Math.max(y, yMin + 1);
  return { xMin, yMin, xMax, yMax, class: box.class };
}

/** The box moved `step` pixels in the arrow's direction, stopping at the image's edge. */
export function nudge(box: BoundingBox, key: ArrowKey, step: number, width: number, height: number): BoundingBox {
  const dx = key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0;
  const dy = key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0;
  return moveBox(box, dx, dy, width, height);
}

/** "xMin,yMin–xMax,yMax class k" (an en dash), as the editor's list shows it. */
export function describe(box: BoundingBox): string {
  return `${box.xMin},${box.yMin}–${box.xMax},${box.yMax} class ${box.class}`;
}

/** Integer, non-empty, inside a width×height image, class in [0, classes). */
export function validBox(box: BoundingBox, width: number, height: number, classes: number): boolean {
  const { xMin, yMin, xMax, yMax } = box;
  return (
    [xMin, yMin, xMax, yMax, box.class].every(Number.isInteger) &&
    xMin >= 0 && xMin < xMax && xMax <= width &&
    yMin >= 0 && yMin < yMax && yMax <= height &&
    box.class >= 0 && box.class < classes
  );
}

/** Image coordinates (fractional, not clamped) of client point c over an element showing the
 *  width×height image stretched to `rect` (the svg's getBoundingClientRect()). */
export function clientToImage(c: Point, rect: Rect, width: number, height: number): Point {
  const sx = rect.width > 0 ? width / rect.width : 1;
  const sy = rect.height > 0 ? height / rect.height : 1;
  return { x: (c.x - rect.left) * sx, y: (c.y - rect.top) * sy };
}

/** The inverse of `clientToImage`: where to put the mouse (clientX, clientY) for image point p. */
export function imageToClient(p: Point, rect: Rect, width: number, height: number): Point {
  return { x: rect.left + (p.x * rect.width) / width, y: rect.top + (p.y * rect.height) / height };
}

/** CSS size the editor shows a width×height image at: natural, or scaled down to `maxWidth`
 *  (height rounded, at least 1) when wider. */
export function displaySize(width: number, height: number, maxWidth = 640): { width: number; height: number } {
  if (width <= maxWidth) return { width, height };
  return { width: maxWidth, height: Math.max(1, Math.round((height * maxWidth) / width)) };
}
