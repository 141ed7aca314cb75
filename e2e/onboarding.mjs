// Onboarding end to end (issue 15, item 3): a sponsor registers a newcomer who holds no CROL and
// pays the registration deposit, batching a little CROL for fees; the newcomer works with it and
// leaves, and the deposit returns to the sponsor, not to the newcomer. A second sponsorship is
// ended by its sponsor; a stranger cannot end it, and the newcomer cannot pocket the deposit.
import { mnemonicGenerate } from '@polkadot/util-crypto';
import {
  CROL, connect, assert, assertEq, sendAndFinalize, findEvent, expectError, freeOf, feeOf, heldFor,
} from './lib.mjs';

const { api, keyring, dev } = await connect();
try {
  const deposit = api.consts.labelers.registrationDeposit.toBigInt();
  const sponsor = dev.bob;
  const newcomer = keyring.addFromUri(mnemonicGenerate());
  const total = async (who) => {
    const a = await api.query.system.account(who.address ?? who);
    return a.data.free.toBigInt() + a.data.reserved.toBigInt();
  };
  assertEq(await total(newcomer), 0n, 'the newcomer starts without CROL');

  // 1. Sponsorship and pocket money in one batch, signed by the sponsor alone.
  const heldBefore = await heldFor(api, sponsor, 'Labelers', 'SponsoredRegistration');
  const pocket = 2n * CROL;
  const batch = api.tx.utility.batchAll([
    api.tx.labelers.sponsorRegistration(newcomer.address, []),
    api.tx.balances.transferKeepAlive(newcomer.address, pocket),
  ]);
  let r = await sendAndFinalize(api, batch, sponsor);
  const ev = findEvent(r.events, 'labelers', 'RegistrationSponsored');
  assert(ev, 'labelers.RegistrationSponsored emitted');
  assertEq(ev.data.labeler.toString(), newcomer.address, 'RegistrationSponsored.labeler');
  assertEq(ev.data.sponsor.toString(), sponsor.address, 'RegistrationSponsored.sponsor');
  assertEq(ev.data.deposit.toBigInt(), deposit, 'RegistrationSponsored.deposit');
  assertEq(
    await heldFor(api, sponsor, 'Labelers', 'SponsoredRegistration'), heldBefore + deposit,
    'the sponsor holds the deposit',
  );
  assertEq(await heldFor(api, newcomer, 'Labelers', 'Registration'), 0n, 'the newcomer holds nothing');
  assertEq(await freeOf(api, newcomer), pocket, 'the newcomer has only the pocket money');
  assertEq((await api.query.labelers.sponsors(newcomer.address)).unwrapOr(null)?.toString(), sponsor.address, 'Sponsors entry');
  console.log(`${sponsor.address} sponsored ${newcomer.address}: deposit ${deposit} plancks held on the sponsor`);

  // 2. The newcomer works as a labeler, paying only fees from the pocket money.
  r = await sendAndFinalize(api, api.tx.labelers.declareDomains([]), newcomer);
  let fees = feeOf(r.events, newcomer);
  assert((await api.query.labelers.registrations(newcomer.address)).isSome, 'the newcomer is registered');

  // 3. A stranger cannot end the sponsorship; the newcomer leaving refunds the sponsor.
  await expectError(
    sendAndFinalize(api, api.tx.labelers.endSponsorship(newcomer.address), dev.charlie),
    'labelers.NotSponsor', 'a stranger ends a sponsorship',
  );
  const sponsorFree = await freeOf(api, sponsor);
  r = await sendAndFinalize(api, api.tx.labelers.unregister(), newcomer);
  fees += feeOf(r.events, newcomer);
  const ended = findEvent(r.events, 'labelers', 'SponsorshipEnded');
  assert(ended, 'labelers.SponsorshipEnded emitted');
  assertEq(ended.data.refunded.toBigInt(), deposit, 'SponsorshipEnded.refunded');
  assertEq(await freeOf(api, sponsor), sponsorFree + deposit, 'the deposit went back to the sponsor');
  assertEq(await total(newcomer), pocket - fees, 'the newcomer kept the pocket money less fees, not the deposit');
  assert((await api.query.labelers.sponsors(newcomer.address)).isNone, 'Sponsors entry removed');
  console.log(`the newcomer left: ${deposit} plancks back to the sponsor, the newcomer paid ${fees} in fees`);

  // 4. A sponsor ends the sponsorship of an idle labeler (who keeps no deposit either).
  const second = keyring.addFromUri(mnemonicGenerate());
  await sendAndFinalize(api, api.tx.labelers.sponsorRegistration(second.address, []), sponsor);
  await expectError(
    sendAndFinalize(api, api.tx.labelers.sponsorRegistration(sponsor.address, []), sponsor),
    'labelers.SelfSponsorship', 'a sponsor sponsors itself',
  );
  r = await sendAndFinalize(api, api.tx.labelers.endSponsorship(second.address), sponsor);
  assert(findEvent(r.events, 'labelers', 'Unregistered'), 'the sponsored labeler was unregistered');
  assertEq(
    await heldFor(api, sponsor, 'Labelers', 'SponsoredRegistration'), heldBefore,
    'the sponsor holds nothing more for its sponsorships',
  );
  assertEq(await total(second), 0n, 'the second newcomer never held anything');
  console.log('ONBOARDING OK');
} finally {
  await api.disconnect();
}
