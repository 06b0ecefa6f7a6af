package parley.dashboard;

import java.util.UUID;
import parley.sites.SiteId;

/** Someone who works in a site's dashboard. Owners and agents see and do the same in this release. */
public record DashboardUser(SiteId site, UUID id, String email, Role role) {
    public enum Role { OWNER, AGENT }
}
