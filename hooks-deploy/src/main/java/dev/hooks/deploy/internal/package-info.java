/** Implementation of hooks-deploy; not API. */
@NullMarked
package dev.hooks.deploy.internal;

import org.jspecify.annotations.NullMarked;
