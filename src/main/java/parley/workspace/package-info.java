/**
 * The agent workspace's site-wide parts (docs/api.md, "The agent workspace"): labels, canned replies and search.
 * A conversation's own status, assignment and labels are {@link parley.conversations.Workflow}; the people and teams
 * are {@link parley.dashboard.People}.
 */
package parley.workspace;
