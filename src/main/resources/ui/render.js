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

const imageItem = (img) => html`<div class="bubble media">${link(img.url, image(img.url, img.filename))}</div>`;

const fileItem = (file) => html`<div class="bubble file">
    ${safeUrl(file.url)
        ? html`<a href=${safeUrl(file.url)} target="_blank" rel="noopener noreferrer" download>⬇ ${file.filename || 'file'}</a>`
        : html`⬇ ${file.filename || 'file'}`}</div>`;

const mediaItem = (item) => item.image ? imageItem(item.image) : item.file ? fileItem(item.file) : nothing;

/**
 * Buttons of a template or system notice. A link button opens its URL in a new tab; a postback button
 * calls onPress (the widget) or is shown disabled (the dashboard: postbacks are the participant's).
 */
const buttons = (list, message, onPress) => (list || []).length === 0 ? nothing : html`<div class="buttons">
    ${list.map((button) => {
        const href = safeUrl(button.launchUrl);
        if (href) {
            return html`<a class="button" href=${href} target="_blank" rel="noopener noreferrer">${button.label}</a>`;
        }
        const interactionId = button.postbackProperties?.interactionId;
        return html`<button type="button" class="button" ?disabled=${!onPress || !interactionId}
            @click=${() => onPress(message, interactionId)}>${button.label}</button>`;
    })}</div>`;

const payloads = {
    basic: (basic) => (basic.items || []).map((item) =>
        item.text !== undefined ? html`<div class="bubble text">${item.text}</div>`
            : item.image ? imageItem(item.image)
            : item.file ? fileItem(item.file) : nothing),

    template: (t, message, onPress) => html`<div class="card template ${t.orientation === 'LANDSCAPE' ? 'landscape' : 'portrait'}">
        ${image(t.imageUrl, t.title)}
        <div class="card-body">
            ${t.title ? html`<div class="card-title">${t.title}</div>` : nothing}
            ${(t.textLines || []).map((line) => html`<div class="line">${line}</div>`)}
            ${buttons(t.buttons, message, onPress)}
        </div></div>`,

    minimal: (m) => html`<div class="activity">
        ${safeUrl(m.iconUrl) ? html`<img class="icon" src=${safeUrl(m.iconUrl)} alt="" referrerpolicy="no-referrer">` : html`<span class="icon">•</span>`}
        ${link(m.url, html`<span class="activity-text">${m.text}</span>`)}</div>`,

    form: (f) => [html`<div class="card form">
        ${f.title ? html`<div class="card-title">${f.title}</div>` : nothing}
        ${f.description ? html`<div class="description">${f.description}</div>` : nothing}
        <dl>${(f.fields || []).map((field) => html`<dt>${field.name}</dt><dd>${field.value}</dd>`)}</dl></div>`,
        ...(f.media || []).map(mediaItem)],

    system: (s, message, onPress) => html`<div class="system">
        ${image(s.imageUrl, '')}
        ${(s.text || '').split(/\\n|\n/).map((line, i) => html`${i > 0 ? html`<br>` : nothing}${line}`)}
        ${buttons(s.buttons, message, onPress)}</div>`,
};

/**
 * One message: its bubbles, cards or lines, on the business's or the participant's side.
 * options.viewer: 'business' (dashboard: internal notes marked, badges and delivery shown) or 'participant'.
 * options.onPress(message, interactionId): what a postback button does; absent in the dashboard.
 */
export function messageView(message, {viewer, onPress} = {}) {
    const content = message.content || {};
    const type = Object.keys(payloads).find((key) => content[key]);
    const fromBusiness = message.direction === 'BUSINESS_TO_PARTICIPANT';
    const internal = message.visibility === 'BUSINESS';
    const badge = (message.badges || [])[0];
    const side = (viewer === 'business') === fromBusiness ? 'mine' : 'theirs';
    return html`<li class="message ${side} ${internal ? 'internal' : ''}"
            data-message-id=${message.id} data-type=${type || 'unsupported'}>
        ${internal ? html`<div class="internal-label">Internal note — not shown to the participant</div>` : nothing}
        ${type ? payloads[type](content[type], message, onPress) : html`<div class="bubble text">(unsupported message)</div>`}
        <div class="meta">
            ${badge ? html`<span class="badge">${image(badge.iconUrl, '')}${badge.text}</span>` : nothing}
            <time datetime=${message.createdDate}>${formatTime(message.createdDate)}</time>
            ${viewer === 'business' && fromBusiness ? html`<span class="delivery">${delivery(message)}</span>` : nothing}
        </div></li>`;
}

/** What the business knows of a message it sent: stored, and where it goes (wix-compatibility 6: "Seen via Chat"). */
function delivery(message) {
    if (message.visibility === 'BUSINESS') return 'Internal';
    const channel = (message.targetChannels || [])[0] || 'CHAT';
    return `Sent via ${channel.charAt(0)}${channel.slice(1).toLowerCase()}`;
}

export function formatTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return date.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
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
