/**
 * Discord slash commands over the interactions webhook: {@link
 * dev.hooks.endpoints.discord.DiscordInteractions} verifies each interaction, answers PING and maps
 * {@code /hook} commands onto an {@link dev.hooks.admin.EndpointAdmin}.
 */
@NullMarked
package dev.hooks.endpoints.discord;

import org.jspecify.annotations.NullMarked;
