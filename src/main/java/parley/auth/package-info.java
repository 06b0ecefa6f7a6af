/**
 * Who is calling: turns a request's credentials into one {@link parley.auth.Caller}. Today that is an
 * API key acting as an app of its site; dashboard logins and participant tokens arrive later and
 * produce the same record. Routes call {@link parley.auth.Authentication#caller} first, always.
 */
package parley.auth;
