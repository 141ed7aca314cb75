// The labeler's box editor: the image (or a grey stand-in) at its natural size, scaled down to
// 640 CSS px when wider, under an svg whose viewBox is the image's pixels; boxes stay integer
// image pixels (the geometry is lib/boxes.ts). Mouse: a drag on empty ground draws a box of the
// current class, a drag inside a box moves it, a drag on a corner handle resizes it, a click
// selects. Keys, once the editor has focus (it takes it on mousedown): 1–9 class, arrows nudge
// (Shift: 10 px), Delete/Backspace deletes, Escape deselects. A drag follows mousemove/mouseup
// on window, so it ends even outside the svg; plain mouse events, so puppeteer's page.mouse works.
// Tests: the svg is [data-testid=testId] with data-width/data-height (natural size) and
// data-state (loading | image | fallback); image pixel (x, y) is at client point
// rect.left + x * rect.width / data-width, rect.top + y * rect.height / data-height
// (`imageToClient`, rect = the svg's getBoundingClientRect()).
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { BoundingBox } from '../lib/labels';
import {
  clientToImage,
  describe,
  displaySize,
  fromDrag,
  hitTest,
  moveBox,
  nudge,
  resizeBox,
  type ArrowKey,
  type Part,
  type Point,
} from '../lib/boxes';

export interface BoxEditorProps {
  /** Object URL of the image; when absent or not decodable, a grey canvas of `fallbackSize` is shown. */
  src?: string;
  /** Default 256×256. */
  fallbackSize?: { width: number; height: number };
  /** Class names, index = class id. */
  classes: string[];
  value: BoundingBox[];
  onChange: (boxes: BoundingBox[]) => void;
  /** The size boxes are drawn in, once known: the image's natural size, or `fallbackSize`. */
  onSize?: (size: { width: number; height: number }) => void;
  disabled?: boolean;
  /** Default 'box-editor'. */
  testId?: string;
}

/** Half the side of a corner handle, in CSS px. */
const HANDLE = 5;
const MAX_WIDTH = 640;
const DEFAULT_SIZE = { width: 256, height: 256 };
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#1aa7c4', '#f032e6', '#9a6324', '#469990', '#800000'];
const ARROWS: readonly string[] = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
const HELP = 'Drag to draw · drag a box to move it · drag a corner to resize · click to select · 1–9 class · arrows nudge (Shift: 10 px) · Delete removes · Esc deselects';

/** The colour boxes of class k are drawn in. */
export const classColour = (k: number) => PALETTE[((k % PALETTE.length) + PALETTE.length) % PALETTE.length];

