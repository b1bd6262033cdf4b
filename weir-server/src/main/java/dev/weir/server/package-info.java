/**
 * {@code weir server}: the long-running process that loads and watches flows, fires their triggers
 * (schedules, webhooks, upstream flows, files), runs backfills, and serves the REST API.
 */
package dev.weir.server;
