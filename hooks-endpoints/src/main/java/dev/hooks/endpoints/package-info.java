/**
 * The provider catalog ({@link dev.hooks.endpoints.ProviderCatalog}: every provider name once,
 * with its parser, default signature scheme, delivery-id header and media types) and the
 * persisted registry of endpoints created at run time, their generated secrets encrypted at rest.
 */
@NullMarked
package dev.hooks.endpoints;

import org.jspecify.annotations.NullMarked;
