/**
 * {@code ./parley bench}: Parley measured against the machine's limit in one run (DESIGN.md section 7).
 * {@link parley.bench.Bench} starts an embedded PostgreSQL with the same code and settings as
 * {@code serve}, runs a Parley server on it as a child process, and runs each {@link parley.bench.Section}
 * in turn; a section measures one capability and adds its figures to the {@link parley.bench.Report}.
 * A later capability adds a section of its own. Never part of the test suite.
 */
package parley.bench;
