// The chain's label types and their SCALE encoding, independent of a node's metadata (the
// format is fixed: docs/commitments.md). `crowdlabel_labels::Label`:
//   Boxes(Vec<BoundingBox>) = 0x00, Class(u16) = 0x01, Score(u16) = 0x02;
//   BoundingBox = x_min, y_min, x_max, y_max (u32 LE, half-open pixels), class (u16 LE).
import { TypeRegistry } from '@polkadot/types';

export interface BoundingBox {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  class: number;
}

export type Label = { Boxes: BoundingBox[] } | { Class: number } | { Score: number };

export const registry = new TypeRegistry();
registry.register({
  CrowdLabelBoundingBox: { xMin: 'u32', yMin: 'u32', xMax: 'u32', yMax: 'u32', class: 'u16' },
  CrowdLabelLabel: { _enum: { Boxes: 'Vec<CrowdLabelBoundingBox>', Class: 'u16', Score: 'u16' } },
  // A consensus label (dataset leaves): the score is a FixedU128 (18 decimals).
  CrowdLabelConsensus: { _enum: { Boxes: 'Vec<CrowdLabelBoundingBox>', Class: 'u16', Score: 'u128' } },
});

/** SCALE of one label. */
export function encodeLabel(label: Label): Uint8Array {
  return registry.createType('CrowdLabelLabel', label).toU8a();
}

/** SCALE of `Vec<Label>` (a package's labels). */
export function encodeLabels(labels: Label[]): Uint8Array {
  return registry.createType('Vec<CrowdLabelLabel>', labels).toU8a();
}

/** SCALE of `Vec<(u32, Label)>` (a job's hidden challenge answers). */
export function encodeAnswers(answers: [number, Label][]): Uint8Array {
  return registry.createType('Vec<(u32, CrowdLabelLabel)>', answers).toU8a();
}
