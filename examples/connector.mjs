// A connector for a custom channel (docs/channels.md), in Node.js 20 with nothing to install. It takes the
// service's webhooks in (here a made-up SMS service: POST /incoming {"id", "from", "text"}) and hands each message to
// Parley; it takes Parley's signed channel_outbound webhooks in (POST /parley), sends each reply through the
// service (POST SERVICE_SEND_URL {"to", "text"}) and reports how that went.
//
//   PARLEY_URL=http://localhost:8080 PARLEY_SITE_ID=… CHANNEL_ID=… CONNECTOR_KEY=prly_… WEBHOOK_SECRET=whsec_… \
//   SERVICE_SEND_URL=https://sms.example.com/send PORT=3000 node examples/connector.mjs
import {createServer} from 'node:http';
import {createHmac, timingSafeEqual} from 'node:crypto';

const env = process.env;

async function parley(path, body) {
    const response = await fetch(`${env.PARLEY_URL}${path}`, {method: 'POST', body: JSON.stringify(body),
        headers: {'Authorization': env.CONNECTOR_KEY, 'wix-site-id': env.PARLEY_SITE_ID,
            'Content-Type': 'application/json'}});
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
}

// Standard Webhooks: HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" under the subscription's secret.
function signedByParley(headers, body) {
    const secret = Buffer.from(env.WEBHOOK_SECRET.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', secret)
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
    const age = Math.abs(Date.now() / 1000 - Number(headers['webhook-timestamp']));
    return age < 300 && (headers['webhook-signature'] || '').split(' ').some((signature) => {
        const given = Buffer.from(signature.replace(/^v1,/, ''), 'base64');
        return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

// The body is a JWT (as Wix sends it); its "data" claim holds the envelope, whose "data" holds the event.
function event(jwt) {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
    const envelope = JSON.parse(claims.data);
    return {type: envelope.eventType, body: JSON.parse(envelope.data).actionEvent?.body};
}

async function incoming({id, from, text}) {
    await parley(`/parley/v1/channels/${env.CHANNEL_ID}/inbound`, {externalMessageId: id, sender: {phone: from},
        message: {content: {basic: {items: [{text}]}}}});
}

async function outbound({channelId, recipient, message}) {
    if (channelId !== env.CHANNEL_ID) return; // another channel's connector sends that one
    const text = (message.content.basic?.items || []).map((item) => item.text ?? item.file?.url ?? item.image?.url)
        .join('\n') || message.content.template?.title || '';
    const sent = await fetch(env.SERVICE_SEND_URL, {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({to: recipient.phone, text})});
    await parley(`/parley/v1/channels/${env.CHANNEL_ID}/deliveries`, sent.ok
        ? {messageId: message.id, state: 'DELIVERED'}
        : {messageId: message.id, state: 'FAILED', reason: `the service answered ${sent.status}`});
}

createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    try {
        if (request.url === '/incoming') {
            await incoming(JSON.parse(body));
        } else if (request.url === '/parley' && signedByParley(request.headers, body)) {
            const {type, body: payload} = event(body);
            if (type === 'parley.inbox.v1.message_channel_outbound') await outbound(payload);
        } else {
            response.writeHead(request.url === '/parley' ? 401 : 404).end();
            return;
        }
        response.writeHead(200).end();
    } catch (error) {
        console.error(error);
        response.writeHead(500).end(); // the sender tries again later: Parley and most services retry
    }
}).listen(Number(env.PORT || 3000), () => console.log('connector listening'));
