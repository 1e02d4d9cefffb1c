/**
 * Ferry's {@link org.springframework.boot.diagnostics.FailureAnalyzer}s: start-up
 * failures described in one line that names the property to fix. Registered in
 * {@code META-INF/spring.factories} and ordered before Spring Boot's own analyzers, whose
 * descriptions of the same failures run over many lines.
 */
@NullMarked
package dev.ferry.diagnostics;

import org.jspecify.annotations.NullMarked;
