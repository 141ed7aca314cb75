// The box editor's geometry: drags, hits, moves, resizes, nudges and the client ↔ image mapping
// always give integer boxes inside the image.
import { describe as group, expect, it } from 'vitest';
import {
  clientToImage,
  cornerPoint,
  describe,
  displaySize,
  fromDrag,
  hitTest,
  imageToClient,
  moveBox,
  nudge,
  resizeBox,
  validBox,
  type Corner,
} from './boxes';
import type { BoundingBox } from './labels';

const W = 200;
const H = 100;
const box = (xMin: number, yMin: number, xMax: number, yMax: number, cls = 0): BoundingBox => ({ xMin, yMin, xMax, yMax, class: cls });

group('fromDrag', () => {
  it('spans a drag down and to the right', () => {
    expect(fromDrag({ x: 10, y: 20 }, { x: 110, y: 90 }, W, H, 1)).toEqual(box(10, 20, 110, 90, 1));
  });
  it('spans the same box dragged in any direction', () => {
    const want = box(10, 20, 110, 90, 2);
    expect(fromDrag({ x: 110, y: 90 }, { x: 10, y: 20 }, W, H, 2)).toEqual(want);
    expect(fromDrag({ x: 110, y: 20 }, { x: 10, y: 90 }, W, H, 2)).toEqual(want);
    expect(fromDrag({ x: 10, y: 90 }, { x: 110, y: 20 }, W, H, 2)).toEqual(want);
  });
  it('rounds fractional points to the nearest pixel boundary', () => {
    expect(fromDrag({ x: 10.4, y: 19.6 }, { x: 110.5, y: 89.49 }, W, H, 0)).toEqual(box(10, 20, 111, 89));
  });
  it('clamps to the image when the drag leaves it', () => {
    expect(fromDrag({ x: -30, y: -5 }, { x: 50, y: 40 }, W, H, 0)).toEqual(box(0, 0, 50, 40));
    expect(fromDrag({ x: 150, y: 60 }, { x: 900, y: 300 }, W, H, 0)).toEqual(box(150, 60, 200, 100));
    expect(fromDrag({ x: -1, y: -1 }, { x: W + 1, y: H + 1 }, W, H, 0)).toEqual(box(0, 0, W, H));
  });
  it('is null for a click or a drag under 2 px on a side', () => {
    expect(fromDrag({ x: 50, y: 50 }, { x: 50, y: 50 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 50, y: 50 }, { x: 51, y: 80 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 50, y: 50 }, { x: 90, y: 49 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 50, y: 50 }, { x: 51.4, y: 51.4 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 50, y: 50 }, { x: 52, y: 52 }, W, H, 0)).toEqual(box(50, 50, 52, 52));
  });
  it('is null for a drag entirely outside the image (nothing left after clamping)', () => {
    expect(fromDrag({ x: -50, y: 10 }, { x: -10, y: 60 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 10, y: H + 5 }, { x: 60, y: H + 50 }, W, H, 0)).toBeNull();
  });
  it('is null for non-finite points', () => {
    expect(fromDrag({ x: NaN, y: 10 }, { x: 60, y: 60 }, W, H, 0)).toBeNull();
    expect(fromDrag({ x: 10, y: 10 }, { x: Infinity, y: 60 }, W, H, 0)).toBeNull();
  });
});

