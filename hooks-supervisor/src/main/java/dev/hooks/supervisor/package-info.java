/** A supervisor event listener that forwards process-state events to webhooks and chat. */
package dev.hooks.supervisor;
