// Receives Parley's webhooks with the official Wix JavaScript SDK: client.webhooks.process() verifies each
// JWT with the public key taken from Parley's JWKS and dispatches it to the SDK's typed handler. Every event
// type Parley emits is triggered once; the script exits non-zero unless each reached its handler with the
// fields the SDK promises. Run by SdkCompatibilityTest:
//   PARLEY_HOST=127.0.0.1:8080 PARLEY_SITE_ID=… PARLEY_API_KEY=… node webhooks-sdk.mjs
import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createClient, ApiKeyStrategy, AppStrategy } from '@wix/sdk';
import { conversations, messages } from '@wix/inbox';
import { contacts } from '@wix/crm';

const host = process.env.PARLEY_HOST;
const apiKey = process.env.PARLEY_API_KEY;
const siteId = process.env.PARLEY_SITE_ID;
const base = `http://${host}`;
// The SDK always builds https:// URLs (wix-compatibility 11); the test server speaks plain HTTP on loopback.
const plainHttp = (url, init) => fetch(String(url instanceof Request ? url.url : url).replace(/^https:/, 'http:'),
    url instanceof Request ? url : init);
const api = createClient({
  modules: { conversations, messages, contacts },
  auth: ApiKeyStrategy({ apiKey, siteId }),
  host: { apiBaseUrl: host },
  fetch: plainHttp,
});
const parley = async (method, path, body) => {
  const response = await fetch(base + path, { method, body: body && JSON.stringify(body),
    headers: { Authorization: apiKey, 'wix-site-id': siteId, 'Content-Type': 'application/json' } });
  const json = await response.json();
  assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
};

// What each typed handler received, by event type.
const handled = new Map();
const handle = (type) => (event) => handled.set(type, [...(handled.get(type) ?? []), event]);
const SENT_TO_PARTICIPANT = 'wix.crm.inbox.v2.message_message_sent_to_participant';

// A receiver verifies with the key the JWT names (its header's kid), taken from Parley's JWKS; one SDK
// client per key, each with the typed handlers registered.
const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()).keys;
const receivers = new Map();
function receiverFor(jwt) {
  const { kid } = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
  if (!receivers.has(kid)) {
    const jwk = jwks.find((key) => key.kid === kid);
    assert.ok(jwk, `the JWT's key ${kid} is in Parley's JWKS`);
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const client = createClient({
      modules: { conversations, messages, contacts },
      auth: AppStrategy({ appId: randomUUID(), publicKey }),
    });
    client.messages.onMessageSentToBusiness(handle('sentToBusiness'));
    client.messages.onMessageButtonInteracted(handle('buttonInteracted'));
    client.conversations.onConversationConversationsMerged(handle('conversationsMerged'));
    client.contacts.onContactCreated(handle('contactCreated'));
    client.contacts.onContactUpdated(handle('contactUpdated'));
    client.contacts.onContactDeleted(handle('contactDeleted'));
    client.contacts.onContactMerged(handle('contactMerged'));
    receivers.set(kid, client);
  }
  return receivers.get(kid);
}

