/**
 * Contacts v4 (wix-compatibility 7): the contact record, its checks and duplicate rule, and the Wix API Query
 * Language translated to SQL over the searchable values of {@code contact_values}.
 */
package parley.contacts;
