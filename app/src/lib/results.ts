// Exports of a job's consensus results (`crowdlabel_jobResults`, docs/rpc.md) for a requester
// or a buyer: CSV for any label kind, COCO detection JSON for boxes, and the COCO file read
// back (to check a download against the chain). Boxes are half-open pixel rectangles
// (`xMin <= x < xMax`), so a COCO bbox is `[xMin, yMin, xMax - xMin, yMax - yMin]`.
import type { BoundingBox } from './labels';

/** A consensus label as the RPC serialises it. */
export type ResultLabel = { boxes: BoundingBox[] } | { class: number } | { score: string };

/** One item of `crowdlabel_jobResults`. */
export interface ItemResult {
  index: number;
  /** The item's sha2-256 digest, 0x hex. */
  item: string;
  label: ResultLabel;
  /** Decimal 0..1. */
  agreement: string;
}

/** What the app knows of an item beyond the chain. */
export interface ItemMeta {
  cid: string;
  fileName?: string;
  width?: number;
  height?: number;
}

/** Item metadata keyed by item digest. */
export type MetaByItem = ReadonlyMap<string, ItemMeta> | Readonly<Record<string, ItemMeta>>;

const metaOf = (meta: MetaByItem, item: string): ItemMeta | undefined =>
  meta instanceof Map ? meta.get(item) : (meta as Readonly<Record<string, ItemMeta>>)[item];

// ---- CSV ----

/** One CSV field, quoted if it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The label column: a class's name (its id if `classes` has none), a score's decimal, boxes as
 * `xMin yMin xMax yMax class` joined by `;` (class ids, so the column stays parseable).
 */
export function labelText(label: ResultLabel, classes?: string[]): string {
  if ('class' in label) return classes?.[label.class] ?? String(label.class);
  if ('score' in label) return label.score;
  return label.boxes.map((b) => `${b.xMin} ${b.yMin} ${b.xMax} ${b.yMax} ${b.class}`).join(';');
}

/** `index,item,cid,label,agreement`, one row per result, `\r\n` line ends. */
export function toCsv(results: ItemResult[], meta: MetaByItem, classes?: string[]): string {
  const rows = [['index', 'item', 'cid', 'label', 'agreement']];
  for (const r of results) {
    rows.push([String(r.index), r.item, metaOf(meta, r.item)?.cid ?? '', labelText(r.label, classes), r.agreement]);
  }
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

// ---- COCO ----

export interface CocoInfo {
  description: string;
  date_created: string;
  version?: string;
  year?: number;
  contributor?: string;
  url?: string;
  [extra: string]: unknown;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  crowdlabel_item: string;
  crowdlabel_cid: string;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** `[x, y, width, height]`. */
  bbox: [number, number, number, number];
  area: number;
  iscrowd: 0;
  crowdlabel_agreement: number;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
}

export interface Coco {
  info: CocoInfo;
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

/**
 * A boxes job's results in COCO detection format: image id = result index + 1, category id =
 * class + 1, annotations numbered from 1. Throws if a result is not a boxes label, a class is
 * not in `classes`, a box is empty, or an item has no metadata with its width and height.
 */
export function toCoco(results: ItemResult[], meta: MetaByItem, classes: string[], info?: Partial<CocoInfo>): Coco {
  const images: CocoImage[] = [];
  const annotations: CocoAnnotation[] = [];
  for (const r of results) {
    const where = `result ${r.index} (item ${r.item})`;
    if (!('boxes' in r.label)) throw new Error(`${where} is a ${Object.keys(r.label)[0]} label, not boxes: COCO holds only boxes`);
    const m = metaOf(meta, r.item);
    if (!m) throw new Error(`${where} has no metadata (cid, file name, size)`);
    if (m.width === undefined || m.height === undefined) throw new Error(`${where} has no image width and height`);
    const image_id = r.index + 1;
    images.push({ id: image_id, file_name: m.fileName ?? m.cid, width: m.width, height: m.height, crowdlabel_item: r.item, crowdlabel_cid: m.cid });
    for (const b of r.label.boxes) {
      if (!Number.isInteger(b.class) || b.class < 0 || b.class >= classes.length) {
        throw new Error(`${where} has a box of class ${b.class}, but there are ${classes.length} classes (0..${classes.length - 1})`);
      }
      const w = b.xMax - b.xMin;
      const h = b.yMax - b.yMin;
      if (w <= 0 || h <= 0) throw new Error(`${where} has an empty box ${b.xMin} ${b.yMin} ${b.xMax} ${b.yMax}`);
      annotations.push({
        id: annotations.length + 1, image_id, category_id: b.class + 1, bbox: [b.xMin, b.yMin, w, h], area: w * h,
        iscrowd: 0, crowdlabel_agreement: Number(r.agreement),
      });
    }
  }
  return {
    info: { description: 'CrowdLabel job results', date_created: new Date().toISOString(), ...info },
    images,
    annotations,
    categories: classes.map((name, i) => ({ id: i + 1, name, supercategory: 'object' })),
  };
}

/** The boxes of each item of a COCO file written by {@link toCoco} (items without boxes too). */
export function fromCoco(coco: Coco): Map<string, BoundingBox[]> {
  if (!coco || !Array.isArray(coco.images) || !Array.isArray(coco.annotations)) {
    throw new Error('not a COCO file: no images or annotations array');
  }
  const byImage = new Map<number, BoundingBox[]>();
  const out = new Map<string, BoundingBox[]>();
  for (const img of coco.images) {
    if (typeof img.crowdlabel_item !== 'string') throw new Error(`COCO image ${img.id} has no crowdlabel_item`);
    if (byImage.has(img.id)) throw new Error(`COCO image id ${img.id} appears twice`);
    const boxes: BoundingBox[] = [];
    byImage.set(img.id, boxes);
    out.set(img.crowdlabel_item, boxes);
  }
  for (const a of coco.annotations) {
    const boxes = byImage.get(a.image_id);
    if (!boxes) throw new Error(`COCO annotation ${a.id} refers to image ${a.image_id}, which is not in images`);
    const [x, y, w, h] = a.bbox ?? [];
    const ints = [x, y, w, h, a.category_id];
    if (!ints.every((n) => Number.isInteger(n) && n >= 0) || w <= 0 || h <= 0 || a.category_id < 1) {
      throw new Error(`COCO annotation ${a.id} is not a box of whole pixels of a category 1.. (bbox ${JSON.stringify(a.bbox)}, category ${a.category_id})`);
    }
    boxes.push({ xMin: x, yMin: y, xMax: x + w, yMax: y + h, class: a.category_id - 1 });
  }
  return out;
}
