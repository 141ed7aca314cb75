// The chain's commitments, computed locally (the labels and the salt never leave the browser):
//   label:     blake2_256(SCALE((labeler: AccountId32, job: u32, package: u32, labels: Vec<Label>)) ++ salt)
//   challenge: blake2_256(SCALE((requester: AccountId32, answers: Vec<(u32, Label)>)) ++ salt)
//   gold:      blake2_256(SCALE(answer: Label) ++ salt)
// Same as `crowdlabel_labels::{label,challenge,gold}_commitment`; both sides check the shared
// vectors in test-vectors/vectors.json.
import { u8aConcat, u8aToHex, hexToU8a, isHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { encodeAnswers, encodeLabel, encodeLabels, registry, type Label } from './labels';

export type Bytes32 = Uint8Array;

/** 32 bytes of an account: an SS58 address or a 0x-prefixed public key. */
export function accountBytes(who: string | Uint8Array): Uint8Array {
  if (who instanceof Uint8Array) return checked(who, 'an account');
  if (isHex(who)) return checked(hexToU8a(who), 'an account');
  return checked(decodeAddress(who), 'an account');
}

function checked(b: Uint8Array, what: string): Uint8Array {
  if (b.length !== 32) throw new Error(`${what} is exactly 32 bytes, not ${b.length}`);
  return b;
}

function saltBytes(salt: Bytes32 | string): Uint8Array {
  return checked(typeof salt === 'string' ? hexToU8a(salt) : salt, 'a salt');
}

const u32 = (n: number) => registry.createType('u32', n).toU8a();

export function labelCommitment(
  labeler: string | Uint8Array,
  job: number,
  pkg: number,
  labels: Label[],
  salt: Bytes32 | string,
): string {
  return blake2AsHex(u8aConcat(accountBytes(labeler), u32(job), u32(pkg), encodeLabels(labels), saltBytes(salt)), 256);
}

export function challengeCommitment(requester: string | Uint8Array, answers: [number, Label][], salt: Bytes32 | string): string {
  return blake2AsHex(u8aConcat(accountBytes(requester), encodeAnswers(answers), saltBytes(salt)), 256);
}

export function goldCommitment(answer: Label, salt: Bytes32 | string): string {
  return blake2AsHex(u8aConcat(encodeLabel(answer), saltBytes(salt)), 256);
}

/** A fresh random salt (keep it: without it the labels cannot be revealed). */
export function newSalt(): Bytes32 {
  const s = new Uint8Array(32);
  crypto.getRandomValues(s);
  return s;
}

export const saltHex = (s: Bytes32) => u8aToHex(s);
