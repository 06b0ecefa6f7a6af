package parley.contacts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.web.Requests;
import parley.web.Responses;
import parley.web.WixPaths;

/** Contacts v4: create, get, update, delete, list and query, on both path families (wix-compatibility 7, 11). */
public final class ContactRoutes {
    private final Authentication authentication;
    private final Contacts contacts;

    public ContactRoutes(Authentication authentication, Contacts contacts) {
        this.authentication = authentication;
        this.contacts = contacts;
    }

    public void register(JavalinConfig config) {
        for (String base : WixPaths.CONTACTS) {
            config.routes.post(base + "/contacts", this::create);
            config.routes.get(base + "/contacts", this::list);
            config.routes.post(base + "/contacts/query", this::query);
            config.routes.get(base + "/contacts/{contactId}", this::get);
            config.routes.patch(base + "/contacts/{contactId}", this::update);
            config.routes.delete(base + "/contacts/{contactId}", this::delete);
        }
    }

    private void create(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ContactJson.CreateRequest request = Requests.body(ctx, ContactJson.CreateRequest.class);
        Contact contact = contacts.create(caller, request.info(), Boolean.TRUE.equals(request.allowDuplicates()));
        Responses.json(ctx, Map.of("contact", ContactJson.view(contact)));
    }

    private void get(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Responses.json(ctx, Map.of("contact", ContactJson.view(contacts.get(caller.site(), ctx.pathParam("contactId")))));
    }

    private void update(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ObjectNode body = Requests.bodyTree(ctx);
        ContactJson.UpdateRequest request = Requests.bind(body, ContactJson.UpdateRequest.class);
        if (request.revision() == null) {
            throw InvalidArgument.of(FieldViolation.required("revision"));
        }
        if (body.has("info") && !body.get("info").isObject()) {
            throw InvalidArgument.of(new FieldViolation("info", "must be an object", FieldViolation.Rule.FORMAT));
        }
        Contact contact = contacts.update(caller, ctx.pathParam("contactId"), request.revision(), body.get("info"),
                Boolean.TRUE.equals(request.allowDuplicates()));
        Responses.json(ctx, Map.of("contact", ContactJson.view(contact)));
    }

    private void delete(Context ctx) {
        contacts.delete(authentication.caller(ctx), ctx.pathParam("contactId"));
        Responses.json(ctx, Map.of());
    }

    private void list(Context ctx) {
        Caller caller = authentication.caller(ctx);
        respond(ctx, contacts.list(caller.site(), Requests.query(ctx, ContactJson.ListRequest.class)));
    }

    private void query(Context ctx) {
        Caller caller = authentication.caller(ctx);
        respond(ctx, contacts.query(caller.site(), Requests.body(ctx, ContactJson.QueryRequest.class)));
    }

    private static void respond(Context ctx, Contacts.Page page) {
        Responses.json(ctx, Map.of("contacts", page.contacts(), "pagingMetadata", new ContactJson.PagingMetadata(
                page.contacts().size(), page.offset(), page.total(), page.tooManyToCount())));
    }
}