group('hitTest', () => {
  const a = box(10, 10, 60, 60);
  const b = box(40, 40, 100, 90);
  it('misses with no boxes or outside every box', () => {
    expect(hitTest([], { x: 5, y: 5 }, 4)).toBeNull();
    expect(hitTest([a, b], { x: 150, y: 20 }, 4)).toBeNull();
    expect(hitTest([a, b], { x: 30, y: 80 }, 4)).toBeNull();
  });
  it('grabs the interior to move, half-open', () => {
    expect(hitTest([a], { x: 30, y: 30 }, 4)).toEqual({ index: 0, part: 'move' });
    expect(hitTest([a], { x: 10, y: 30 }, 0)).toEqual({ index: 0, part: 'move' });
    expect(hitTest([a], { x: 59.9, y: 30 }, 0)).toEqual({ index: 0, part: 'move' });
    expect(hitTest([a], { x: 60, y: 30 }, 0)).toBeNull();
    expect(hitTest([a], { x: 30, y: 60 }, 0)).toBeNull();
  });
  it('grabs each corner within the (square) handle radius', () => {
    expect(hitTest([a], { x: 12, y: 8 }, 4)).toEqual({ index: 0, part: 'nw' });
    expect(hitTest([a], { x: 63, y: 7 }, 4)).toEqual({ index: 0, part: 'ne' });
    expect(hitTest([a], { x: 6, y: 64 }, 4)).toEqual({ index: 0, part: 'sw' });
    expect(hitTest([a], { x: 64, y: 64 }, 4)).toEqual({ index: 0, part: 'se' });
  });
  it('just beyond the radius is the interior or nothing', () => {
    expect(hitTest([a], { x: 15, y: 15 }, 4)).toEqual({ index: 0, part: 'move' });
    expect(hitTest([a], { x: 5, y: 5 }, 4)).toBeNull();
    expect(hitTest([a], { x: 64.5, y: 60 }, 4)).toBeNull();
  });
  it('the topmost (last) box wins in an overlap', () => {
    expect(hitTest([a, b], { x: 50, y: 50 }, 4)).toEqual({ index: 1, part: 'move' });
    expect(hitTest([b, a], { x: 50, y: 50 }, 4)).toEqual({ index: 1, part: 'move' });
    expect(hitTest([a, b, box(45, 45, 55, 55)], { x: 50, y: 50 }, 2)).toEqual({ index: 2, part: 'move' });
  });
  it('a corner wins over the interior of a box above it', () => {
    // a's se corner (60, 60) lies inside b, which is on top.
    expect(hitTest([a, b], { x: 61, y: 59 }, 4)).toEqual({ index: 0, part: 'se' });
  });
  it('of two boxes sharing a corner, the topmost one is grabbed', () => {
    const c = box(60, 60, 120, 95);
    expect(hitTest([a, c], { x: 60, y: 60 }, 4)).toEqual({ index: 1, part: 'nw' });
    expect(hitTest([c, a], { x: 60, y: 60 }, 4)).toEqual({ index: 1, part: 'se' });
  });
  it('in a box smaller than its handles the nearest corner is grabbed', () => {
    const t = box(50, 50, 53, 53);
    expect(hitTest([t], { x: 50.5, y: 52.9 }, 4)).toEqual({ index: 0, part: 'sw' });
    expect(hitTest([t], { x: 52.6, y: 50.2 }, 4)).toEqual({ index: 0, part: 'ne' });
  });
});

group('moveBox', () => {
  const b = box(50, 30, 80, 60, 3);
  it('translates, keeping size and class', () => {
    expect(moveBox(b, 10, -5, W, H)).toEqual(box(60, 25, 90, 55, 3));
    expect(moveBox(b, 0, 0, W, H)).toEqual(b);
  });
  it('rounds a fractional translation', () => {
    expect(moveBox(b, 2.4, 2.6, W, H)).toEqual(box(52, 33, 82, 63, 3));
  });
  it('stops at every edge when moved beyond it, keeping the size', () => {
    expect(moveBox(b, -500, 0, W, H)).toEqual(box(0, 30, 30, 60, 3));
    expect(moveBox(b, 500, 0, W, H)).toEqual(box(170, 30, 200, 60, 3));
    expect(moveBox(b, 0, -500, W, H)).toEqual(box(50, 0, 80, 30, 3));
    expect(moveBox(b, 0, 500, W, H)).toEqual(box(50, 70, 80, 100, 3));
    expect(moveBox(b, 1e6, -1e6, W, H)).toEqual(box(170, 0, 200, 30, 3));
  });
  it('a box filling the image cannot move', () => {
    expect(moveBox(box(0, 0, W, H), 7, -7, W, H)).toEqual(box(0, 0, W, H));
  });
  it('ignores a non-finite translation and never mutates its input', () => {
    const copy = { ...b };
    expect(moveBox(b, NaN, 5, W, H)).toEqual(box(50, 35, 80, 65, 3));
    moveBox(b, 40, 40, W, H);
    expect(b).toEqual(copy);
  });
});

