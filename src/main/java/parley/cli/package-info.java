/** The command line: {@code parley serve}, {@code parley site create}. Commands only parse and call. */
package parley.cli;