const CURSOR: Record<Part, string> = { move: 'move', nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize' };

const CSS = `
.cl-box-editor { display: inline-block; outline: none; font: 13px system-ui, sans-serif; }
.cl-box-editor:focus-visible, .cl-box-editor:focus { box-shadow: 0 0 0 2px #4a90d9; }
.cl-box-editor .cl-classes button { margin: 0 4px 4px 0; border: 2px solid; border-radius: 4px; background: #fff; padding: 2px 8px; cursor: pointer; }
.cl-box-editor .cl-classes button[aria-pressed="true"] { color: #fff; }
.cl-box-editor .cl-help { margin: 4px 0; color: #555; font-size: 12px; }
.cl-box-editor ul { margin: 4px 0; padding-left: 20px; }
.cl-box-editor li { cursor: pointer; }
.cl-box-editor li[data-selected="true"] { font-weight: 600; }
.cl-box-editor li button { margin-left: 6px; }
`;

type Drag =
  | { kind: 'draw'; start: Point; at: Point }
  | { kind: 'edit'; part: Part; index: number; start: Point; orig: BoundingBox; box: BoundingBox };

type Loaded = { src: string; width: number; height: number } | { src: string; failed: true };

/** The rubber band's svg rectangle: the drag's span clamped to the image, not rounded. */
function bandRect(a: Point, b: Point, W: number, H: number) {
  const x = Math.min(W, Math.max(0, Math.min(a.x, b.x)));
  const y = Math.min(H, Math.max(0, Math.min(a.y, b.y)));
  return { x, y, width: Math.min(W, Math.max(0, a.x, b.x)) - x, height: Math.min(H, Math.max(0, a.y, b.y)) - y };
}

const same = (a: BoundingBox, b: BoundingBox) =>
  a.xMin === b.xMin && a.yMin === b.yMin && a.xMax === b.xMax && a.yMax === b.yMax && a.class === b.class;

export function BoxEditor({ src, fallbackSize = DEFAULT_SIZE, classes, value, onChange, onSize, disabled = false, testId = 'box-editor' }: BoxEditorProps) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [cls, setCls] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<Part | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const unlisten = useRef<(() => void) | null>(null);

  // Decode the image off-screen to learn its natural size; anything else is the fallback.
  useEffect(() => {
    if (!src) return;
    let alive = true;
    const img = new Image();
    img.onload = () => alive && setLoaded(img.naturalWidth > 0 && img.naturalHeight > 0 ? { src, width: img.naturalWidth, height: img.naturalHeight } : { src, failed: true });
    img.onerror = () => alive && setLoaded({ src, failed: true });
    img.src = src;
    return () => {
      alive = false;
      img.onload = img.onerror = null;
    };
  }, [src]);

  const mine = src && loaded?.src === src ? loaded : undefined;
  const state: 'loading' | 'image' | 'fallback' = !src ? 'fallback' : !mine ? 'loading' : 'failed' in mine ? 'fallback' : 'image';
  const W = mine && !('failed' in mine) ? mine.width : fallbackSize.width;
  const H = mine && !('failed' in mine) ? mine.height : fallbackSize.height;
  const shown = displaySize(W, H, MAX_WIDTH);
  const scale = W / shown.width; // image px per CSS px
  const active = Math.min(cls, Math.max(classes.length - 1, 0));
  const sel = selected !== null && selected < value.length ? selected : null;
  const interactive = !disabled && state !== 'loading';

  // The latest props for the window listeners of a drag in progress.
  const live = useRef({ value, onChange, W, H, active });
  live.current = { value, onChange, W, H, active };

  const onSizeRef = useRef(onSize);
  onSizeRef.current = onSize;
  useEffect(() => {
    if (state !== 'loading') onSizeRef.current?.({ width: W, height: H });
  }, [state, W, H]);

  function stopDrag() {
    unlisten.current?.();
    unlisten.current = null;
    dragRef.current = null;
    setDrag(null);
  }
  // A drag ends with the component, a new image or disabling.
  useEffect(() => () => unlisten.current?.(), []);
  useEffect(() => {
    if (dragRef.current) stopDrag();
  }, [src, disabled]);

  function imagePoint(e: { clientX: number; clientY: number }): Point {
    const rect = svgRef.current!.getBoundingClientRect();
    return clientToImage({ x: e.clientX, y: e.clientY }, rect, live.current.W, live.current.H);
  }
  function handleRadius(): number {
    const rect = svgRef.current!.getBoundingClientRect();
    return rect.width > 0 ? (HANDLE * live.current.W) / rect.width : HANDLE;
  }

  function advance(d: Drag, p: Point): Drag {
    const { W, H } = live.current;
    if (d.kind === 'draw') return { ...d, at: p };
    const box = d.part === 'move' ? moveBox(d.orig, p.x - d.start.x, p.y - d.start.y, W, H) : resizeBox(d.orig, d.part, p, W, H);
    return { ...d, box };
  }

  function finish(d: Drag) {
    const { value, onChange, W, H, active } = live.current;
    if (d.kind === 'draw') {
      const b = fromDrag(d.start, d.at, W, H, active);
      if (b) onChange([...value, b]);
    } else if (d.index < value.length && !same(d.box, d.orig)) {
      onChange(value.map((b, i) => (i === d.index ? d.box : b)));
    }
  }

  function begin(d: Drag) {
    stopDrag();
    dragRef.current = d;
    setDrag(d);
    const move = (ev: MouseEvent) => {
      const cur = dragRef.current;
      if (!cur) return;
      const next = advance(cur, imagePoint(ev));
      dragRef.current = next;
      setDrag(next);
    };
    const up = (ev: MouseEvent) => {
      if (ev.button !== 0) return;
      const cur = dragRef.current;
      const last = cur && advance(cur, imagePoint(ev));
      stopDrag();
      if (last) finish(last);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    unlisten.current = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
  }

  function onMouseDown(e: ReactMouseEvent<SVGSVGElement>) {
    if (!interactive || e.button !== 0) return;
    e.preventDefault(); // no text selection or image drag; so focus by hand
    wrapRef.current?.focus({ preventScroll: true });
    const p = imagePoint(e);
    const hit = hitTest(value, p, handleRadius());
    if (hit) {
      setSelected(hit.index);
      const b = value[hit.index];
      begin({ kind: 'edit', part: hit.part, index: hit.index, start: p, orig: b, box: b });
    } else {
      setSelected(null);
      begin({ kind: 'draw', start: p, at: p });
    }
  }

  function onHover(e: ReactMouseEvent<SVGSVGElement>) {
    if (dragRef.current || !interactive) return;
    setHover(hitTest(value, imagePoint(e), handleRadius())?.part ?? null);
  }

  function replace(i: number, b: BoundingBox) {
    onChange(value.map((v, j) => (j === i ? b : v)));
  }

  function remove(i: number) {
    onChange(value.filter((_, j) => j !== i));
    if (sel !== null) setSelected(sel === i ? null : sel > i ? sel - 1 : sel);
  }

  /** Class k for new boxes and for the selected one. */
  function choose(k: number) {
    if (k < 0 || k >= classes.length) return;
    setCls(k);
    if (sel !== null && value[sel].class !== k) replace(sel, { ...value[sel], class: k });
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (disabled || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      stopDrag();
      setSelected(null);
      return;
    }
    if (dragRef.current) return;
    if (/^[1-9]$/.test(e.key)) {
      e.preventDefault();
      choose(Number(e.key) - 1);
    } else if (sel !== null && (e.key === 'Delete' || e.key === 'Backspace')) {
      e.preventDefault();
      remove(sel);
    } else if (sel !== null && ARROWS.includes(e.key)) {
      e.preventDefault();
      const b = nudge(value[sel], e.key as ArrowKey, e.shiftKey ? 10 : 1, W, H);
      if (!same(b, value[sel])) replace(sel, b);
    }
  }

  // What the svg shows: the boxes, the one being moved or resized at its live place.
  const boxes = value.map((b, i) => (drag?.kind === 'edit' && drag.index === i ? drag.box : b));
  const band = drag?.kind === 'draw' ? drag : null;
  const cursor = !interactive ? 'default' : drag?.kind === 'edit' ? CURSOR[drag.part] : drag ? 'crosshair' : hover ? CURSOR[hover] : 'crosshair';
  const name = (k: number) => classes[k] ?? `class ${k}`;
  const h = HANDLE * scale;

  return (
    <div ref={wrapRef} className="cl-box-editor" tabIndex={0} onKeyDown={onKeyDown} data-testid={`${testId}-wrapper`}>
      <style>{CSS}</style>
      <div className="cl-classes" role="group" aria-label="class">
        {classes.map((c, k) => (
          <button
            key={k}
            type="button"
            data-testid={`box-class-${k}`}
            aria-pressed={k === active}
            disabled={disabled}
            onClick={() => choose(k)}
            style={{ borderColor: classColour(k), background: k === active ? classColour(k) : undefined }}
          >
            {k < 9 ? `${k + 1} ` : ''}
            {c}
          </button>
        ))}
      </div>
      <div style={{ position: 'relative', width: shown.width, height: shown.height, userSelect: 'none' }}>
        {state === 'image' ? (
          <img src={src} alt="" draggable={false} width={shown.width} height={shown.height} style={{ display: 'block' }} />
        ) : (
          <canvas width={W} height={H} style={{ display: 'block', width: shown.width, height: shown.height, background: '#9e9e9e' }} />
        )}
        <svg
          ref={svgRef}
          data-testid={testId}
          data-width={W}
          data-height={H}
          data-state={state}
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          width={shown.width}
          height={shown.height}
          style={{ position: 'absolute', left: 0, top: 0, cursor, overflow: 'hidden' }}
          onMouseDown={onMouseDown}
          onMouseMove={onHover}
          onMouseLeave={() => setHover(null)}
        >
          {boxes.map((b, i) => (
            <g key={i} data-index={i} data-class={b.class}>
              <rect
                x={b.xMin}
                y={b.yMin}
                width={b.xMax - b.xMin}
                height={b.yMax - b.yMin}
                fill={classColour(b.class)}
                fillOpacity={i === sel ? 0.3 : 0.12}
                stroke={classColour(b.class)}
                strokeWidth={i === sel ? 3 : 2}
                vectorEffect="non-scaling-stroke"
              />
              <text
                x={b.xMin + 3 * scale}
                y={b.yMin + 13 * scale}
                fontSize={12 * scale}
                fill={classColour(b.class)}
                stroke="#fff"
                strokeWidth={3 * scale}
                style={{ paintOrder: 'stroke', pointerEvents: 'none' }}
              >
                {name(b.class)}
              </text>
            </g>
          ))}
          {/* Handles above every box, as hitTest lets corners win over interiors. */}
          {interactive &&
            boxes.map((b, i) =>
              ([[b.xMin, b.yMin], [b.xMax, b.yMin], [b.xMin, b.yMax], [b.xMax, b.yMax]] as const).map(([x, y], c) => (
                <rect
                  key={`${i}-${c}`}
                  x={x - h}
                  y={y - h}
                  width={2 * h}
                  height={2 * h}
                  fill={i === sel ? classColour(b.class) : '#fff'}
                  stroke={classColour(b.class)}
                  strokeWidth={1.5}
                  vectorEffect="non-scaling-stroke"
                />
              )),
            )}
          {band && (
            <rect
              data-testid={`${testId}-band`}
              {...bandRect(band.start, band.at, W, H)}
              fill="none"
              stroke={classColour(active)}
              strokeWidth={2}
              strokeDasharray="6 4"
              vectorEffect="non-scaling-stroke"
            />
          )}
        </svg>
      </div>
      <p className="cl-help">{HELP}</p>
      <ul data-testid={`${testId}-list`}>
        {value.map((b, i) => (
          <li key={i} data-selected={i === sel} onClick={() => !disabled && setSelected(i)}>
            <span data-testid={`${testId}-item-${i}`}>{describe(b)}</span>{' '}
            <span style={{ color: classColour(b.class) }}>({name(b.class)})</span>
            <button
              type="button"
              data-testid={`${testId}-delete-${i}`}
              aria-label={`delete box ${i + 1}`}
              disabled={disabled}
              onClick={(e) => {
                e.stopPropagation();
                remove(i);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
