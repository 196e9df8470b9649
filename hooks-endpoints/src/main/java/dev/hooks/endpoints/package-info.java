/** Provider catalog and the persisted registry of run-time endpoints, secrets encrypted at rest. */
package dev.hooks.endpoints;
