/** Stage 3 of ingress: proving a delivery authentic on its raw bytes. */
@NullMarked
package dev.hooks.verify;

import org.jspecify.annotations.NullMarked;
