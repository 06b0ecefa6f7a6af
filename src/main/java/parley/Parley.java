package parley;

import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.AdminToken;
import parley.auth.Authentication;
import parley.auth.ParticipantTokens;
import parley.auth.WidgetOrigins;
import parley.channels.ChannelRoutes;
import parley.channels.ChannelOutbox;
import parley.channels.Channels;
import parley.channels.Connectors;
import parley.channels.Credentials;
import parley.contacts.ContactRoutes;
import parley.contacts.Contacts;
import parley.conversations.ConversationRoutes;
import parley.conversations.Conversations;
import parley.dashboard.DashboardRoutes;
import parley.dashboard.DashboardSessions;
import parley.dashboard.DashboardUsers;
import parley.dashboard.People;
import parley.dashboard.PeopleRoutes;
import parley.dashboard.Teams;
import parley.contacts.ContactSearch;
import parley.workspace.CannedReplies;
import parley.workspace.Labels;
import parley.workspace.Search;
import parley.workspace.WorkspaceRoutes;
import parley.email.ButtonLinks;
import parley.email.ButtonRoutes;
import parley.email.DeliveryRoutes;
import parley.email.EmailIntake;
import parley.email.ImapReaders;
import parley.email.MailSender;
import parley.email.MailStreams;
import parley.email.SmtpListener;
import parley.events.EventLog;
import parley.events.EventRoutes;
import parley.files.FileLinks;
import parley.files.FileRoutes;
import parley.files.Files;
import parley.outbound.OutboundHttp;
import parley.webhooks.Deliverer;
import parley.webhooks.SigningKeys;
import parley.webhooks.WebhookRoutes;
import parley.webhooks.Webhooks;
import parley.idempotency.Idempotency;
import parley.identity.IdentityResolver;
import parley.identity.IdentityRoutes;
import parley.identity.Lifecycle;
import parley.live.LiveFeeds;
import parley.live.LogListener;
import parley.live.StreamRoutes;
import parley.live.Typing;
import parley.messages.MessageRoutes;
import parley.messages.MessageFiles;
import parley.messages.Messages;
import parley.sites.CreateSite;
import parley.sites.SiteRoutes;
import parley.sites.Sites;
import parley.storage.Database;
import parley.storage.GroupCommit;
import parley.web.Responses;
import parley.web.WixErrors;
import parley.ui.UiRoutes;
import parley.widget.Appearances;
import parley.widget.MemberIdentity;
import parley.widget.VisitorPages;
import parley.widget.WidgetRoutes;

