// Parley's chat widget, added to any page by one tag:
//   <script src="https://PARLEY-HOST/widget.js" data-site-id="SITE-ID" async></script>
// For a signed-in member, the site's backend adds data-member-id and data-member-signature
// (hex HMAC-SHA256 of the member id with the site's identity secret). This loader only finds its own
// tag and loads the widget module from the same Parley.
(function () {
    var script = document.currentScript;
    if (!script || !script.dataset.siteId) {
        console.error('Parley widget: the script tag needs data-site-id');
        return;
    }
    var origin = new URL(script.src).origin;
    import(origin + '/ui/widget-app.js').then(function (widget) {
        widget.mount({
            origin: origin,
            siteId: script.dataset.siteId,
            member: script.dataset.memberId
                ? {memberId: script.dataset.memberId, signature: script.dataset.memberSignature}
                : null,
        });
    });
})();
