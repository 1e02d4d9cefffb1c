/**
 * The routes of seed 001's routed egress, in the table {@code ferry_route}: where a
 * prefix of a source bucket goes once a {@code pipeline_success.flag} appears under it.
 * Read by the s3Egress job ({@code dev.ferry.mirror}) and edited by {@code ferry routes};
 * public because both use it.
 */
@NullMarked
package dev.ferry.routes;

import org.jspecify.annotations.NullMarked;
