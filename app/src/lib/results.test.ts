// Job results export to CSV (every label kind) and to COCO (boxes), and COCO reads back.
import { describe, expect, it } from 'vitest';
import { csvField, fromCoco, labelText, toCoco, toCsv, type ItemMeta, type ItemResult } from './results';

const digest = (b: string) => `0x${b.repeat(32)}`;
const [A, B, C] = [digest('aa'), digest('bb'), digest('cc')];
const meta = new Map<string, ItemMeta>([
  [A, { cid: 'bafkreia', fileName: 'street, 1.jpg', width: 640, height: 480 }],
  [B, { cid: 'bafkreib', width: 100, height: 50 }],
  [C, { cid: 'bafkreic', fileName: 'empty.png', width: 10, height: 10 }],
]);
const classes = ['car', 'person "pedestrian"', 'bike'];

const boxResults: ItemResult[] = [
  {
    index: 0, item: A, agreement: '0.911161731',
    label: { boxes: [{ xMin: 10, yMin: 20, xMax: 110, yMax: 70, class: 0 }, { xMin: 0, yMin: 0, xMax: 5, yMax: 8, class: 2 }] },
  },
  { index: 1, item: B, agreement: '1', label: { boxes: [{ xMin: 3, yMin: 4, xMax: 4, yMax: 50, class: 1 }] } },
  { index: 2, item: C, agreement: '0', label: { boxes: [] } },
];

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });

  it('writes class labels by name, or by id without a name', () => {
    const results: ItemResult[] = [
      { index: 0, item: A, label: { class: 1 }, agreement: '0.5' },
      { index: 1, item: B, label: { class: 0 }, agreement: '0.75' },
      { index: 7, item: C, label: { class: 5 }, agreement: '1' },
    ];
    expect(toCsv(results, meta, classes)).toBe(
      'index,item,cid,label,agreement\r\n' +
        `0,${A},bafkreia,"person ""pedestrian""",0.5\r\n` +
        `1,${B},bafkreib,car,0.75\r\n` +
        `7,${C},bafkreic,5,1\r\n`,
    );
    expect(toCsv(results.slice(0, 1), meta)).toBe(`index,item,cid,label,agreement\r\n0,${A},bafkreia,1,0.5\r\n`);
  });

  it('writes scores as decimals and items without metadata with an empty cid', () => {
    const results: ItemResult[] = [
      { index: 0, item: A, label: { score: '4.25' }, agreement: '0.8' },
      { index: 1, item: digest('dd'), label: { score: '3' }, agreement: '0.123456789' },
    ];
    expect(toCsv(results, { [A]: { cid: 'bafkreia' } })).toBe(
      `index,item,cid,label,agreement\r\n0,${A},bafkreia,4.25,0.8\r\n1,${digest('dd')},,3,0.123456789\r\n`,
    );
  });

  it('writes boxes as "xMin yMin xMax yMax class" joined by ";"', () => {
    expect(labelText(boxResults[0].label, classes)).toBe('10 20 110 70 0;0 0 5 8 2');
    expect(toCsv(boxResults, meta, classes).split('\r\n')).toEqual([
      'index,item,cid,label,agreement',
      `0,${A},bafkreia,10 20 110 70 0;0 0 5 8 2,0.911161731`,
      `1,${B},bafkreib,3 4 4 50 1,1`,
      `2,${C},bafkreic,,0`,
      '',
    ]);
  });
});

describe('COCO', () => {
  it('writes images, annotations and categories with 1-based ids', () => {
    const coco = toCoco(boxResults, meta, classes, { description: 'job 4', version: '1' });
    expect(coco.info).toMatchObject({ description: 'job 4', version: '1' });
    expect(new Date(coco.info.date_created).getTime()).not.toBeNaN();
    expect(coco.images).toEqual([
      { id: 1, file_name: 'street, 1.jpg', width: 640, height: 480, crowdlabel_item: A, crowdlabel_cid: 'bafkreia' },
      { id: 2, file_name: 'bafkreib', width: 100, height: 50, crowdlabel_item: B, crowdlabel_cid: 'bafkreib' },
      { id: 3, file_name: 'empty.png', width: 10, height: 10, crowdlabel_item: C, crowdlabel_cid: 'bafkreic' },
    ]);
    expect(coco.annotations).toEqual([
      { id: 1, image_id: 1, category_id: 1, bbox: [10, 20, 100, 50], area: 5000, iscrowd: 0, crowdlabel_agreement: 0.911161731 },
      { id: 2, image_id: 1, category_id: 3, bbox: [0, 0, 5, 8], area: 40, iscrowd: 0, crowdlabel_agreement: 0.911161731 },
      { id: 3, image_id: 2, category_id: 2, bbox: [3, 4, 1, 46], area: 46, iscrowd: 0, crowdlabel_agreement: 1 },
    ]);
    expect(coco.categories).toEqual([
      { id: 1, name: 'car', supercategory: 'object' },
      { id: 2, name: 'person "pedestrian"', supercategory: 'object' },
      { id: 3, name: 'bike', supercategory: 'object' },
    ]);
    expect(toCoco(boxResults, meta, classes).info.description).toBe('CrowdLabel job results');
  });

  it('reads back the boxes of every item, through JSON', () => {
    const back = fromCoco(JSON.parse(JSON.stringify(toCoco(boxResults, meta, classes))));
    expect([...back.keys()]).toEqual([A, B, C]);
    for (const r of boxResults) expect(back.get(r.item)).toEqual('boxes' in r.label ? r.label.boxes : undefined);
  });

  it('refuses labels that are not boxes, unknown classes, empty boxes, missing sizes', () => {
    expect(() => toCoco([{ index: 3, item: A, label: { class: 1 }, agreement: '1' }], meta, classes)).toThrow(
      /result 3 .* is a class label, not boxes/,
    );
    expect(() => toCoco([{ index: 0, item: A, label: { score: '2' }, agreement: '1' }], meta, classes)).toThrow(/score label/);
    const box = (cls: number, xMax = 5) => [{ index: 0, item: A, label: { boxes: [{ xMin: 1, yMin: 1, xMax, yMax: 5, class: cls }] }, agreement: '1' }];
    expect(() => toCoco(box(3), meta, classes)).toThrow(/class 3, but there are 3 classes \(0\.\.2\)/);
    expect(() => toCoco(box(0), meta, [])).toThrow(/class 0, but there are 0 classes/);
    expect(() => toCoco(box(0, 1), meta, classes)).toThrow(/empty box/);
    expect(() => toCoco(box(0), new Map(), classes)).toThrow(/no metadata/);
    expect(() => toCoco(box(0), { [A]: { cid: 'bafkreia' } }, classes)).toThrow(/no image width and height/);
  });

  it('refuses COCO files it cannot map back to items', () => {
    const coco = toCoco(boxResults, meta, classes);
    expect(() => fromCoco({ ...coco, annotations: [{ ...coco.annotations[0], image_id: 9 }] })).toThrow(/image 9, which is not in images/);
    expect(() => fromCoco({ ...coco, annotations: [{ ...coco.annotations[0], bbox: [1.5, 0, 2, 2] }] })).toThrow(/whole pixels/);
    expect(() => fromCoco({ ...coco, images: [coco.images[0], coco.images[0]] })).toThrow(/appears twice/);
    expect(() => fromCoco({} as never)).toThrow(/not a COCO file/);
  });
});