group('resizeBox', () => {
  const b = box(50, 30, 80, 60, 1);
  it('moves only the dragged corner', () => {
    expect(resizeBox(b, 'nw', { x: 40, y: 20 }, W, H)).toEqual(box(40, 20, 80, 60, 1));
    expect(resizeBox(b, 'ne', { x: 90, y: 20 }, W, H)).toEqual(box(50, 20, 90, 60, 1));
    expect(resizeBox(b, 'sw', { x: 40, y: 70 }, W, H)).toEqual(box(40, 30, 80, 70, 1));
    expect(resizeBox(b, 'se', { x: 90, y: 70 }, W, H)).toEqual(box(50, 30, 90, 70, 1));
    expect(resizeBox(b, 'se', { x: 60, y: 40 }, W, H)).toEqual(box(50, 30, 60, 40, 1));
  });
  it('rounds the point', () => {
    expect(resizeBox(b, 'se', { x: 90.6, y: 70.4 }, W, H)).toEqual(box(50, 30, 91, 70, 1));
  });
  it('clamps the corner to the image', () => {
    expect(resizeBox(b, 'nw', { x: -20, y: -20 }, W, H)).toEqual(box(0, 0, 80, 60, 1));
    expect(resizeBox(b, 'se', { x: 999, y: 999 }, W, H)).toEqual(box(50, 30, W, H, 1));
  });
  it('dragged onto or past the opposite corner, keeps a 1 px side (no flip)', () => {
    expect(resizeBox(b, 'se', { x: 50, y: 30 }, W, H)).toEqual(box(50, 30, 51, 31, 1));
    expect(resizeBox(b, 'se', { x: 10, y: 5 }, W, H)).toEqual(box(50, 30, 51, 31, 1));
    expect(resizeBox(b, 'nw', { x: 150, y: 95 }, W, H)).toEqual(box(79, 59, 80, 60, 1));
    expect(resizeBox(b, 'ne', { x: 0, y: 99 }, W, H)).toEqual(box(50, 59, 51, 60, 1));
    expect(resizeBox(b, 'sw', { x: 199, y: 0 }, W, H)).toEqual(box(79, 30, 80, 31, 1));
  });
  it('past the opposite corner at the image edge, still valid', () => {
    expect(resizeBox(box(0, 0, 5, 5), 'se', { x: -10, y: -10 }, W, H)).toEqual(box(0, 0, 1, 1));
    expect(resizeBox(box(195, 95, W, H), 'nw', { x: 999, y: 999 }, W, H)).toEqual(box(199, 99, W, H));
  });
  it('always returns a valid box, wherever a corner is dragged', () => {
    const corners: Corner[] = ['nw', 'ne', 'sw', 'se'];
    let n = 0;
    for (const c of corners)
      for (let x = -30; x <= W + 30; x += 7.3)
        for (let y = -30; y <= H + 30; y += 6.1) {
          const r = resizeBox(b, c, { x, y }, W, H);
          expect(validBox(r, W, H, 2)).toBe(true);
          // The opposite corner does not move.
          const opposite = ({ nw: 'se', ne: 'sw', sw: 'ne', se: 'nw' } as const)[c];
          expect(cornerPoint(r, opposite)).toEqual(cornerPoint(b, opposite));
          n++;
        }
    expect(n).toBeGreaterThan(1000);
  });
  it('ignores a non-finite point', () => {
    expect(resizeBox(b, 'nw', { x: NaN, y: 0 }, W, H)).toEqual(b);
  });
});

group('nudge', () => {
  const b = box(50, 30, 80, 60, 2);
  it('moves one step per arrow', () => {
    expect(nudge(b, 'ArrowLeft', 1, W, H)).toEqual(box(49, 30, 79, 60, 2));
    expect(nudge(b, 'ArrowRight', 1, W, H)).toEqual(box(51, 30, 81, 60, 2));
    expect(nudge(b, 'ArrowUp', 1, W, H)).toEqual(box(50, 29, 80, 59, 2));
    expect(nudge(b, 'ArrowDown', 1, W, H)).toEqual(box(50, 31, 80, 61, 2));
    expect(nudge(b, 'ArrowRight', 10, W, H)).toEqual(box(60, 30, 90, 60, 2));
  });
  it('stops at the edge', () => {
    expect(nudge(box(3, 0, 10, 10), 'ArrowLeft', 10, W, H)).toEqual(box(0, 0, 7, 10));
    expect(nudge(box(0, 0, 10, 10), 'ArrowLeft', 1, W, H)).toEqual(box(0, 0, 10, 10));
    expect(nudge(box(0, 0, 10, 10), 'ArrowUp', 1, W, H)).toEqual(box(0, 0, 10, 10));
    expect(nudge(box(190, 95, W, H), 'ArrowRight', 10, W, H)).toEqual(box(190, 95, W, H));
    expect(nudge(box(190, 92, W, 98), 'ArrowDown', 10, W, H)).toEqual(box(190, 94, W, H));
  });
});

