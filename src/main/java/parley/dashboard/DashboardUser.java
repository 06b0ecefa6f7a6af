package parley.dashboard;

import java.util.UUID;
import parley.sites.SiteId;

/**
 * Someone who works in a site's dashboard. Owners also manage the site's people, teams and labels ({@link People}).
 */
public record DashboardUser(SiteId site, UUID id, String email, Role role) {
    public enum Role { OWNER, AGENT }
}
