// Drives a running Parley with the official Wix JavaScript SDK (@wix/sdk + @wix/inbox + @wix/crm), replaying
// the sample calls of the Send Message reference and flow A of wix-compatibility 8.1. Run by SdkCompatibilityTest; exits non-zero on any mismatch.
//   PARLEY_HOST=127.0.0.1:8080 PARLEY_SITE_ID=… PARLEY_API_KEY=… node inbox-sdk.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient, ApiKeyStrategy } from '@wix/sdk';
import { conversations, messages } from '@wix/inbox';
import { contacts } from '@wix/crm';

const host = process.env.PARLEY_HOST;
// The SDK always builds https:// URLs (wix-compatibility 11); the test server speaks plain HTTP on loopback.
const plainHttp = (url, init) => fetch(String(url instanceof Request ? url.url : url).replace(/^https:/, 'http:'),
    url instanceof Request ? url : init);

const client = createClient({
  modules: { conversations, messages, contacts },
  auth: ApiKeyStrategy({ apiKey: process.env.PARLEY_API_KEY, siteId: process.env.PARLEY_SITE_ID }),
  host: { apiBaseUrl: host },
  fetch: plainHttp,
});

const step = (name) => console.log(`ok  ${name}`);

// Flow A (wix-compatibility 8.1): find the contact by email (one email may belong to two contacts), get or create its
// conversation, mirror the external message business-only with a badge naming the origin.
const email = `carla.${randomUUID()}@example.org`;
const carla = await client.contacts.createContact({ name: { first: 'Carla' }, emails: { items: [{ email }] } });
const carlaId = carla.contact._id;
assert.equal(carla.contact.primaryInfo.email, email);
await assert.rejects(client.contacts.createContact({ emails: { items: [{ email }] } }));
const twin = await client.contacts.createContact({ name: { first: 'Carla (shop)' }, emails: { items: [{ email: email.toUpperCase() }] } },
    { allowDuplicates: true });
const matches = await client.contacts.queryContacts().eq('info.emails.email', email).find();
assert.deepEqual(matches.items.map((c) => c._id).sort(), [carlaId, twin.contact._id].sort());
const primary = matches.items.find((c) => c.primaryInfo.email === email);
assert.equal(primary._id, carlaId);
step('queryContacts by email (two contacts, one email)');
const mirrored = await client.conversations.getOrCreateConversation({ contactId: primary._id });
const inbound = await client.messages.sendMessage(mirrored.conversation._id, {
  direction: 'PARTICIPANT_TO_BUSINESS', visibility: 'BUSINESS',
  content: { basic: { items: [{ text: 'Hi, is my order ready? (via Facebook)' }] } },
  badges: [{ text: 'Facebook', iconUrl: 'https://static.example.org/facebook.png' }],
}, { sendAs: 'PARTICIPANT' });
assert.equal(inbound.message.visibility, 'BUSINESS');
assert.equal(inbound.message.badges[0].text, 'Facebook');
assert.equal(inbound.message.sender.contactId, carlaId);
const fetched = await client.contacts.getContact(carlaId);
assert.equal(fetched.lastActivity.activityType, 'INBOX_MESSAGE_FROM_CUSTOMER');
step('flow A: getOrCreateConversation + mirrored business-only message with a badge');

// getOrCreateConversation for a contact, then the basic and template samples.
const contactId = (await client.contacts.createContact({ name: { first: 'Nora' } })).contact._id;
const created = await client.conversations.getOrCreateConversation({ contactId });
assert.equal(created.newConversation, true);
assert.equal(created.conversation.participant.contactId, contactId);
const again = await client.conversations.getOrCreateConversation({ contactId });
assert.equal(again.newConversation, false);
assert.equal(again.conversation._id, created.conversation._id);
const conversationId = created.conversation._id;
step('getOrCreateConversation (contact)');

const basic = await client.messages.sendMessage(conversationId, {
  direction: 'BUSINESS_TO_PARTICIPANT',
  visibility: 'BUSINESS_AND_PARTICIPANT',
  content: { previewText: 'Your receipt', basic: { items: [
    { text: 'Thanks for your order!' },
    { image: { url: 'https://static.example.org/cake.jpg', width: 800, height: 600 } },
  ] } },
}, { sendAs: 'CALLER' });
assert.equal(basic.message.content.contentType, 'BASIC');
assert.equal(basic.message.content.basic.items[0].text, 'Thanks for your order!');
assert.equal(basic.message.content.basic.items[1].image.width, 800);
assert.match(basic.message._id, /^\d+$/);
assert.ok(basic.message._createdDate instanceof Date || typeof basic.message._createdDate === 'string');
step('sendMessage basic');

