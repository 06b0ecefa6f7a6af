// The chat widget itself: a launcher and a chat window in a shadow root (the host page's styles do not
// reach in, ours do not leak out). It holds the visitor's participant token in localStorage, so a reload
// or a second tab continues the same conversation, reads its history, follows its participant stream and
// sends as the participant. It never receives a business-only message: Parley does not send them.
import {html, nothing, render, messageView, mergeMessages, safeUrl, threadItems} from './render.js';

// A participant token opens the API for an hour; the widget renews it well before then, and whenever the API
// refuses it as expired (auth/ParticipantTokens).
const RENEW_EVERY_MS = 30 * 60 * 1000;
// The files one message takes from the picker; Parley refuses each one over its size limit with the reason.
const MAX_FILES = 10;

export function mount({origin, siteId, member}) {
    const host = document.createElement('div');
    host.id = 'parley-widget';
    document.body.appendChild(host);
    const shadow = host.attachShadow({mode: 'open'});
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = `${origin}/ui/widget.css`;
    shadow.appendChild(style);
    const root = document.createElement('div');
    shadow.appendChild(root);
    new Widget(origin, siteId, member, root).start();
}

/**
 * The page the widget is open on, which the business sees in its contact panel: http(s) pages only, without
 * the fragment (sign-in flows put tokens there), the title cut to the 200 characters Parley keeps.
 */
function currentPage() {
    const url = location.href.split('#')[0];
    if (!/^https?:$/.test(location.protocol) || url.length > 2048) return undefined;
    return {url, title: document.title.trim().slice(0, 200) || undefined};
}

class Widget {
    constructor(origin, siteId, member, root) {
        this.origin = origin;
        this.siteId = siteId;
        this.member = member;
        this.root = root;
        this.storageKey = `parley.widget.${siteId}`;
        this.state = {open: false, messages: [], connected: true, error: null, conversationId: null, business: null,
            typing: false, pressed: {}};
        this.lastPosition = null;
        this.lastTypingSignal = 0;
    }

    update(changes = {}) {
        Object.assign(this.state, changes);
        render(this.view(), this.root);
    }

    async start() {
        this.update();
        try {
            await this.renew();
            this.connect();
            setInterval(() => this.renew().catch(() => {}), RENEW_EVERY_MS);
        } catch (e) {
            this.update({error: 'Chat is unavailable right now.'});
        }
    }

    // The session answers a fresh token for the visitor of the one sent (or a new visitor: the first time, or
    // when the member this visitor stood for signed out); a new visitor starts with an empty conversation.
    async renew() {
        const session = await this.call('POST', '/parley/v1/widget/session',
            {siteId: this.siteId, token: this.token || this.savedToken(), member: this.member || undefined,
                page: currentPage()}, true);
        try {
            localStorage.setItem(this.storageKey, session.token);
        } catch {
            // private browsing: the token lives as long as the page
        }
        this.token = session.token;
        this.showBusiness(session.business);
        const changed = this.state.conversationId && this.state.conversationId !== session.conversationId;
        this.update(changed ? {conversationId: session.conversationId, messages: []} : {conversationId: session.conversationId});
        if (changed) {
            this.lastPosition = null;
            this.connect();
        }
    }

    /** The business as the session describes it; when its availability changes, the widget asks again. */
    showBusiness(business) {
        this.update({business});
        clearTimeout(this.availabilityTimer);
        const changes = business?.availabilityChanges ? new Date(business.availabilityChanges) - Date.now() : null;
        if (changes !== null && changes < 24 * 60 * 60 * 1000) {
            this.availabilityTimer = setTimeout(() => this.renew().catch(() => {}), Math.max(1000, changes + 1000));
        }
    }

    savedToken() {
        try {
            return localStorage.getItem(this.storageKey) || undefined;
        } catch {
            return undefined;
        }
    }

    async call(method, path, body, renewed = false) {
        const headers = {'Accept': 'application/json'};
        const file = body instanceof Blob; // an upload goes as its bytes
        if (body !== undefined) headers['Content-Type'] = file ? body.type || 'application/octet-stream' : 'application/json';
        if (this.token) headers['Authorization'] = this.token;
        const response = await fetch(this.origin + path, {method, headers, credentials: 'omit',
            body: body === undefined || file ? body : JSON.stringify(body)});
        const text = await response.text();
        const json = text ? JSON.parse(text) : {};
        if (response.status === 401 && !renewed && json.details?.applicationError?.code === 'PARTICIPANT_TOKEN_EXPIRED') {
            await this.renew();
            return this.call(method, path, body, true);
        }
        if (!response.ok) throw new Error(json.message || response.statusText);
        return json;
    }

