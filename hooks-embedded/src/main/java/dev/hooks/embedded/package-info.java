/** The embedded journal: the default store of one process, in one data directory. */
package dev.hooks.embedded;