const template = await client.messages.sendMessage(conversationId, {
  direction: 'BUSINESS_TO_PARTICIPANT',
  visibility: 'BUSINESS_AND_PARTICIPANT',
  content: { template: {
    title: 'Order #1042 is ready',
    imageUrl: 'https://static.example.org/order.png',
    textLines: ['Pick-up is open until 18:00.'],
    buttons: [
      { label: 'Directions', launchUrl: 'https://maps.example.org/acme' },
      { label: 'Reschedule', postbackProperties: { interactionId: 'order-1042-reschedule' } },
    ],
  } },
});
const buttons = template.message.content.template.buttons;
assert.equal(buttons[0].launchUrl, 'https://maps.example.org/acme');
assert.equal(buttons[1].postbackProperties.interactionId, 'order-1042-reschedule');
assert.equal(buttons[1].postbackProperties.appId, template.message.appId);
assert.equal(template.message.content.template.orientation, 'PORTRAIT');
step('sendMessage template with a launch button and a postback button');

// minimal for an anonymous visitor, business-only, attributed to the visitor.
const visitorId = randomUUID();
const visitor = await client.conversations.getOrCreateConversation({ anonymousVisitorId: visitorId });
const minimal = await client.messages.sendMessage(visitor.conversation._id, {
  direction: 'PARTICIPANT_TO_BUSINESS',
  visibility: 'BUSINESS',
  content: { minimal: { text: 'New Like', iconUrl: 'https://static.example.org/like.svg' } },
}, { sendAs: 'PARTICIPANT' });
assert.equal(minimal.message.content.minimal.text, 'New Like');
assert.equal(minimal.message.sender.anonymousVisitorId, visitorId);
step('sendMessage minimal for an anonymous visitor');

// form for a member (registered through Parley's own API: the Members API is not part of the Wix subset).
const mia = await client.contacts.createContact({ name: { first: 'Mia' } });
const registered = await plainHttp(`https://${host}/parley/v1/members`, { method: 'POST',
  headers: { Authorization: process.env.PARLEY_API_KEY, 'Content-Type': 'application/json' },
  body: JSON.stringify({ contactId: mia.contact._id }) });
assert.equal(registered.status, 200);
const memberId = (await registered.json()).member.id;
const member = await client.conversations.getOrCreateConversation({ memberId });
const form = await client.messages.sendMessage(member.conversation._id, {
  direction: 'PARTICIPANT_TO_BUSINESS',
  visibility: 'BUSINESS',
  content: { form: {
    title: 'Contact form', description: 'Sent from the footer',
    fields: [{ name: 'Email', value: 'mia@example.org' }, { name: 'Message', value: 'Do you ship to Haifa?' }],
    media: [{ image: { url: 'https://static.example.org/photo.jpg' } }],
  } },
}, { sendAs: 'PARTICIPANT', silent: true });
assert.equal(form.message.content.form.fields[1].value, 'Do you ship to Haifa?');
assert.equal(form.message.sender.memberId, memberId);
step('sendMessage form for a member');

// getConversation.
const got = await client.conversations.getConversation(conversationId);
const conversation = got.conversation ?? got;
assert.equal(conversation._id, conversationId);
assert.equal(conversation.participant.contactId, contactId);
assert.ok(conversation.businessDisplayData.name.length > 0);
step('getConversation');

// listMessages with paging: two pages of one, oldest first, then the participant's view.
for (let i = 0; i < 3; i++) {
  await client.messages.sendMessage(conversationId, {
    direction: 'PARTICIPANT_TO_BUSINESS', visibility: i === 1 ? 'BUSINESS' : 'BUSINESS_AND_PARTICIPANT',
    content: { basic: { items: [{ text: `reply ${i}` }] } },
  });
}
const seen = [];
let cursor;
do {
  const page = await client.messages.listMessages(conversationId, 'BUSINESS', {
    paging: { limit: 2, cursor }, sorting: { fieldName: 'sequence', order: 'ASC' },
  });
  seen.push(...page.messages.map((m) => m._id));
  cursor = page.pagingMetadata?.cursors?.next;
} while (cursor);
assert.equal(seen.length, 5);
assert.equal(seen[0], basic.message._id);
assert.deepEqual([...seen].sort(), seen);
const participantView = await client.messages.listMessages(conversationId, 'BUSINESS_AND_PARTICIPANT');
assert.equal(participantView.messages.length, 4);
assert.ok(participantView.messages.every((m) => m.visibility === 'BUSINESS_AND_PARTICIPANT'));
step('listMessages with paging and visibility');

// A refused message surfaces as an SDK error with the Wix envelope.
await assert.rejects(
  client.messages.sendMessage(conversationId, {
    direction: 'BUSINESS_TO_PARTICIPANT', visibility: 'BUSINESS', content: { system: { text: 'nope' } },
  }),
  (error) => error.status === 400
      && error.details.validationError.fieldViolations[0].field === 'message.content.system',
);
step('a system message is refused with 400');
console.log('all SDK calls answered as the SDK expects');