group('describe and validBox', () => {
  it('describes a box with an en dash', () => {
    expect(describe(box(10, 20, 110, 90, 1))).toBe('10,20–110,90 class 1');
    expect(describe(box(0, 0, 1, 1))).toBe('0,0–1,1 class 0');
  });
  it('accepts boxes inside the image, up to its edges', () => {
    expect(validBox(box(10, 20, 110, 90, 1), W, H, 2)).toBe(true);
    expect(validBox(box(0, 0, W, H, 0), W, H, 1)).toBe(true);
    expect(validBox(box(199, 99, 200, 100), W, H, 1)).toBe(true);
  });
  it('refuses empty, inverted, outside, fractional and unknown-class boxes', () => {
    expect(validBox(box(10, 10, 10, 20), W, H, 1)).toBe(false);
    expect(validBox(box(10, 10, 20, 10), W, H, 1)).toBe(false);
    expect(validBox(box(20, 10, 10, 20), W, H, 1)).toBe(false);
    expect(validBox(box(-1, 10, 10, 20), W, H, 1)).toBe(false);
    expect(validBox(box(10, -1, 20, 20), W, H, 1)).toBe(false);
    expect(validBox(box(10, 10, W + 1, 20), W, H, 1)).toBe(false);
    expect(validBox(box(10, 10, 20, H + 1), W, H, 1)).toBe(false);
    expect(validBox(box(10.5, 10, 20, 20), W, H, 1)).toBe(false);
    expect(validBox(box(10, 10, 20, NaN), W, H, 1)).toBe(false);
    expect(validBox(box(10, 10, 20, 20, 2), W, H, 2)).toBe(false);
    expect(validBox(box(10, 10, 20, 20, -1), W, H, 2)).toBe(false);
    expect(validBox(box(10, 10, 20, 20, 0.5), W, H, 2)).toBe(false);
    expect(validBox(box(10, 10, 20, 20, 0), W, H, 0)).toBe(false);
  });
  it('every box fromDrag makes is valid', () => {
    for (let i = 0; i < 500; i++) {
      const p = { x: ((i * 37) % 260) - 30, y: ((i * 53) % 160) - 30 };
      const q = { x: ((i * 71) % 260) - 30, y: ((i * 29) % 160) - 30 };
      const b = fromDrag(p, q, W, H, i % 3);
      if (b) expect(validBox(b, W, H, 3)).toBe(true);
    }
  });
});

group('client ↔ image mapping', () => {
  it('at 1 CSS px per image px, subtracts the element offset', () => {
    const rect = { left: 8.5, top: 120, width: W, height: H };
    expect(clientToImage({ x: 18.5, y: 140 }, rect, W, H)).toEqual({ x: 10, y: 20 });
    expect(clientToImage({ x: 0, y: 0 }, rect, W, H)).toEqual({ x: -8.5, y: -120 });
  });
  it('scales a shrunken image back to its pixels', () => {
    // A 1280×720 image shown 640×360.
    const rect = { left: 10, top: 20, width: 640, height: 360 };
    expect(clientToImage({ x: 10 + 320, y: 20 + 180 }, rect, 1280, 720)).toEqual({ x: 640, y: 360 });
    expect(clientToImage({ x: 10 + 640, y: 20 + 360 }, rect, 1280, 720)).toEqual({ x: 1280, y: 720 });
  });
  it('imageToClient is its inverse', () => {
    const rect = { left: 13.25, top: 77, width: 640, height: 427 };
    for (const p of [{ x: 0, y: 0 }, { x: 100, y: 50 }, { x: 1000, y: 667 }]) {
      const c = imageToClient(p, rect, 1000, 667);
      const back = clientToImage(c, rect, 1000, 667);
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
    expect(imageToClient({ x: 10, y: 20 }, { left: 5, top: 6, width: W, height: H }, W, H)).toEqual({ x: 15, y: 26 });
  });
  it('a zero-size element does not divide by zero', () => {
    expect(clientToImage({ x: 15, y: 26 }, { left: 5, top: 6, width: 0, height: 0 }, W, H)).toEqual({ x: 10, y: 20 });
  });
  it('displaySize keeps images up to 640 px wide and scales wider ones down', () => {
    expect(displaySize(256, 256)).toEqual({ width: 256, height: 256 });
    expect(displaySize(640, 1000)).toEqual({ width: 640, height: 1000 });
    expect(displaySize(1280, 720)).toEqual({ width: 640, height: 360 });
    expect(displaySize(1000, 667)).toEqual({ width: 640, height: 427 });
    expect(displaySize(6400, 1)).toEqual({ width: 640, height: 1 });
    expect(displaySize(300, 100, 150)).toEqual({ width: 150, height: 50 });
  });
});
