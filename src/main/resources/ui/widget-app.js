// The chat widget itself: a launcher and a chat window in a shadow root (the host page's styles do not
// reach in, ours do not leak out). It holds the visitor's participant token in localStorage, so a reload
// or a second tab continues the same conversation, reads its history, follows its participant stream and
// sends as the participant. It never receives a business-only message: Parley does not send them.
import {html, nothing, render, messageView, mergeMessages} from './render.js';

// A participant token opens the API for an hour; the widget renews it well before then, and whenever the API
// refuses it as expired (auth/ParticipantTokens).
const RENEW_EVERY_MS = 30 * 60 * 1000;

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

class Widget {
    constructor(origin, siteId, member, root) {
        this.origin = origin;
        this.siteId = siteId;
        this.member = member;
        this.root = root;
        this.storageKey = `parley.widget.${siteId}`;
        this.state = {open: false, messages: [], connected: true, error: null, conversationId: null};
        this.lastPosition = null;
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
            {siteId: this.siteId, token: this.token || this.savedToken(), member: this.member || undefined}, true);
        try {
            localStorage.setItem(this.storageKey, session.token);
        } catch {
            // private browsing: the token lives as long as the page
        }
        this.token = session.token;
        const changed = this.state.conversationId && this.state.conversationId !== session.conversationId;
        this.update(changed ? {conversationId: session.conversationId, messages: []} : {conversationId: session.conversationId});
        if (changed) {
            this.lastPosition = null;
            this.connect();
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
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        if (this.token) headers['Authorization'] = this.token;
        const response = await fetch(this.origin + path, {method, headers, credentials: 'omit',
            body: body === undefined ? undefined : JSON.stringify(body)});
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
            this.update({conversationId: entry.conversationId,
                messages: mergeMessages(this.state.messages, [entry.message])});
            this.scrollToEnd();
        };
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
        try {
            const sent = await this.call('POST', '/inbox/v2/messages', {
                conversationId: this.state.conversationId,
                message: {
                    content: {basic: {items: [{text}]}, previewText: text.slice(0, 100)},
                    direction: 'PARTICIPANT_TO_BUSINESS',
                    visibility: 'BUSINESS_AND_PARTICIPANT',
                },
            });
            input.value = '';
            this.update({error: null, messages: mergeMessages(this.state.messages, [sent.message])});
            this.scrollToEnd();
        } catch (e) {
            this.update({error: `Not sent: ${e.message}`});
        }
    }

    async press(message, interactionId) {
        try {
            await this.call('POST', `/parley/v1/conversations/${encodeURIComponent(this.state.conversationId)}`
                + `/messages/${encodeURIComponent(message.id)}/interactions`, {interactionId});
            this.update({error: null});
        } catch (e) {
            this.update({error: `That did not work: ${e.message}`});
        }
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
        return html`
            <button type="button" class="launcher" aria-expanded=${s.open ? 'true' : 'false'}
                    aria-controls="parley-chat" aria-label=${s.open ? 'Close chat' : 'Open chat'}
                    @click=${() => this.toggle()}>${s.open ? '×' : '💬'}</button>
            <section id="parley-chat" class="chat" role="dialog" aria-label="Chat" ?hidden=${!s.open}
                     @keydown=${(e) => e.key === 'Escape' && this.toggle()}>
                <header><span>Chat with us</span>
                    <button type="button" class="close" aria-label="Close chat" @click=${() => this.toggle()}>×</button>
                </header>
                ${s.connected ? nothing : html`<div class="banner" role="status">Reconnecting…</div>`}
                <ol class="messages" aria-live="polite">
                    ${s.messages.map((m) => messageView(m, {viewer: 'participant', onPress: (msg, id) => this.press(msg, id)}))}
                </ol>
                ${s.error ? html`<p class="error" role="alert">${s.error}</p>` : nothing}
                <form class="compose" @submit=${(e) => this.send(e)}>
                    <label for="parley-text" class="visually-hidden">Message</label>
                    <textarea id="parley-text" name="text" rows="2" placeholder="Write a message…" ?disabled=${!s.conversationId}
                              @keydown=${(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); e.target.form.requestSubmit(); } }}></textarea>
                    <button type="submit" aria-label="Send message" ?disabled=${!s.conversationId}>Send</button>
                </form>
            </section>`;
    }
}