    // The stream opens first, then the history is read: a message sent in between arrives on one or the
    // other (or both — they are merged by id), never on neither. After a drop the browser reconnects with
    // Last-Event-ID; if it gives up, a new stream starts after the last position seen.
    connect() {
        this.stream?.close();
        const after = this.lastPosition === null ? '' : `&after=${this.lastPosition}`;
        this.stream = new EventSource(`${this.origin}/parley/v1/widget/stream?token=${encodeURIComponent(this.token)}${after}`);
        this.stream.onopen = () => {
            this.update({connected: true});
            this.loadHistory();
        };
        this.stream.onmessage = (event) => {
            const entry = JSON.parse(event.data);
            this.lastPosition = entry.position;
            const fromBusiness = entry.message.direction === 'BUSINESS_TO_PARTICIPANT';
            this.update({conversationId: entry.conversationId, typing: fromBusiness ? false : this.state.typing,
                messages: mergeMessages(this.state.messages, [entry.message])});
            this.scrollToEnd();
        };
        // The business typing in this conversation: shown for a few seconds, or until its message arrives.
        this.stream.addEventListener('typing', () => {
            this.update({typing: true});
            clearTimeout(this.typingTimer);
            this.typingTimer = setTimeout(() => this.update({typing: false}), 4000);
        });
        // A stream the browser gave up on may have been refused for an expired token: renew, then reopen.
        this.stream.onerror = () => {
            this.update({connected: false});
            if (this.stream.readyState === EventSource.CLOSED) {
                setTimeout(() => this.renew().catch(() => {}).then(() => this.connect()), 2000);
            }
        };
    }

    async loadHistory() {
        try {
            const page = await this.call('GET', `/inbox/v2/messages?conversationId=${encodeURIComponent(this.state.conversationId)}`
                + '&visibility=BUSINESS_AND_PARTICIPANT&paging.limit=100&sorting.order=DESC');
            this.update({messages: mergeMessages(this.state.messages, page.messages)});
            this.scrollToEnd();
        } catch (e) {
            this.update({error: 'Could not load the conversation.'});
        }
    }

    async send(event) {
        event.preventDefault();
        const input = event.target.elements.text;
        const text = input.value.trim();
        if (!text) return;
        await this.sendItems([{text}], text.slice(0, 100), () => { input.value = ''; });
    }

    /**
     * The files the visitor picked, uploaded one after the other (Parley types them by their bytes), then sent as one
     * message, with what the message box holds as its first line.
     */
    async attach(event) {
        const files = [...event.target.files].slice(0, MAX_FILES);
        event.target.value = '';
        if (!files.length) return;
        const input = this.root.querySelector('textarea');
        const text = input.value.trim();
        this.update({uploading: true, error: null});
        try {
            const items = [];
            for (const file of files) {
                const uploaded = await this.call('POST', `/parley/v1/files?filename=${encodeURIComponent(file.name)}`, file);
                items.push(uploaded.item);
            }
            await this.sendItems(text ? [{text}, ...items] : items, text.slice(0, 100) || undefined,
                () => { input.value = ''; });
        } catch (e) {
            this.update({error: `Not sent: ${e.message}`});
        } finally {
            this.update({uploading: false});
        }
    }

    async sendItems(items, previewText, sentCallback) {
        try {
            const sent = await this.call('POST', '/inbox/v2/messages', {
                conversationId: this.state.conversationId,
                message: {
                    content: {basic: {items}, previewText},
                    direction: 'PARTICIPANT_TO_BUSINESS',
                    visibility: 'BUSINESS_AND_PARTICIPANT',
                },
            });
            sentCallback();
            this.lastTypingSignal = 0; // the next message's typing shows at once
            this.update({error: null, messages: mergeMessages(this.state.messages, [sent.message])});
            this.scrollToEnd();
        } catch (e) {
            this.update({error: `Not sent: ${e.message}`});
        }
    }