const failures = [];
const server = createServer(async (request, response) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  try {
    // The SDK has no handler for sent-to-participant; a receiver names it as an expected event.
    const processed = await receiverFor(body).webhooks.process(body, { expectedEvents: [{ type: SENT_TO_PARTICIPANT }] });
    if (processed.eventType === SENT_TO_PARTICIPANT) handle('sentToParticipant')(processed.payload);
    response.writeHead(200).end();
  } catch (error) {
    failures.push(error);
    response.writeHead(500).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
await parley('POST', '/parley/v1/webhooks', { url: `http://127.0.0.1:${server.address().port}/hooks` });

// Every event type, once: contact created, updated, merged (with its source deleted) and deleted; a
// visitor's message, the business's answer with a postback button, the press, and the visitor's link.
const email = `ida.${randomUUID()}@example.org`;
const ida = (await api.contacts.createContact({ name: { first: 'Ida' }, emails: { items: [{ email }] } })).contact;
await api.contacts.updateContact(ida._id, { name: { first: 'Ida', last: 'Lund' } }, ida.revision);
const twin = (await api.contacts.createContact({ name: { first: 'Ida (twin)' } })).contact;
await parley('POST', `/contacts/v4/contacts/${ida._id}/merge`, { targetContactRevision: 2, sourceContactIds: [twin._id] });
const gone = (await api.contacts.createContact({ name: { first: 'Gone' } })).contact;
await api.contacts.deleteContact(gone._id);

const visitorId = randomUUID();
const conversation = (await api.conversations.getOrCreateConversation({ anonymousVisitorId: visitorId })).conversation;
const question = (await api.messages.sendMessage(conversation._id, {
  direction: 'PARTICIPANT_TO_BUSINESS', visibility: 'BUSINESS_AND_PARTICIPANT',
  content: { basic: { items: [{ text: 'Do you deliver?' }] } },
}, { sendAs: 'PARTICIPANT' })).message;
const card = (await api.messages.sendMessage(conversation._id, {
  direction: 'BUSINESS_TO_PARTICIPANT', visibility: 'BUSINESS_AND_PARTICIPANT',
  content: { template: { title: 'We do', buttons: [{ label: 'Book', postbackProperties: { interactionId: 'book' } }] } },
})).message;
await parley('POST', `/parley/v1/conversations/${conversation._id}/messages/${card._id}/interactions`, { interactionId: 'book' });
const linked = await parley('POST', '/parley/v1/identity/link', { anonymousVisitorId: visitorId, contactId: ida._id });

const expected = { contactCreated: 3, contactUpdated: 1, contactMerged: 1, contactDeleted: 2, sentToBusiness: 1,
  sentToParticipant: 1, buttonInteracted: 1, conversationsMerged: 1 };
const deadline = Date.now() + 60_000;
while (Object.entries(expected).some(([type, n]) => (handled.get(type)?.length ?? 0) < n) && failures.length === 0) {
  assert.ok(Date.now() < deadline, `handlers reached: ${JSON.stringify(Object.fromEntries(
      [...handled].map(([type, events]) => [type, events.length])))}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
server.close();
if (failures.length > 0) throw failures[0];

const [sent] = handled.get('sentToBusiness');
assert.equal(sent.data.conversationId, conversation._id);
assert.equal(sent.data.message._id, question._id);
assert.equal(sent.data.message.content.basic.items[0].text, 'Do you deliver?');
assert.ok(sent.data.message._createdDate instanceof Date);
assert.equal(sent.metadata.entityId, question._id);
assert.equal(sent.metadata.instanceId, siteId);
console.log('ok  messages.onMessageSentToBusiness');

const [toParticipant] = handled.get('sentToParticipant');
assert.equal(toParticipant.actionEvent.body.message.id, card._id);
console.log('ok  message_sent_to_participant verified (no typed handler in the SDK)');

const [pressed] = handled.get('buttonInteracted');
assert.equal(pressed.data.interactionId, 'book');
assert.equal(pressed.data.conversationId, conversation._id);
assert.equal(pressed.data.interactedBy.anonymousVisitorId, visitorId);
console.log('ok  messages.onMessageButtonInteracted');

const [merged] = handled.get('conversationsMerged');
assert.equal(merged.data.targetConversationId, linked.conversationId);
assert.deepEqual(merged.data.oldConversationIds, [conversation._id]);
console.log('ok  conversations.onConversationConversationsMerged');

const created = handled.get('contactCreated').find((event) => event.entity._id === ida._id);
assert.equal(created.entity.info.name.first, 'Ida');
assert.equal(created.entity.primaryInfo.email, email);
assert.ok(created.entity._createdDate instanceof Date);
const [updated] = handled.get('contactUpdated');
assert.equal(updated.entity._id, ida._id);
assert.equal(updated.entity.info.name.last, 'Lund');
assert.equal(updated.entity.revision, 2);
console.log('ok  contacts.onContactCreated, contacts.onContactUpdated');

const [contactMerged] = handled.get('contactMerged');
assert.equal(contactMerged.data.targetContactId, ida._id);
assert.deepEqual(contactMerged.data.sourceContactIds, [twin._id]);
const deleted = handled.get('contactDeleted').map((event) => event.entity._id).sort();
assert.deepEqual(deleted, [twin._id, gone._id].sort());
assert.equal(handled.get('contactDeleted').find((event) => event.entity._id === twin._id).metadata.originatedFrom, 'merge');
console.log('ok  contacts.onContactMerged, contacts.onContactDeleted');
console.log('the official SDK verified and dispatched every webhook Parley sent');
