/**
 * The participant lifecycle (wix-compatibility 1.3–1.5, D-2 … D-4, D-26): who a participant id stands for now, and
 * the steps — visitor → contact, contact → member, contact merges — that fold earlier conversations
 * into the person's current one.
 */
package parley.identity;
