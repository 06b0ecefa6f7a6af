// How a message looks, in the dashboard and in the widget alike (wix-compatibility 6). Everything goes through
// lit-html templates, which escape what they insert; URLs pass through safeUrl, so only http(s) links and
// images are ever made (a "javascript:" URL renders as plain text).
import {html, nothing} from '/webjars/lit-html/3.3.2/lit-html.js';

export {html, nothing};
export {render} from '/webjars/lit-html/3.3.2/lit-html.js';

/** The URL if it is an absolute http(s) one, else null. */
export function safeUrl(value) {
    if (typeof value !== 'string') return null;
    try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
        return null;
    }
}

const link = (url, body) => {
    const href = safeUrl(url);
    return href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${body}</a>` : body;
};

const image = (url, alt) => {
    const src = safeUrl(url);
    return src ? html`<img src=${src} alt=${alt || 'image'} loading="lazy" referrerpolicy="no-referrer">` : nothing;
};

/**
 * Text without the characters that reorder what follows them (U+202A-U+202E, U+2066-U+2069): in a file name they
 * disguise one ("invoice\u202Efdp.exe" would read "invoiceexe.pdf"). Elsewhere text stays as written, isolated
 * (unicode-bidi: isolate in messages.css) so that it cannot reorder what is around it.
 */
export const withoutBidiControls = (text) => String(text ?? '').replace(/[\u202A-\u202E\u2066-\u2069]/g, '');

const imageItem = (img) => html`<div class="bubble media">${link(img.url, image(img.url, img.filename))}</div>`;

const fileItem = (file) => {
    const name = withoutBidiControls(file.filename) || 'file';
    const href = safeUrl(file.url);
    return html`<div class="bubble file">${href
        ? html`<a href=${href} target="_blank" rel="noopener noreferrer" download=${name}>⬇ ${name}</a>`
        : html`⬇ ${name}`}</div>`;
};

const mediaItem = (item) => item.image ? imageItem(item.image) : item.file ? fileItem(item.file) : nothing;

/**
 * Buttons of a template or system notice. A link button opens its URL in a new tab; a postback button
 * calls onPress (the widget) or is shown disabled (the dashboard: postbacks are the participant's).
 */
const buttons = (list, message, onPress, pressed) => (list || []).length === 0 ? nothing : html`<div class="buttons">
    ${list.map((button) => {
        const href = safeUrl(button.launchUrl);
        if (href) {
            return html`<a class="button" href=${href} target="_blank" rel="noopener noreferrer">${button.label}</a>`;
        }
        const interactionId = button.postbackProperties?.interactionId;
        const state = pressed?.(message, interactionId); // 'pressing', 'pressed' or nothing
        return html`<button type="button" class="button ${state || ''}" aria-pressed=${state === 'pressed' ? 'true' : 'false'}
            ?disabled=${!onPress || !interactionId || !!state}
            @click=${() => onPress(message, interactionId)}>${state === 'pressed' ? '✓ ' : ''}${button.label}</button>`;
    })}</div>`;

const payloads = {
    basic: (basic) => (basic.items || []).map((item) =>
        item.text !== undefined ? html`<div class="bubble text">${item.text}</div>`
            : item.image ? imageItem(item.image)
            : item.file ? fileItem(item.file) : nothing),

    template: (t, message, onPress, pressed) => html`<div class="card template ${t.orientation === 'LANDSCAPE' ? 'landscape' : 'portrait'}">
        ${image(t.imageUrl, t.title)}
        <div class="card-body">
            ${t.title ? html`<div class="card-title">${t.title}</div>` : nothing}
            ${(t.textLines || []).map((line) => html`<div class="line">${line}</div>`)}
            ${buttons(t.buttons, message, onPress, pressed)}
        </div></div>`,

    // An activity line is plain text; a URL it carries is a small separate link, so the line never reads as one.
    minimal: (m) => html`<div class="activity">
        ${safeUrl(m.iconUrl) ? html`<img class="icon" src=${safeUrl(m.iconUrl)} alt="" referrerpolicy="no-referrer">` : nothing}
        <span class="activity-text">${m.text}</span>
        ${safeUrl(m.url) ? html`<a class="activity-link" href=${safeUrl(m.url)} target="_blank" rel="noopener noreferrer">details</a>` : nothing}</div>`,

    form: (f) => [html`<div class="card form">
        ${f.title ? html`<div class="card-title">${f.title}</div>` : nothing}
        ${f.description ? html`<div class="description">${f.description}</div>` : nothing}
        <dl>${(f.fields || []).map((field) => html`<dt>${field.name}</dt><dd>${field.value}</dd>`)}</dl></div>`,
        ...(f.media || []).map(mediaItem)],

    system: (s, message, onPress, pressed) => html`<div class="system">
        ${image(s.imageUrl, '')}
        ${(s.text || '').split(/\\n|\n/).map((line, i) => html`${i > 0 ? html`<br>` : nothing}${line}`)}
        ${buttons(s.buttons, message, onPress, pressed)}</div>`,
};

/**
 * One message: its bubbles, cards or lines, on the business's or the participant's side.
 * options.viewer: 'business' (dashboard: internal notes marked, badges and delivery shown) or 'participant'.
 * options.onPress(message, interactionId): what a postback button does; absent in the dashboard.
 * options.pressed(message, interactionId): 'pressing' or 'pressed' for a button already pressed (disabled).
 * options.withTime: false for a message followed by more of the same sender (the group shows one time).
 * options.delivered: how the message went out by email or through a channel's connector ({state, reason, …}).
 * options.original: where the full original of a customer's mail is, if it came by email.
 */
export function messageView(message, {viewer, onPress, pressed, withTime = true, delivered, original} = {}) {
    const content = message.content || {};
    const type = Object.keys(payloads).find((key) => content[key]);
    const fromBusiness = message.direction === 'BUSINESS_TO_PARTICIPANT';
    // A note the team wrote; a participant's message mirrored from another service is not one (flow A's BUSINESS).
    const internal = message.visibility === 'BUSINESS' && fromBusiness;
    const badge = (message.badges || [])[0];
    const side = (viewer === 'business') === fromBusiness ? 'mine' : 'theirs';
    return html`<li class="message ${side} ${internal ? 'internal' : ''}"
            data-message-id=${message.id} data-type=${type || 'unsupported'}>
        ${internal ? html`<div class="internal-label">Internal note — not shown to the participant</div>` : nothing}
        ${type === 'basic' && content.title ? html`<div class="subject">${withoutBidiControls(content.title)}</div>`
            : nothing}
        ${type ? payloads[type](content[type], message, onPress, pressed) : html`<div class="bubble text">(unsupported message)</div>`}
        ${withTime || badge || delivered || original ? html`<div class="meta">
            ${badge ? html`<span class="badge">${image(badge.iconUrl, '')}${badge.text}</span>` : nothing}
            ${withTime ? html`<time datetime=${message.createdDate}>${formatTime(message.createdDate)}</time>` : nothing}
            ${(withTime || delivered) && viewer === 'business' && fromBusiness ? delivery(message, delivered) : nothing}
            ${original ? html`<a class="original" href=${original} target="_blank" rel="noopener noreferrer"
                >View original</a>` : nothing}
        </div>` : nothing}</li>`;
}

/**
 * What the business knows of a message it sent: stored, and where it goes (wix-compatibility 6: "Seen via Chat"),
 * or how it went out: by email (docs/email.md, "Delivery": queued, with the last temporary failure; sent; failed
 * and why) or through a custom channel's connector (docs/channels.md, "Replies": queued, sent, delivered, read,
 * failed and why).
 */
function delivery(message, delivered) {
    if (delivered?.channelName) {
        const name = delivered.channelName;
        const label = {QUEUED: `Sending via ${name}`, SENT: `Sent via ${name}`, DELIVERED: `Delivered via ${name}`,
            READ: `Read via ${name}`, FAILED: `Failed via ${name}`}[delivered.state];
        return html`<span class="delivery channel-${delivered.state.toLowerCase()}" title=${delivered.reason || nothing}
            >${label}${delivered.state === 'FAILED' && delivered.reason ? `: ${delivered.reason}` : ''}</span>`;
    }
    if (delivered) {
        const label = {QUEUED: delivered.reason ? 'Email retrying' : 'Email queued', SENT: 'Emailed',
            FAILED: 'Email failed'}[delivered.state];
        return html`<span class="delivery email-${delivered.state.toLowerCase()}" title=${delivered.reason || nothing}
            >${label}${delivered.state === 'FAILED' && delivered.reason ? `: ${delivered.reason}` : ''}</span>`;
    }
    if (message.visibility === 'BUSINESS') return html`<span class="delivery">Internal</span>`;
    const channel = (message.targetChannels || [])[0] || 'CHAT';
    return html`<span class="delivery">Sent via ${channel.charAt(0)}${channel.slice(1).toLowerCase()}</span>`;
}

export function formatTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return date.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
}

const DAY_MS = 24 * 60 * 60 * 1000;
const startOfDay = (date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());

/** For lists: "now", "5 min", a time today, a weekday within the week, then a date (with the year if not this one). */
export function relativeTime(iso, now = new Date()) {
    if (!iso) return '';
    const date = new Date(iso);
    const minutes = Math.floor((now - date) / 60000);
    if (minutes < 1) return 'now';
    if (minutes < 60) return `${minutes} min`;
    if (startOfDay(date).getTime() === startOfDay(now).getTime()) return formatTime(iso);
    if (startOfDay(now) - startOfDay(date) < 7 * DAY_MS) return date.toLocaleDateString([], {weekday: 'short'});
    return date.toLocaleDateString([], date.getFullYear() === now.getFullYear()
        ? {month: 'short', day: 'numeric'} : {year: 'numeric', month: 'short', day: 'numeric'});
}

/** A thread's date separator: "Today", "Yesterday", else the date. */
export function dayLabel(iso, now = new Date()) {
    const days = Math.round((startOfDay(now) - startOfDay(new Date(iso))) / DAY_MS);
    if (days === 0) return 'Today';
    if (days === 1) return 'Yesterday';
    return new Date(iso).toLocaleDateString([], {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric'});
}

const sameDay = (a, b) => startOfDay(new Date(a)).getTime() === startOfDay(new Date(b)).getTime();

/** Who a message is from, for grouping: consecutive messages of one sender read as one block. */
const senderKey = (m) => `${m.direction}|${m.sender?.wixUserId || m.sender?.appId || m.sender?.contactId
    || m.sender?.anonymousVisitorId || m.sender?.memberId || ''}|${m.visibility}`;
const standsAlone = (m) => !!(m.content?.minimal || m.content?.system);
const GROUP_GAP_MS = 5 * 60 * 1000;

/**
 * A thread's items in order: date separators and messages, each message knowing whether the next one continues
 * its group (same sender and visibility, same day, within five minutes), so the group shows one time.
 */
export function threadItems(messages, view) {
    const items = [];
    messages.forEach((message, i) => {
        const previous = messages[i - 1];
        const next = messages[i + 1];
        if (!previous || !sameDay(previous.createdDate, message.createdDate)) {
            items.push(html`<li class="day"><span>${dayLabel(message.createdDate)}</span></li>`);
        }
        const continues = next && !standsAlone(message) && !standsAlone(next) && senderKey(next) === senderKey(message)
            && sameDay(next.createdDate, message.createdDate)
            && new Date(next.createdDate) - new Date(message.createdDate) < GROUP_GAP_MS;
        items.push(view(message, !continues));
    });
    return items;
}

/** Messages merged by id and ordered by sequence: what a list holds after a page and live entries meet. */
export function mergeMessages(current, incoming) {
    const byId = new Map(current.map((m) => [m.id, m]));
    for (const message of incoming) byId.set(message.id, message);
    return [...byId.values()].sort((a, b) => compareSequence(a.sequence, b.sequence));
}

function compareSequence(a, b) {
    const x = BigInt(a || 0), y = BigInt(b || 0);
    return x < y ? -1 : x > y ? 1 : 0;
}
