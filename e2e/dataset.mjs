// Datasets pallet end to end: two data owners register items by CID (Bob three, Ferdie one; a
// fifth item is never registered), a job labels all five (R = 3: Charlie, Dave and a fresh
// labeler), the requester publishes the dataset, Eve buys it, and every owner and labeler claims
// exactly what the split promises. The Merkle
// root is rebuilt here from the chain's consensus labels and a proof is checked off chain.
// Then Ferdie withdraws consent: a second sale excludes his item and costs 3/4 of the price.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex, hexToU8a, u8aEq } from '@polkadot/util';
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, sendAndFinalize, qualifiedDomain, palletAccount,
  labelJob, fund, feeOf, heldFor, expectError,
} from './lib.mjs';

const { api, keyring, dev } = await connect();
const { alice, bob, charlie, dave, eve, ferdie } = dev;
// A third labeler (R = 3), fresh for every run.
const gina = keyring.addFromUri(`//CrowdLabelDatasetLabeler/${process.env.CROWDLABEL_RUN ?? Date.now()}`);
// `PalletId(*b"...").into_account_truncating()`: "modl" ++ id ++ zero padding.
const TREASURY = await palletAccount(api, 'crl/trsy');
const PALLET = await palletAccount(api, 'crl/data');
const free = async (who, at) => (await api.query.system.account.at(at, who)).data.free.toBigInt();

// CIDv1 raw sha2-256 text form: 'b' + base32(0x01 0x55 0x12 0x20 ++ digest).
function cidString(bytes) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = 'b', acc = 0, bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b; bits += 8;
    while (bits >= 5) { bits -= 5; out += alphabet[(acc >> bits) & 31]; }
    acc &= 0xff;
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out;
}

// Largest-remainder split, as in `crowdlabel_consensus::split_proportional`.
function splitProportional(total, shares) {
  const sum = shares.reduce((a, b) => a + b, 0n);
  const parts = shares.map((s) => (total * s) / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = shares.map((s, i) => [(total * s) % sum, i]).sort((x, y) => (y[0] > x[0] ? 1 : y[0] < x[0] ? -1 : x[1] - y[1]));
  for (const [, i] of order) { if (left === 0n) break; parts[i] += 1n; left -= 1n; }
  return parts;
}

// The dataset Merkle tree (see `crowdlabel_content::merkle`), with BLAKE2b-256.
const H = (u8a) => blake2AsU8a(u8a, 256);
const leafHash = (data) => H(u8aConcat(new Uint8Array([0]), data));
const nodeHash = (l, r) => H(u8aConcat(new Uint8Array([1]), l, r));
function merkleRoot(leaves) {
  let level = leaves;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
function merkleProof(leaves, index) {
  const path = [];
  let level = leaves, idx = index;
  while (level.length > 1) {
    if ((idx ^ 1) < level.length) path.push(level[idx ^ 1]);
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i]);
    level = next; idx >>= 1;
  }
  return path;
}
function merkleVerify(root, leaf, index, count, proof) {
  let idx = index, len = count, cur = leaf, k = 0;
  while (len > 1) {
    if (idx % 2 === 1 || idx + 1 < len) {
      const sib = proof[k++];
      if (!sib) return false;
      cur = idx % 2 === 1 ? nodeHash(sib, cur) : nodeHash(cur, sib);
    }
    idx >>= 1; len = Math.ceil(len / 2);
  }
  return k === proof.length && u8aEq(cur, root);
}

