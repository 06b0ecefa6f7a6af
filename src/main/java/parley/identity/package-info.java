/**
 * The participant lifecycle (spec 1.3–1.5, G-2 … G-4, G-26): who a participant id stands for now, and
 * the steps — visitor → contact, contact → member, contact merges — that fold earlier conversations
 * into the person's current one.
 */
package parley.identity;
