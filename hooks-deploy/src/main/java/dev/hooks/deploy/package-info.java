/** Push to deploy: a verified push builds an image at the commit, deploys it behind a health gate and rolls back. */
package dev.hooks.deploy;