try {
  // Five "images": their bytes, SHA2-256 digests and CIDs.
  const dir = mkdtempSync(join(tmpdir(), 'crowdlabel-items-'));
  const files = [1, 2, 3, 4, 5].map((i) => {
    const path = join(dir, `item${i}.bin`);
    const bytes = Buffer.from(`CrowdLabel e2e image #${i} `.repeat(40 * i));
    writeFileSync(path, bytes);
    const digest = createHash('sha256').update(bytes).digest();
    const cid = u8aConcat(new Uint8Array([0x01, 0x55, 0x12, 0x20]), digest);
    return { path, hash: u8aToHex(digest), cid: u8aToHex(cid), text: cidString(cid) };
  });
  // The off-chain helper computes the same CIDs as this test (and as `ipfs add
  // --cid-version 1 --raw-leaves`).
  if (process.env.CROWDLABEL_CID_BIN) {
    const out = execFileSync(process.env.CROWDLABEL_CID_BIN, files.map((f) => f.path)).toString().trim().split('\n');
    files.forEach((f, i) => assertEq(out[i].split(/\s+/)[0], f.text, `crowdlabel-cid of item ${i + 1}`));
    console.log(`crowdlabel-cid agrees on ${files.length} CIDs (e.g. ${files[0].text})`);
  }

  await fund(api, alice, [gina]);
  const domain = await qualifiedDomain(api, alice, [charlie, dave, gina]);
  console.log(`domain ${domain}: Charlie, Dave and Gina (a fresh account with 1000 CROL) qualified`);

  // Bob registers items 1-3, Ferdie item 4 (both opt in); item 5 stays unregistered.
  let r = await sendInBlock(api, api.tx.datasets.registerItems(domain, 'CC-BY-4.0', true, files.slice(0, 3).map((f) => f.cid)), bob);
  assertEq(eventsOf(r.events, 'datasets', 'ItemRegistered').length, 3, 'Bob registered 3 items');
  await sendInBlock(api, api.tx.datasets.registerItems(domain, 'CC0-1.0', true, [files[3].cid]), ferdie);
  const reg = (await api.query.datasets.dataItems(files[0].hash)).unwrap();
  assertEq(reg.owner.toString(), bob.address, 'owner of item 1');
  assertEq(reg.deposit.toBigInt(), CROL / 10n, 'item deposit 0.1 CROL');

  // Alice's job over the five items: one package, R = 3, budget 100 CROL.
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: files.map((f) => f.hash), redundancy: 3, packageSize: 5, budget: 100n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice);
  const job = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const labels = [0, 1, 2, 3, 4].map((i) => ({ Boxes: [{ xMin: 10 * i, yMin: 0, xMax: 10 * i + 40, yMax: 40, class: i % 2 }] }));
  // Dave's boxes are a few pixels off: lower agreement, so a lower weight a than Charlie's.
  const offset = labels.map((l) => ({ Boxes: l.Boxes.map((b) => ({ ...b, xMax: b.xMax + 4, yMax: b.yMax + 4 })) }));
  const crew = [charlie, dave, gina];
  // The three take the one package (the pallet assigns it), commit, reveal; the last reveal
  // judges it.
  const labeled = await labelJob(api, job, [[charlie, labels], [dave, offset], [gina, labels]]);
  labeled.taken.forEach((t) => assertEq(t.map((x) => x.package), [0], 'each labeler holds the one package'));
  assert(findEvent(labeled.events, 'jobs', 'PackageCompleted'), 'package complete');
  r = await sendInBlock(api, api.tx.jobs.settleJob(job), alice);
  assertEq(eventsOf(r.events, 'jobs', 'RewardCredited').length, 3, 'three labelers credited');
  console.log(`job ${job} labeled and settled`);

  // Publish at 1000 CROL: item 5 has no registered owner and is left out.
  r = await sendInBlock(api, api.tx.datasets.publishDataset(job, 1000n * CROL), alice);
  const pub = findEvent(r.events, 'datasets', 'DatasetPublished').data;
  const dataset = pub.dataset.toNumber();
  assertEq(pub.items.toNumber(), 4, 'dataset has the 4 registered items');
  const pubParent = (await api.rpc.chain.getHeader(r.blockHash)).parentHash;
  assertEq((await heldFor(api, alice, 'Datasets', 'DatasetStorage', r.blockHash)) - (await heldFor(api, alice, 'Datasets', 'DatasetStorage', pubParent)),
    pub.deposit.toBigInt(), 'the publisher holds the dataset\'s storage deposit');
  const ds = (await api.query.datasets.datasetDetails(dataset)).unwrap();
  assertEq(ds.certificate.labelers.toNumber(), 3, 'certificate: 3 labelers');
  assertEq(ds.certificate.redundancy.toNumber(), 3, 'certificate: R = 3');
  const agreement = ds.certificate.meanAgreement.toNumber();
  assert(agreement > 700_000_000 && agreement < 1_000_000_000, `certificate: mean agreement ${agreement} below 100% (Dave's offset boxes)`);

  // Rebuild the root from the consensus labels and check a proof off chain.
  const leaves = [];
  // Results are stored per package (the package's items in order).
  const size = (await api.query.jobs.jobDetails(job)).unwrap().packageSize.toNumber();
  for (const [index, item] of (await api.query.datasets.datasetItems(dataset)).map(([i, h]) => [i.toNumber(), h])) {
    const result = (await api.query.jobs.results(job, Math.floor(index / size))).unwrap()[index % size];
    leaves.push(leafHash(u8aConcat(item.toU8a(), result.label.toU8a())));
  }
  const root = merkleRoot(leaves);
  assertEq(u8aToHex(root), ds.root.toHex(), 'Merkle root rebuilt from the chain state');
  const proof = merkleProof(leaves, 2);
  assert(merkleVerify(root, leaves[2], 2, leaves.length, proof), 'proof of leaf 2 verifies');
  const tampered = leafHash(u8aConcat(hexToU8a(files[2].hash), new Uint8Array([0, 0])));
  assert(!merkleVerify(root, tampered, 2, leaves.length, proof), 'a tampered leaf does not');
  console.log(`root ${ds.root.toHex()} rebuilt; inclusion proof of leaf 2 (${proof.length} hashes) verified`);

  // Eve buys. Split of 1000 CROL: owners 40% (100 CROL per item: Bob 300, Ferdie 100),
  // labelers 40% by a * W, the treasury 20%.
  const contributors = (await api.query.datasets.datasetContributors(dataset)).map((c) => ({
    who: c.labeler.toString(),
    share: c.weight.toBigInt() * c.work.toBigInt(),
  }));
  const expectedLabelers = splitProportional(400n * CROL, contributors.map((c) => c.share));
  const shareOf = (w) => contributors.find((c) => c.who === w.address).share;
  assertEq(contributors.length, 3, 'three contributors');
  assert(shareOf(charlie) !== shareOf(dave), 'Charlie and Dave have different a * W');
  r = await sendAndFinalize(api, api.tx.datasets.purchaseDataset(dataset, 1000n * CROL), eve);
  const sale = findEvent(r.events, 'datasets', 'DatasetPurchased').data;
  assertEq(sale.price.toBigInt(), 1000n * CROL, 'price');
  assertEq(sale.reserve.toBigInt(), 200n * CROL, 'reserve 20%');
  const owners = Object.fromEntries(eventsOf(r.events, 'datasets', 'OwnerCredited').map((e) => [e.data.owner.toString(), e.data.amount.toBigInt()]));
  assertEq(owners[bob.address], 300n * CROL, 'Bob credited for 3 items');
  assertEq(owners[ferdie.address], 100n * CROL, 'Ferdie credited for 1 item');
  const credited = Object.fromEntries(eventsOf(r.events, 'datasets', 'LabelerCredited').map((e) => [e.data.labeler.toString(), e.data.amount.toBigInt()]));
  contributors.forEach((c, i) => assertEq(credited[c.who], expectedLabelers[i], `labeler ${c.who} credited by a * W`));
  const saleParent = (await api.rpc.chain.getHeader(r.blockHash)).parentHash;
  assertEq((await free(eve.address, saleParent)) - (await free(eve.address, r.blockHash)), 1000n * CROL + sale.deposit.toBigInt() + feeOf(r.events, eve),
    'Eve paid the price, the sale\'s storage deposit (held) and the fee');
  assertEq(await heldFor(api, eve, 'Datasets', 'SaleStorage', r.blockHash) - await heldFor(api, eve, 'Datasets', 'SaleStorage', saleParent),
    sale.deposit.toBigInt(), 'the sale\'s storage deposit is held from Eve');
  const treasuryGain = (await free(TREASURY, r.blockHash)) - (await free(TREASURY, saleParent));
  assertEq(treasuryGain, 200n * CROL, 'treasury received the reserve');
  const held = (await api.query.balances.holds.at(r.blockHash, PALLET)).map((h) => h.amount.toBigInt()).reduce((a, b) => a + b, 0n);
  assertEq(held, 800n * CROL, 'the pallet account holds the owners\' and labelers\' 800 CROL');
  const bobSales = await api.query.datasets.ownerSales.entries(bob.address);
  assert(bobSales.some(([k, v]) => k.args[1].toNumber() === sale.sale.toNumber() && v.unwrap().items.toNumber() === 3), 'Bob sees the sale of his 3 items');

  // Everyone claims: the balance change is the credited amount minus the claim's fee.
  const beneficiaries = [[bob, owners[bob.address]], [ferdie, owners[ferdie.address]], ...crew.map((w) => [w, credited[w.address]])];
  for (const [who, amount] of beneficiaries) {
    const res = await sendInBlock(api, api.tx.datasets.claimPayouts(), who);
    const header = await api.rpc.chain.getHeader(res.blockHash);
    const parent = header.parentHash;
    const claimed = findEvent(res.events, 'datasets', 'PayoutClaimed').data.amount.toBigInt();
    const fee = feeOf(res.events, who);
    const delta = (await free(who.address, res.blockHash)) - (await free(who.address, parent));
    assertEq(claimed, amount, `${who.address} claimed its credit`);
    assertEq(delta, amount - fee, `${who.address} received exactly its credit (minus the fee)`);
  }
  const heldAfter = (await api.query.balances.holds(PALLET)).map((h) => h.amount.toBigInt()).reduce((a, b) => a + b, 0n);
  assertEq(heldAfter, 0n, 'nothing left unclaimed');
  console.log(`sale ${sale.sale}: Bob 300, Ferdie 100 CROL; labelers ${expectedLabelers.join(', ')} plancks; reserve 200 CROL; all claimed`);

  // Ferdie withdraws consent: the next sale leaves item 4 out and costs 750 CROL.
  await sendInBlock(api, api.tx.datasets.setConsent(files[3].hash, false), ferdie);
  r = await sendInBlock(api, api.tx.datasets.purchaseDataset(dataset, 1000n * CROL), eve);
  const second = findEvent(r.events, 'datasets', 'DatasetPurchased').data;
  assertEq(second.price.toBigInt(), 750n * CROL, 'pro-rata price without item 4');
  assertEq(second.items.toNumber(), 3, '3 items sold');
  const again = eventsOf(r.events, 'datasets', 'OwnerCredited');
  assertEq(again.length, 1, 'only Bob is credited');
  assertEq(again[0].data.amount.toBigInt(), 300n * CROL, 'Bob: 40% of 750 for his 3 items');
  const excl = (await api.query.datasets.saleExclusions(second.sale)).unwrap().map((x) => x.toNumber());
  assertEq(JSON.stringify(excl), JSON.stringify([3]), 'leaf 3 (item 4) excluded');

  // The requester who paid for the labels (Alice, the publisher) takes 10% of later sales, out
  // of the platform's part: the next 750 CROL sale still pays Bob 300, the treasury keeps 75.
  await expectError(sendInBlock(api, api.tx.datasets.setPublisherShare(dataset, 100_000_000), eve), 'datasets.NotPublisher', 'only the publisher sets its share');
  await expectError(sendInBlock(api, api.tx.datasets.setPublisherShare(dataset, 100_000_001), alice), 'datasets.ShareAboveLimit', 'at most 10%');
  await sendInBlock(api, api.tx.datasets.setPublisherShare(dataset, 100_000_000), alice);
  r = await sendInBlock(api, api.tx.datasets.purchaseDataset(dataset, 1000n * CROL), eve);
  const third = findEvent(r.events, 'datasets', 'DatasetPurchased').data;
  const publisherPart = findEvent(r.events, 'datasets', 'PublisherCredited');
  assert(publisherPart && publisherPart.data.publisher.toString() === alice.address, 'the publisher is credited');
  assertEq(publisherPart.data.amount.toBigInt(), 75n * CROL, 'publisher: 10% of 750');
  assertEq(third.reserve.toBigInt(), 75n * CROL, 'treasury: 20% - 10% of 750');
  assertEq(eventsOf(r.events, 'datasets', 'OwnerCredited')[0].data.amount.toBigInt(), 300n * CROL, 'Bob unchanged: 40% of 750');
  assertEq((await api.query.datasets.salePublisherParts(third.sale)).unwrap().toBigInt(), 75n * CROL, 'the sale records the publisher part');
  console.log(`sale ${third.sale}: publisher share 10% -> Alice credited 75 CROL, treasury 75 CROL, Bob 300 CROL as before`);
  console.log('DATASET OK');
} finally {
  await api.disconnect();
}