    /** One signal every 3 seconds at most while the visitor writes: the business sees "typing…". */
    typed(event) {
        if (event.target.value && Date.now() - this.lastTypingSignal > 3000) {
            this.lastTypingSignal = Date.now();
            this.call('POST', '/parley/v1/widget/typing').catch(() => {});
        }
    }

    /** A postback button fires once: it is disabled while its press is sent, and shown pressed after. */
    async press(message, interactionId) {
        const key = `${message.id}|${interactionId}`;
        if (this.state.pressed[key]) return;
        this.update({pressed: {...this.state.pressed, [key]: 'pressing'}});
        try {
            await this.call('POST', `/parley/v1/conversations/${encodeURIComponent(this.state.conversationId)}`
                + `/messages/${encodeURIComponent(message.id)}/interactions`, {interactionId});
            this.update({error: null, pressed: {...this.state.pressed, [key]: 'pressed'}});
        } catch (e) {
            const {[key]: ignored, ...rest} = this.state.pressed;
            this.update({error: `That did not work: ${e.message}`, pressed: rest});
        }
    }

    pressedState(message, interactionId) {
        return this.state.pressed[`${message.id}|${interactionId}`];
    }

    scrollToEnd() {
        this.root.querySelector('.messages')?.lastElementChild?.scrollIntoView({block: 'end'});
    }

    /** Opening puts the keyboard in the message box; closing gives it back to the launcher. */
    toggle() {
        this.update({open: !this.state.open});
        this.root.querySelector(this.state.open ? 'textarea' : '.launcher')?.focus();
    }

    view() {
        const s = this.state;
        const business = s.business;
        const logo = safeUrl(business?.logoUrl);
        return html`
            <button type="button" class="launcher" aria-expanded="false" aria-controls="parley-chat"
                    aria-label="Open chat" ?hidden=${s.open} @click=${() => this.toggle()}>${CHAT_ICON}</button>
            <section id="parley-chat" class="chat" role="dialog" aria-labelledby="parley-title" ?hidden=${!s.open}
                     @keydown=${(e) => e.key === 'Escape' && this.toggle()}>
                <header>
                    ${logo ? html`<img class="logo" src=${logo} alt="" referrerpolicy="no-referrer">` : nothing}
                    <h2 id="parley-title" class="title">${business?.name || 'Chat'}</h2>
                    <button type="button" class="close" aria-label="Close chat" @click=${() => this.toggle()}>${CLOSE_ICON}</button>
                </header>
                ${s.connected ? nothing : html`<div class="banner" role="status">Reconnecting…</div>`}
                ${business && !business.available ? html`<p class="away" role="status">${business.awayMessage}</p>` : nothing}
                <ol class="messages" aria-live="polite">
                    ${business?.welcomeMessage ? html`<li class="welcome">${business.welcomeMessage}</li>` : nothing}
                    ${threadItems(s.messages, (m, withTime) => messageView(m, {viewer: 'participant', withTime,
                        onPress: (msg, id) => this.press(msg, id), pressed: (msg, id) => this.pressedState(msg, id)}))}
                </ol>
                <p class="typing" aria-live="polite">${s.typing ? `${business?.name || 'The business'} is typing…` : ''}</p>
                ${s.uploading ? html`<p class="uploading" role="status">Sending files…</p>` : nothing}
                ${s.error ? html`<p class="error" role="alert">${s.error}</p>` : nothing}
                <form class="compose" @submit=${(e) => this.send(e)}>
                    <label for="parley-text" class="visually-hidden">Message</label>
                    <textarea id="parley-text" name="text" rows="2" placeholder="Write a message…" ?disabled=${!s.conversationId}
                              @input=${(e) => this.typed(e)}
                              @keydown=${(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); e.target.form.requestSubmit(); } }}></textarea>
                    <label class="attach" title="Attach files">
                        <span class="visually-hidden">Attach files</span>${ATTACH_ICON}
                        <input type="file" name="files" multiple class="visually-hidden"
                               ?disabled=${!s.conversationId || s.uploading} @change=${(e) => this.attach(e)}>
                    </label>
                    <button type="submit" aria-label="Send message" ?disabled=${!s.conversationId}>Send</button>
                </form>
            </section>`;
    }
}

// Drawn, not an emoji: a page without an emoji font would show an empty box.
const CHAT_ICON = html`<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
    <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>`;
const ATTACH_ICON = html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
          d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"/></svg>`;
const CLOSE_ICON = html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>`;