/** The composition root: opens the database, wires each feature in order and starts the HTTP server. */
public final class Parley implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Parley.class);
    static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);

    private final Database database;
    private final GroupCommit groupCommit;
    private final Javalin server;
    private final ScheduledExecutorService housekeeping;
    private final EventLog events;
    private final Deliverer deliverer;
    private final LogListener listener;
    private final OutboundHttp outbound;
    private final SmtpListener smtp; // null unless configured
    private final MailSender mail;
    private final ImapReaders imap;
    private final ChannelOutbox channelOutbox;

    private Parley(Database database, GroupCommit groupCommit, Javalin server, ScheduledExecutorService housekeeping,
                   EventLog events, Deliverer deliverer, LogListener listener, OutboundHttp outbound,
                   SmtpListener smtp, MailSender mail, ImapReaders imap, ChannelOutbox channelOutbox) {
        this.channelOutbox = channelOutbox;
        this.smtp = smtp;
        this.imap = imap;
        this.mail = mail;
        this.deliverer = deliverer;
        this.outbound = outbound;
        this.listener = listener;
        this.database = database;
        this.groupCommit = groupCommit;
        this.server = server;
        this.housekeeping = housekeeping;
        this.events = events;
    }

    public static Parley start(Config config, Clock clock) {
        MailStreams.useAngus();
        Database database = Database.open(config.databaseUrl(), config.dataDir(), config.databasePoolSize());
        try {
            Sites sites = Sites.wire(database, clock);
            sites.createSite().createFirstSite("My site").ifPresent(Parley::announce);
            Idempotency idempotency = new Idempotency(database, clock);
            GroupCommit groupCommit = new GroupCommit(database);
            EventLog events = new EventLog(database, clock);
            Contacts contacts = new Contacts(database, groupCommit, events, clock);
            IdentityResolver identities = new IdentityResolver(contacts);
            Conversations conversations = Conversations.wire(database, idempotency, identities, events, clock);
            Lifecycle lifecycle = new Lifecycle(database, groupCommit, contacts, conversations, identities, clock);
            ParticipantTokens participantTokens = new ParticipantTokens(database, clock);
            AtomicInteger ownPort = new AtomicInteger(config.port());
            Supplier<String> publicUrl = () -> config.publicUrl() != null ? config.publicUrl()
                    : "http://localhost:" + ownPort.get();
            Files files = new Files(database, config.files(), clock);
            FileLinks fileLinks = new FileLinks(participantTokens, publicUrl, clock);
            // Sends share commits: the hot path of DESIGN.md section 7.
            Messages messages = Messages.wire(database, new Idempotency(groupCommit, clock), conversations, contacts,
                    events, new MessageFiles(files, fileLinks), clock);
            DashboardUsers dashboardUsers = new DashboardUsers(database, clock);
            dashboardUsers.createFirstOwner().ifPresent(Parley::announce);
            DashboardSessions dashboardSessions = new DashboardSessions(database, clock);
            People people = new People(database, dashboardUsers, clock);
            Teams teams = new Teams(database, people, clock);
            WidgetOrigins widgetOrigins = new WidgetOrigins(database);
            Authentication authentication = new Authentication(sites, participantTokens, dashboardSessions,
                    widgetOrigins);
            AdminToken admin = new AdminToken(config.adminToken());
            ButtonLinks buttonLinks = new ButtonLinks(participantTokens, publicUrl);
            SigningKeys signingKeys = new SigningKeys(database, clock, config.webhooks().retryFor());
            OutboundHttp outbound = new OutboundHttp(config.allowPrivateTargets());
            Webhooks webhooks = new Webhooks(database, clock, ownPort::get, outbound);
            LiveFeeds feeds = new LiveFeeds(events);
            Credentials credentials = Credentials.of(config.secretKey(), config.dataDir());
            Channels channels = new Channels(database, credentials, clock);

            ChannelOutbox channelOutbox = new ChannelOutbox(database, messages, events, clock);
            Javalin server = Javalin.create(javalin -> {
                javalin.startup.showJavalinBanner = false;
                javalin.startup.showOldJavalinVersionWarning = false;
                javalin.concurrency.useVirtualThreads = true;
                javalin.http.maxRequestSize = config.maxBodyBytes();
                javalin.http.prefer405over404 = true;
                javalin.jetty.port = config.port();
                WixErrors.register(javalin);
                javalin.routes.get("/health/live", ctx -> Responses.json(ctx, Map.of("status", "UP")));
                javalin.routes.get("/health/ready", ctx -> {
                    boolean ready = database.answers();
                    Responses.json(ctx.status(ready ? 200 : 503), Map.of("status", ready ? "UP" : "DOWN"));
                });
                new SiteRoutes(sites, admin).register(javalin);
                new ConversationRoutes(authentication, conversations, sites).register(javalin);
                new MessageRoutes(authentication, messages).register(javalin);
                new ContactRoutes(authentication, contacts).register(javalin);
                new IdentityRoutes(authentication, lifecycle).register(javalin);
                new EventRoutes(authentication, events).register(javalin);
                new WebhookRoutes(authentication, webhooks, signingKeys, admin).register(javalin);
                new StreamRoutes(authentication, events, messages, conversations, feeds, new Typing(database),
                        config.heartbeat(),
                        config.limits().streamsPerVisitor(), config.limits().streamsPerCredential()).register(javalin);
                new WidgetRoutes(sites, participantTokens, conversations, lifecycle, new MemberIdentity(database),
                        widgetOrigins, authentication, new Appearances(database), new VisitorPages(database), clock,
                        config.limits().widgetSessionsPerMinute()).register(javalin);
                new DashboardRoutes(dashboardUsers, dashboardSessions, people, authentication, sites, clock,
                        config.limits().signInsPerMinute()).register(javalin);
                new PeopleRoutes(authentication, people, teams).register(javalin);
                new ChannelRoutes(authentication, channels, people,
                        new Connectors(database, channels, contacts, conversations, messages, clock), channelOutbox, sites)
                        .register(javalin);
                new DeliveryRoutes(authentication, conversations, database).register(javalin);
                new ButtonRoutes(buttonLinks, messages, database, clock).register(javalin);
                new FileRoutes(authentication, files, fileLinks, clock, config.limits().uploadsPerMinute())
                        .register(javalin);
                new WorkspaceRoutes(authentication, new Labels(database, clock), new CannedReplies(database, clock),
                        new Search(database, new ContactSearch(database)), people).register(javalin);
                widgetOrigins.register(javalin);
                new UiRoutes(sites::first).register(javalin);
            }).start();
            ownPort.set(server.port());
            channelOutbox.start();
            Deliverer deliverer = new Deliverer(database, signingKeys, config.webhooks(), clock, outbound);
            MailSender mail = new MailSender(database, messages, events, buttonLinks, files, fileLinks, credentials,
                    config.relay(), clock);
            LogListener listener = new LogListener(database, site -> {
                feeds.grew(site);
                deliverer.wake();
                mail.wake();
                channelOutbox.wake();
            }, feeds::typing);

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .name("parley-housekeeping").daemon().factory());
            housekeeping.scheduleWithFixedDelay(() -> purge(idempotency, files), 1, 60, TimeUnit.MINUTES);
            // Snoozes wake within a second of their time, on whichever node looks first (Workflow.wakeSnoozed).
            housekeeping.scheduleWithFixedDelay(conversations.workflow()::wakeSnoozedQuietly, 1, 1, TimeUnit.SECONDS);
            EmailIntake intake = new EmailIntake(database, channels, contacts, conversations, messages, events, files,
                    clock);
            SmtpListener smtp = config.smtpPort() == null ? null : new SmtpListener(config.smtpPort(), channels, intake);
            ImapReaders imap = new ImapReaders(database, channels, intake, config.allowPrivateTargets(), clock);
            return new Parley(database, groupCommit, server, housekeeping, events, deliverer, listener, outbound,
                    smtp, mail, imap, channelOutbox);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static void purge(Idempotency idempotency, Files files) {
        try {
            idempotency.purgeOlderThan(IDEMPOTENCY_RETENTION);
            files.sweep();
        } catch (RuntimeException e) {
            log.warn("could not purge old idempotency keys and unsent files; will try again", e);
        }
    }

    /** Printed once, on the first start: the password is not stored in clear. */
    private static void announce(DashboardUsers.NewAccount owner) {
        System.out.printf("""

                Parley created the dashboard's owner account. Keep the password: it is shown only this once.
                  dashboard: /dashboard
                  email:     %s
                  password:  %s

                """, owner.user().email(), owner.password());
    }

    /** Printed once, on the first start against an empty database: the key is not stored in clear. */
    private static void announce(CreateSite.NewSite site) {
        System.out.printf("""

                Parley created a site for you. Keep the key below: it is shown only this once.
                  site id:  %s
                  API key:  %s

                """, site.site().id(), site.apiKey());
    }

    public int port() {
        return server.port();
    }

    /** The port of the SMTP listener, when there is one. */
    public java.util.OptionalInt smtpPort() {
        return smtp == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(smtp.port());
    }

    /** This node's database, for another node to share it. */
    public String databaseUrl() {
        return database.jdbcUrl();
    }

    public EventLog events() {
        return events;
    }

    @Override
    public void close() {
        if (smtp != null) {
            smtp.close(); // first: no mail is taken in while the rest stops
        }
        imap.close();
        listener.close();
        housekeeping.shutdownNow();
        deliverer.close();
        mail.close();
        channelOutbox.close();
        outbound.close();
        server.stop();
        groupCommit.close();
        database.close();
    }
}
